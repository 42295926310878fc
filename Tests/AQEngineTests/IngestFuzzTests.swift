// Damaged input never crashes a load: the seed files cut at every kind of position, with bytes
// flipped, inserted and dropped, in every format and shape. A load may skip records or throw
// an ExecutionError; nothing else.

import Foundation
import XCTest
@testable import AQEngine

final class IngestFuzzTests: XCTestCase {
    typealias T = IngestTest

    /// A small deterministic generator (xorshift), so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let interesting: [UInt8] = Array("{}[]\":,\\\n\r\t u0123456789eE+-.".utf8) + [0x00, 0xFF, 0xC3, 0xED, 0xA0]

    func mutate(_ input: [UInt8], _ random: inout Random) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + random.below(6)) {
            guard !bytes.isEmpty else { break }
            let at = random.below(bytes.count)
            switch random.below(5) {
            case 0: bytes = Array(bytes[..<at])                                             // truncate
            case 1: bytes[at] = Self.interesting[random.below(Self.interesting.count)]      // flip
            case 2: bytes.insert(Self.interesting[random.below(Self.interesting.count)], at: at)
            case 3: bytes.remove(at: at)
            default:                                                                        // repeat a span
                let end = min(bytes.count, at + random.below(200))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            }
        }
        return bytes
    }

    func testDamagedInputNeverCrashes() throws {
        let seeds = ["seeds/cloudtrail-examples.json", "seeds/acr-audit.jsonl", "seeds/acr-audit.csv",
                     "seeds/acr-event-line.csv", "seeds/ibm-at.jsonl", "seeds/ibm-at-array.json"]
        let dir = T.temporaryDirectory()
        var random = Random(state: 0x9E37_79B9_7F4A_7C15)
        var loaded = 0
        var failed = 0
        for seed in seeds {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: T.fixture(seed))))
            for round in 0..<30 {
                let path = T.write(bytes: mutate(original, &random), to: "fuzz-\(round)", in: dir)
                for format in [nil, "cloudtrail", "acr_audit", "acr_event_line", "ibm_at"] {
                    do {
                        let (catalog, report) = try T.load(path, format: format)
                        XCTAssertEqual(catalog.table(named: "events")?.rowCount, report.rows)
                        _ = T.rows(catalog)
                        loaded += 1
                    } catch let error as ExecutionError {
                        XCTAssertFalse(error.message.isEmpty)
                        failed += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(loaded, 500)
        XCTAssertGreaterThan(failed, 0)
    }

    func testTableFilesSurviveDamage() throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: T.fixture("seeds/acr-audit.csv"))))
            + [UInt8](try Data(contentsOf: URL(fileURLWithPath: T.fixture("seeds/ibm-at.jsonl"))))
        let dir = T.temporaryDirectory()
        var random = Random(state: 42)
        for round in 0..<200 {
            let path = T.write(bytes: mutate(original, &random), to: "t-\(round)", in: dir)
            let catalog = Catalog()
            do {
                let report = try TableFileLoader.load(path: path, table: "t", into: catalog)
                XCTAssertEqual(catalog.table(named: "t")?.rowCount, report.rows)
            } catch is ExecutionError {}
        }
    }
}

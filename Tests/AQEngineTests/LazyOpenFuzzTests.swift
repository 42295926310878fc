// A store opened lazily (into an empty database, its rows left in the file) and damaged:
// truncated at many lengths and with a byte flipped at many offsets, then queried. Each
// attempt ends in the right answer or a clear error from OPEN or from the first statement
// that reads rows; never a crash or a wrong answer.

import Foundation
import XCTest
@testable import AQEngine

final class LazyOpenFuzzTests: XCTestCase {
    private let query = "SELECT count(*), sum(n), count(DISTINCT s), max(length(s)) FROM a"

    func testDamagedStoresOpenedLazilyGiveTheAnswerOrAClearError() throws {
        let path = IngestTest.temporaryDirectory() + "/s.aqdb"
        let source = Database()
        try source.query("CREATE TABLE a AS SELECT range AS n, 'v' || (range % 300)::VARCHAR AS s FROM range(5000)")
        try source.save(path: path)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let answer = try source.query(query).rows
        var errors = 0, answered = 0
        func attempt(_ bytes: [UInt8], _ what: String) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let db = Database()
            do {
                try db.open(path: path)
                XCTAssertTrue(db.catalog.table(named: "a")?.isDeferred ?? true, what)
                let rows = try db.query(query).rows
                XCTAssertEqual(rows, answer, what)
                answered += 1
            } catch let error as AQError {
                XCTAssertTrue(error.message.contains("cannot open \(path)") || error.message.contains("cannot read the rows"),
                              "\(what): \(error.message)")
                errors += 1
            } catch let error as StoreFileError {
                XCTAssertTrue(error.message.contains(path), "\(what): \(error.message)")
                errors += 1
            }
        }
        var length = 0
        while length < good.count {
            try attempt(Array(good.prefix(length)), "truncated to \(length)")
            length += max(1, good.count / 97)
        }
        var offset = 0
        while offset < good.count {
            var bytes = good
            bytes[offset] ^= 0x5A
            try attempt(bytes, "byte \(offset) flipped")
            offset += max(1, good.count / 151)
        }
        // Every truncation is an error; so is every flipped byte (each lies under a checksum).
        XCTAssertEqual(answered, 0)
        XCTAssertGreaterThan(errors, 200)
    }
}

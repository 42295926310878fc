// A large JSON-lines file is cut into parts at line boundaries and read on several workers:
// the rows, their order, the report and the line numbers of skipped records are those of one
// reader reading it whole.

import Foundation
import XCTest
@testable import AQEngine

final class IngestSplitTests: XCTestCase {
    typealias T = IngestTest

    override func tearDown() { WorkPlan.partSize = 16 << 20 }

    func record(_ n: Int, padding: Int = 0) -> String {
        #"{"instance_id":"cri-1","action":"GetBlob","http_request_id":"r\#(n)","tag":"\#(String(repeating: "x", count: padding))","time":"2024-04-12T16:58:30+08:00"}"#
    }

    func testPartsGiveTheRowsOfOneReader() throws {
        var lines: [String] = []
        for n in 0..<3000 {
            switch n % 500 {
            case 17: lines.append("{broken")
            case 42: lines.append(record(n, padding: 5000))   // a line longer than a part
            case 99: lines.append("")
            default: lines.append(record(n))
            }
        }
        let path = T.write(lines.joined(separator: "\n") + "\n", to: "big.jsonl", in: T.temporaryDirectory())
        let (wholeCatalog, whole) = try T.load(path)
        WorkPlan.partSize = 4096
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
        let units = WorkPlan.units([InputPath(path: path, size: size)], format: nil)
        XCTAssertGreaterThan(units.count, 50)
        XCTAssertEqual(units.first, .part(file: 0, bytes: 0..<4096, format: .acrAudit, index: 0, count: units.count))
        let (splitCatalog, split) = try T.load(path)
        XCTAssertEqual(T.column(splitCatalog, "request_id"), T.column(wholeCatalog, "request_id"))
        XCTAssertEqual(T.column(splitCatalog, "request_id").count, 3000 - 6 - 6)
        XCTAssertEqual(split.files.count, 1)
        XCTAssertEqual(split.files.first?.rows, whole.files.first?.rows)
        XCTAssertEqual(split.files.first?.skipped, 6)
        XCTAssertEqual(split.firstSkipped.map(\.line), [18, 518, 1018, 1518, 2018, 2518])
        XCTAssertEqual(split.firstSkipped.map(\.line), whole.firstSkipped.map(\.line))
    }

    func testOnlyPlainJSONLinesAreCut() throws {
        WorkPlan.partSize = 1024
        let dir = T.temporaryDirectory()
        let body = (0..<200).map { record($0) }
        let wrapper = T.write("{\"Records\":[" + body.joined(separator: ",") + "]}", to: "w.json", in: dir)
        let pretty = T.write(body.map { $0.replacingOccurrences(of: ",", with: ",\n  ") }.joined(separator: "\n"), to: "p.json", in: dir)
        let csv = T.write("Namespace,Repository,Tag,Event category,Client network type,Client public IP address,Event time\n"
                          + String(repeating: "ns,repo,v1,Pull,Public,1.2.3.4,2024-04-12 16:58:30\n", count: 200), to: "e.csv", in: dir)
        let gz = T.gzip(T.write(body.joined(separator: "\n"), to: "g.jsonl", in: dir))
        for path in [wrapper, pretty, csv, gz] {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
            XCTAssertEqual(WorkPlan.units([InputPath(path: path, size: max(size, 4096))], format: nil), [.files(0..<1)], path)
        }
        let lines = T.write(body.joined(separator: "\n"), to: "l.jsonl", in: dir)
        XCTAssertEqual(WorkPlan.units([InputPath(path: lines, size: 20_000)], format: .ibmAT).first,
                       .part(file: 0, bytes: 0..<1024, format: .ibmAT, index: 0, count: 20))
    }
}

// EXPLAIN golden files: each `Tests/golden/explain/NAME.sql` is a query whose optimized plan
// must read exactly as `NAME.plan`. The plans are re-recorded only when asked for, with
// `AQ_RECORD_GOLDEN=1 swift test --filter ExplainGoldenTests`, never silently.

import AQEngine
import AQSyntax
import XCTest

final class ExplainGoldenTests: XCTestCase {
    static var directory: String {
        let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
        return parts.joined(separator: "/") + "/golden/explain"
    }

    var recording: Bool { getenv("AQ_RECORD_GOLDEN").map { String(cString: $0) == "1" } ?? false }

    func testExplainPlans() throws {
        let dir = ExplainGoldenTests.directory
        let cases = SQLLogicTestRunner.filesIn(dir, suffix: ".sql").filter { !$0.hasSuffix("/_schema.sql") }
        XCTAssertFalse(cases.isEmpty, "no EXPLAIN cases in \(dir)")
        guard let schema = SQLLogicTestRunner.read(dir + "/_schema.sql") else {
            return XCTFail("cannot read \(dir)/_schema.sql")
        }
        for path in cases {
            let name = String(path.split(separator: "/").last ?? "")
            guard let query = SQLLogicTestRunner.read(path) else { XCTFail("cannot read \(path)"); continue }
            let db = Database()
            try db.query(schema)
            let actual: String
            do {
                actual = try db.query("EXPLAIN " + query).rows.map { row in
                    if case .varchar(let line) = row[0] { return line + "\n" }
                    return "\(row[0])\n"
                }.joined()
            } catch let error as AQError {
                XCTFail("\(name): \(error.description)")
                continue
            }
            let planPath = String(path.dropLast(4)) + ".plan"
            if recording {
                XCTAssertTrue(write(actual, to: planPath), "cannot write \(planPath)")
                continue
            }
            guard let expected = SQLLogicTestRunner.read(planPath) else {
                XCTFail("\(name): no \(planPath); record it with AQ_RECORD_GOLDEN=1")
                continue
            }
            if actual != expected {
                XCTFail("\(name): the plan changed (re-record with AQ_RECORD_GOLDEN=1 if intended)\n"
                        + "expected:\n\(expected)actual:\n\(actual)")
            }
        }
    }

    private func write(_ text: String, to path: String) -> Bool {
        guard let f = fopen(path, "wb") else { return false }
        defer { fclose(f) }
        let bytes = Array(text.utf8)
        return fwrite(bytes, 1, bytes.count, f) == bytes.count
    }
}

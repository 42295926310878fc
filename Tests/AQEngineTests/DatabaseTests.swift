// The session: statements run in order, errors stop a script with statements before them in
// effect, errors carry their position, now() is fixed per statement, LOAD's report.

import AQEngine
import AQSyntax
import XCTest

final class DatabaseTests: XCTestCase {
    func testStatementsBeforeAnErrorKeepTheirEffect() throws {
        let db = Database()
        var results: [StatementResult] = []
        let source = Source("CREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES (1);\nSELECT nope FROM t;\nINSERT INTO t VALUES (2);",
                            fileName: "script.aq")
        XCTAssertThrowsError(try db.execute(source) { results.append($0) }) { error in
            guard let error = error as? AQError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.message, "unknown column 'nope'")
            XCTAssertEqual(error.location.map { [$0.line, $0.column] }, [3, 8])
            XCTAssertTrue(error.description.hasPrefix("script.aq:3:8: unknown column 'nope'\n  SELECT nope FROM t;\n         ^~~~"),
                          error.description)
        }
        XCTAssertEqual(results.map(\.kind), [.message, .message])
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").rows, [[.integer(1)]])
    }

    func testParseErrorStopsAtItsStatement() throws {
        let db = Database()
        XCTAssertThrowsError(try db.query("CREATE TABLE u (a INTEGER); SELECT FROM WHERE; DROP TABLE u")) { error in
            XCTAssertEqual((error as? AQError)?.location?.line, 1)
        }
        XCTAssertNotNil(db.catalog.table(named: "u"), "the statement before the error ran, the one after did not")
    }

    func testQueryResultsCarryNamesAndTypes() throws {
        let db = Database()
        let r = try db.query("SELECT 1 AS one, 7 / 2 AS half, 'x' || 'y' AS xy, TIMESTAMP '2024-04-12 08:00:00' AS t")
        XCTAssertEqual(r.columns, [ColumnSchema(name: "one", type: .integer), ColumnSchema(name: "half", type: .double),
                                   ColumnSchema(name: "xy", type: .varchar), ColumnSchema(name: "t", type: .timestamp)])
        XCTAssertEqual(r.rows, [[.integer(1), .double(3.5), .varchar("xy"), .timestamp(1_712_908_800_000_000_000)]])
    }

    func testNowIsFixedWithinAStatement() throws {
        let db = Database()
        let r = try db.query("SELECT now() = now(), now() - ago(1h) = INTERVAL 1 HOUR, now() > TIMESTAMP '2024-01-01 00:00:00'")
        XCTAssertEqual(r.rows, [[.boolean(true), .boolean(true), .boolean(true)]])
    }

    func testExplainGivesOnePlanLinePerRow() throws {
        let db = Database()
        try db.query("CREATE TABLE t (a INTEGER, b VARCHAR)")
        let r = try db.query("EXPLAIN SELECT b FROM t WHERE a > 1 ORDER BY a DESC LIMIT 3")
        XCTAssertEqual(r.columns, [ColumnSchema(name: "plan", type: .varchar)])
        XCTAssertEqual(r.rows.map { $0[0] }, [
            .varchar("Project [b]"),
            .varchar("  TopN [a DESC] limit 3"),
            .varchar("    Project [b, a]"),
            .varchar("      Scan t [a, b] filters=[(a > 1)]"),
        ])
    }

    func testRuntimeErrorsPointAtTheirExpression() throws {
        let db = Database()
        try db.query("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (0)")
        XCTAssertThrowsError(try db.query("SELECT 10 // a FROM t")) { error in
            guard let error = error as? AQError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.message, "division by zero")
            XCTAssertEqual(error.location.map { [$0.line, $0.column] }, [1, 8])
        }
    }

    func testDeepExpressionsDoNotExhaustTheStack() throws {
        // The parser allows trees about 1,000 levels deep; every later stage walks them recursively.
        let db = Database()
        let n = 990
        let sum = (0..<n).map { _ in "1" }.joined(separator: " + ")
        XCTAssertEqual(try db.query("SELECT \(sum)").rows, [[.integer(Int64(n))]])
        let ors = (0..<n).map { "x = \($0)" }.joined(separator: " OR ")
        XCTAssertEqual(try db.query("SELECT count(*) FROM (SELECT 5 AS x) t WHERE \(ors)").rows, [[.integer(1)]])
        let explained = try db.query("EXPLAIN SELECT \(sum) AS s")
        XCTAssertEqual(explained.rowCount, 2)
    }

    func testShowTablesAndDescribe() throws {
        let db = Database()
        try db.query("CREATE TABLE b (x INTEGER NOT NULL, y JSON); CREATE TABLE a (z DATE)")
        XCTAssertEqual(try db.query("SHOW TABLES").rows, [[.varchar("a")], [.varchar("b")]])
        let d = try db.query("DESCRIBE b")
        XCTAssertEqual(d.columns.map(\.name), ["column_name", "column_type", "null"])
        XCTAssertEqual(d.rows, [[.varchar("x"), .varchar("INTEGER"), .varchar("NO")],
                                [.varchar("y"), .varchar("JSON"), .varchar("YES")]])
        let names = db.completionNames
        XCTAssertEqual(names.tables.map(\.name), ["a", "b"])
        XCTAssertEqual(names.tables.last?.columns, ["x", "y"])
        XCTAssertTrue(names.functions.contains("count") && names.functions.contains("ago"))
    }

    func testOpenOfAMissingFileSaysSoAndPointsAtThePath() throws {
        let db = Database()
        XCTAssertThrowsError(try db.query("OPEN 'cases.aqdb'")) { error in
            guard let error = error as? AQError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.message, "cannot open cases.aqdb: No such file or directory")
            XCTAssertEqual(error.diagnostic.range, SourceRange(start: 5, end: 17))
        }
        XCTAssertThrowsError(try db.open(path: "cases.aqdb")) { error in
            XCTAssertEqual((error as? StoreFileError)?.message, "cannot open cases.aqdb: No such file or directory")
        }
        XCTAssertThrowsError(try db.query("OPEN cases")) { error in
            XCTAssertEqual((error as? AQError)?.message, "expected a file path in quotes, found 'cases'")
        }
    }

    func testLoadOfAMissingFilePointsAtThePath() throws {
        let db = Database()
        XCTAssertThrowsError(try db.query("LOAD '/nonexistent/aq-logs'")) { error in
            guard let error = error as? AQError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("/nonexistent/aq-logs"), error.message)
            XCTAssertEqual(error.location.map { [$0.line, $0.column] }, [1, 6])
        }
    }

    func testLoadReportsRowsAndFormat() throws {
        let path = NSTemporaryDirectory() + "aq-load-\(getpid()).json"
        let record = #"{"eventVersion":"1.08","eventTime":"2024-04-12T08:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"PutImage","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"docker/24","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/ci","accountId":"123456789012"},"requestParameters":{"repositoryName":"ns/app","imageTag":"v1"},"requestID":"r1","eventID":"e1"}"#
        try (record + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let db = Database()
        let r = try db.query("LOAD '\(path)'")
        XCTAssertEqual(r.kind, .message)
        let message = r.message ?? ""
        XCTAssertTrue(message.hasPrefix("loaded 1 row into events from \(path) (cloudtrail) in "), message)
        XCTAssertEqual(try db.query("SELECT action, repository FROM events").rows, [[.varchar("push"), .varchar("ns/app")]])
    }

    func testLoadReportWording() {
        let report = LoadReport(table: "events", files: [
            FileLoadReport(path: "logs/a.json", format: "cloudtrail", rows: 1000, skipped: 0),
            FileLoadReport(path: "logs/b.csv", format: "acr_audit", rows: 204, skipped: 3, warning: "truncated gzip stream"),
        ], firstSkipped: [SkippedRecord(file: "logs/b.csv", line: 17, reason: "missing time"),
                          SkippedRecord(file: "logs/b.csv", line: 20, reason: "not JSON")], seconds: 1.234)
        XCTAssertEqual(Database.describe(report), """
            loaded 1,204 rows into events from 2 files in 1.23 s, skipped 3 records
              logs/a.json: 1,000 rows (cloudtrail)
              logs/b.csv: 204 rows, 3 skipped (acr_audit)
            warning: logs/b.csv: truncated gzip stream
            skipped:
              logs/b.csv:17: missing time
              logs/b.csv:20: not JSON
              … and 1 more record
            """)
    }
}

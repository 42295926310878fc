// TIMELINE and SUMMARY against the SELECTs they stand for, on logs of all four formats from
// the benchmark generator (plus rows with equal and NULL times); their errors; `$name`
// parameters and SET VARIABLE; SHOW SOURCES and the coverage note.

import Foundation
import XCTest
@testable import AQEngine
@testable import AQSyntax

final class EventStatementTests: XCTestCase {
    static let columns = "time, provider, action, repository, tag, digest, actor, source_ip, network, success"

    /// Generated logs (gen.py, all four formats), made once per run.
    static let generated: Result<String, Error> = Result {
        let dir = TestScratch.root + "/events"
        // The generator sits in `shared/bench` beside (or above) the checkout.
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/", !FileManager.default.fileExists(atPath: folder.path + "/shared/bench/gen.py") {
            folder = folder.deletingLastPathComponent()
        }
        let generator = folder.path + "/shared/bench/gen.py"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator, "--out", dir, "--events", "1500", "--seed", "11"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExecutionError.failed("gen.py failed", range: nil) }
        return dir
    }

    /// A database with the generated logs, and rows that tie on time or have none.
    func loaded() throws -> Database {
        let db = Database()
        try db.query("LOAD '\(try Self.generated.get())'")
        try db.query("""
            INSERT INTO events (time, provider, format, action, repository, tag, actor, source_ip) VALUES
              (TIMESTAMP '2024-03-20 10:00:00', 'aws', 'cloudtrail', 'push', 'tie/app', 'v1', 'b', '10.0.0.1'),
              (NULL, 'ibm', 'ibm_at', 'pull', 'tie/app', 'v1', 'c', '10.0.0.2'),
              (TIMESTAMP '2024-03-20 10:00:00', 'alibaba', 'acr_audit', 'pull', 'tie/app', 'v1', 'a', '10.0.0.3'),
              (TIMESTAMP '2024-03-19 09:00:00', 'aws', 'cloudtrail', 'delete', 'tie/app', 'v2', 'a', NULL),
              (NULL, 'aws', 'cloudtrail', 'pull', 'tie/app', 'v1', 'a', '10.0.0.1'),
              (TIMESTAMP '2024-03-20 10:00:00', 'ibm', 'ibm_at', 'pull', 'tie/app', 'v1', NULL, '10.0.0.4')
            """)
        return db
    }

    /// Filters over events: plain, with OR and IN, with a subquery, and one matching nothing.
    static let filters = [
        "repository = 'tie/app'",
        "action IN ('push', 'delete') OR success = false",
        "repository IN (SELECT repository FROM events WHERE action = 'delete')",
        "actor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.actor = events.actor AND e.action = 'push')",
        "provider = 'nowhere'",
        "true",
    ]

    static let windows: [(clause: String, condition: String)] = [
        ("", ""),
        ("SINCE 1000d", " AND time >= now() - INTERVAL '1000 days'"),
        ("FROM '2024-03-10' TO '2024-03-25'", " AND time >= '2024-03-10' AND time < '2024-03-25'"),
    ]

    func testTimelineEqualsItsSelect() throws {
        let db = try loaded()
        for filter in Self.filters {
            for window in Self.windows {
                for limit in ["", "LIMIT 3", "LIMIT 0"] {
                    let timeline = try db.query("TIMELINE \(filter) \(window.clause) \(limit)")
                    let select = try db.query("SELECT \(Self.columns) FROM events WHERE (\(filter))\(window.condition) "
                                              + "ORDER BY time NULLS LAST \(limit)")
                    XCTAssertEqual(timeline.columns.map(\.name), Self.columns.components(separatedBy: ", "))
                    XCTAssertEqual(timeline.rows, select.rows, "TIMELINE \(filter) \(window.clause) \(limit)")
                }
            }
        }
    }

    /// Equal times keep load order and NULL times come last, as a stable sort of the
    /// matching rows (in load order) gives; LIMIT keeps the earliest.
    func testTimelineOrdersTiesInLoadOrderAndNullTimesLast() throws {
        let db = try loaded()
        for filter in Self.filters {
            let unsorted = try db.query("SELECT \(Self.columns) FROM events WHERE \(filter)").rows
            func key(_ row: [Value]) -> Int64 { if case .timestamp(let t) = row[0] { return t } else { return .max } }
            let expected = unsorted.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }
                .map(\.element)
            XCTAssertEqual(try db.query("TIMELINE \(filter)").rows, expected, filter)
            XCTAssertEqual(try db.query("TIMELINE \(filter) LIMIT 4").rows, Array(expected.prefix(4)), filter)
        }
        let ties = try db.query("TIMELINE repository = 'tie/app'").rows.map { $0[6] }
        XCTAssertEqual(ties, [.varchar("a"), .varchar("b"), .varchar("a"), .null, .varchar("c"), .varchar("a")])
    }

    func testSummaryEqualsItsSelect() throws {
        let db = try loaded()
        for filter in Self.filters {
            for window in Self.windows {
                let summary = try db.query("SUMMARY \(filter) \(window.clause)")
                let measures = "count(*) AS events, count(DISTINCT source_ip) AS source_ips, "
                    + "count(DISTINCT actor) AS actors, min(time) AS first_seen, max(time) AS last_seen"
                let condition = "WHERE (\(filter))\(window.condition)"
                let perAction = try db.query("SELECT action, \(measures) FROM events \(condition) "
                                             + "GROUP BY action ORDER BY events DESC, action NULLS LAST")
                let total = try db.query("SELECT 'total' AS action, \(measures) FROM events \(condition)")
                XCTAssertEqual(summary.columns.map(\.name),
                               ["action", "events", "source_ips", "actors", "first_seen", "last_seen"])
                XCTAssertEqual(summary.rows, perAction.rows + total.rows, "SUMMARY \(filter) \(window.clause)")
            }
        }
    }

    func testSummaryOfTheTiedRows() throws {
        let db = try loaded()
        let rows = try db.query("SUMMARY repository = 'tie/app'").rows
        let t = try XCTUnwrap(TimeMath.parseTimestamp("2024-03-20 10:00:00"))
        let d = try XCTUnwrap(TimeMath.parseTimestamp("2024-03-19 09:00:00"))
        XCTAssertEqual(rows, [
            [.varchar("pull"), .integer(4), .integer(4), .integer(2), .timestamp(t), .timestamp(t)],
            [.varchar("delete"), .integer(1), .integer(0), .integer(1), .timestamp(d), .timestamp(d)],
            [.varchar("push"), .integer(1), .integer(1), .integer(1), .timestamp(t), .timestamp(t)],
            [.varchar("total"), .integer(6), .integer(4), .integer(3), .timestamp(d), .timestamp(t)],
        ])
    }

    static func text(_ v: Value) -> String { if case .varchar(let s) = v { return s } else { return "" } }

    func testExplainShowsTheSelect() throws {
        let db = try loaded()
        let plan = try db.query("EXPLAIN TIMELINE repository = 'tie/app' LIMIT 2").rows.map { Self.text($0[0]) }
        XCTAssertTrue(plan.contains { $0.contains("TopN") || $0.contains("Limit") }, "\(plan)")
        XCTAssertTrue(plan.contains { $0.contains("Scan events") && $0.contains("repository = 'tie/app'") }, "\(plan)")
        let summary = try db.query("EXPLAIN SUMMARY action = 'pull' SINCE 7d").rows.map { Self.text($0[0]) }
        XCTAssertTrue(summary.contains { $0.contains("UnionAll") }, "\(summary)")
        XCTAssertTrue(summary.contains { $0.contains("count(DISTINCT source_ip)") }, "\(summary)")
    }

    /// The message and the position (line, column) of the error `sql` raises.
    func failure(_ db: Database, _ sql: String) -> (String, Int, Int)? {
        do {
            try db.query(sql)
            return nil
        } catch let error as AQError {
            return (error.message, error.location?.line ?? 0, error.location?.column ?? 0)
        } catch {
            return ("\(error)", 0, 0)
        }
    }

    func testErrorsArePositionedInTheFilter() throws {
        let db = try loaded()
        let unknown = try XCTUnwrap(failure(db, "TIMELINE repository = 'x' AND\n  sourceip = '1.2.3.4'"))
        XCTAssertEqual(unknown.0, "unknown column 'sourceip' (did you mean 'source_ip'?)")
        XCTAssertEqual([unknown.1, unknown.2], [2, 3])
        let notBoolean = try XCTUnwrap(failure(db, "SUMMARY repository"))
        XCTAssertEqual(notBoolean.0, "the SUMMARY filter must be BOOLEAN, not VARCHAR (as in SUMMARY repository = 'ns/app')")
        XCTAssertEqual([notBoolean.1, notBoolean.2], [1, 9])
        let backwards = try XCTUnwrap(failure(db, "TIMELINE true FROM '2024-03-10' TO '2024-03-01'"))
        XCTAssertEqual(backwards.0, "the window ends before it starts: TO 2024-03-01 00:00:00 is before FROM 2024-03-10 00:00:00")
        XCTAssertEqual([backwards.1, backwards.2], [1, 20])
        let column = try XCTUnwrap(failure(db, "TIMELINE true FROM time TO '2024-03-01'"))
        XCTAssertEqual(column.0, "unknown column 'time'")
        XCTAssertEqual(try XCTUnwrap(failure(db, "TIMELINE true FROM 5 TO 6")).0, "a window bound must be a TIMESTAMP, not INTEGER")
        XCTAssertEqual(try XCTUnwrap(failure(db, "TIMELINE")).0, "expected a filter such as repository = 'ns/app', found end of input")
        XCTAssertEqual(try XCTUnwrap(failure(Database(), "SUMMARY true")).0,
                       "no events loaded: SUMMARY reads the events table (load logs first: LOAD 'path')")
    }

    func testParametersAreConstantsNeverText() throws {
        let db = try loaded()
        db.setVariable("repo", .varchar("tie/app"))
        db.setVariable("odd", .varchar("x' OR 1 = 1 --$repo"))
        XCTAssertEqual(try db.query("SELECT count(*) FROM events WHERE repository = $repo").rows, [[.integer(6)]])
        XCTAssertEqual(try db.query("TIMELINE repository = getvariable('repo')").rowCount, 6)
        XCTAssertEqual(try db.query("SELECT count(*) FROM events WHERE repository = $odd").rows, [[.integer(0)]])
        XCTAssertEqual(try db.query("SELECT $odd, $ODD, getvariable('missing')").rows,
                       [[.varchar("x' OR 1 = 1 --$repo"), .varchar("x' OR 1 = 1 --$repo"), .null]])
        // A string parameter compared with a time reads as a time, as a string literal does.
        db.setVariable("since", .varchar("2024-03-20"))
        XCTAssertEqual(try db.query("SELECT count(*) FROM events WHERE repository = $repo AND time >= $since").rows,
                       [[.integer(3)]])
        try db.query("SET VARIABLE n = 1 + 2; SET VARIABLE who = (SELECT min(actor) FROM events WHERE repository = 'tie/app')")
        XCTAssertEqual(try db.query("SELECT $n, $who").rows, [[.integer(3), .varchar("a")]])
        let missing = try XCTUnwrap(failure(db, "SELECT 1,\n  $tag"))
        XCTAssertEqual(missing.0, "parameter '$tag' was never given (give it with --param tag=… or SET VARIABLE tag = …)")
        XCTAssertEqual([missing.1, missing.2], [2, 3])
    }

    func testShowSources() throws {
        XCTAssertEqual(try Database().query("SHOW SOURCES").message,
                       "nothing loaded: load audit logs with LOAD 'path' (or aq --load PATH)")
        let db = Database()
        let report = try db.load(path: try Self.generated.get())
        let sources = try db.query("SHOW SOURCES")
        XCTAssertEqual(sources.columns.map(\.name), ["provider", "format", "files", "rows", "skipped", "first_time", "last_time"])
        let expected = try db.query("SELECT provider, format, count(*), min(time), max(time) FROM events "
                                    + "GROUP BY ALL ORDER BY ALL").rows
        XCTAssertEqual(sources.rows.map { [$0[0], $0[1], $0[3], $0[5], $0[6]] }, expected)
        XCTAssertEqual(sources.rows.map { [$0[0], $0[1]] },
                       [["alibaba", "acr_audit"], ["alibaba", "acr_event_line"], ["aws", "cloudtrail"], ["ibm", "ibm_at"]]
                           .map { $0.map { Value.varchar($0) } })
        for row in sources.rows {
            let files = report.files.filter { Value.varchar($0.format) == row[1] }
            XCTAssertEqual(row[2], .integer(Int64(files.count)))
            XCTAssertEqual(row[4], .integer(Int64(files.reduce(0) { $0 + $1.skipped })))
        }
    }

    func testCoverageNoteWhenTheWindowReachesOutside() throws {
        let db = Database()
        try db.query("LOAD '\(try Self.generated.get())'")
        let span = try db.query("SELECT strftime(min(time), '%Y-%m-%d'), strftime(max(time), '%Y-%m-%d') FROM events "
                                + "WHERE format = 'cloudtrail'").rows[0]
        guard case .varchar(let from) = span[0], case .varchar(let to) = span[1] else { return XCTFail("\(span)") }
        let inside = ["SELECT count(*) FROM events WHERE time >= '2024-03-10' AND time < '2024-03-20'",
                      "TIMELINE provider = 'aws' FROM '2024-03-10' TO '2024-03-11'",
                      "SUMMARY true FROM '2024-03-10' TO '2024-03-11'",
                      "SELECT count(*) FROM events"]
        for sql in inside { XCTAssertEqual(try db.query(sql).notes, [], sql) }
        let outside = try db.query("SUMMARY true FROM '2024-01-01' TO '2024-03-11'").notes
        XCTAssertEqual(outside.count, 1)
        XCTAssertTrue(outside[0].hasPrefix("note: asked for 2024-01-01 to 2024-03-11; "), outside[0])
        XCTAssertTrue(outside[0].contains("aws/cloudtrail covers \(from) to \(to) (60 days)"), outside[0])
        for sql in ["TIMELINE true SINCE 30d", "SELECT count(*) FROM events WHERE time > ago(7d)",
                    "SELECT count(*) FROM events WHERE time <= '2024-01-05'",
                    "SELECT * FROM events WHERE '2099-01-01' < time"] {
            let notes = try db.query(sql).notes
            XCTAssertEqual(notes.count, 1, sql)
            XCTAssertTrue(notes.first?.contains("aws/cloudtrail covers \(from) to \(to)") ?? false, sql)
        }
        let since = try db.query("TIMELINE true SINCE 30d").notes[0]
        XCTAssertTrue(since.hasPrefix("note: asked for 30 days before "), since)
    }

    func testParsedForms() {
        func dump(_ sql: String) -> String {
            guard case .statement(let s)? = Parser.parseScript(Source(sql)).first else { return "error" }
            return ASTDump.statement(s)
        }
        XCTAssertEqual(dump("TIMELINE repository = $repo SINCE 30d LIMIT 5"),
                       "(timeline (= repository $repo) (since (duration 30 d)) (limit 5))")
        XCTAssertEqual(dump("summary a FROM '2024-01-01' TO '2024-02-01'"),
                       "(summary a (from '2024-01-01' '2024-02-01'))")
        XCTAssertEqual(dump("SET VARIABLE repo = 'x'"), "(set-variable repo 'x')")
        XCTAssertEqual(dump("SHOW SOURCES"), "(show-sources)")
    }
}

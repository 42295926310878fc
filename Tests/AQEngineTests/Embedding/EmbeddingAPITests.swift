// The Swift embedding API: prepared statements and parameters, streaming rows and batches,
// decoding, appenders, loading from memory, functions from Swift, limits, misuse.

import XCTest
import AQSyntax
@testable import AQEngine

final class EmbeddingAPITests: XCTestCase {
    private func table() throws -> Database {
        let db = Database()
        try db.query("""
            CREATE TABLE t (name VARCHAR, n INTEGER, x DOUBLE, ok BOOLEAN, at TIMESTAMP, d DATE);
            INSERT INTO t VALUES ('it''s', 1, 1.5, true, TIMESTAMP '2024-05-01 10:00:00', DATE '2024-05-01'),
                                 ('b', NULL, 2.5, false, NULL, NULL), (NULL, 3, NULL, NULL, NULL, NULL)
            """)
        return db
    }

    private func message(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as AQError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    func testPositionalNamedAndQuestionMarkParameters() throws {
        let db = try table()
        let positional = try db.prepare("SELECT name FROM t WHERE n >= $1 AND name <> $2 ORDER BY n")
        XCTAssertEqual(positional.parameterNames, ["1", "2"])
        XCTAssertEqual(try positional.query(1, "b").collect().rows, [[.varchar("it's")]])
        XCTAssertEqual(try positional.query(2, "b").collect().rows, [])
        let marks = try db.prepare("SELECT ? + ?, ?")
        XCTAssertEqual(try marks.query(1, 2, "x").collect().rows, [[.integer(3), .varchar("x")]])
        let named = try db.prepare("SELECT count(*) FROM t WHERE name = $Who OR n = $n")
        XCTAssertEqual(named.parameterNames, ["who", "n"])
        XCTAssertEqual(try named.query(["who": "it's", "$n": 3]).collect().rows, [[.integer(2)]])
    }

    func testParametersAreValuesNeverText() throws {
        let db = try table()
        let statement = try db.prepare("SELECT count(*) FROM t WHERE name = ?")
        XCTAssertEqual(try statement.query("x' OR '1'='1").collect().rows, [[.integer(0)]])
        XCTAssertEqual(try statement.query("it's").collect().rows, [[.integer(1)]])
        XCTAssertEqual(try statement.query(nil).collect().rows, [[.integer(0)]])
        // Every type goes through as itself.
        let all = try db.prepare("SELECT ?, ?, ?, ?, ?, ?, ?")
        let values: [Value] = [.boolean(true), .integer(-7), .double(0.25), .varchar("a'b\"c"),
                               .date(19844), .timestamp(1_714_557_600_000_000_000), .null]
        XCTAssertEqual(try all.query(values).collect().rows, [values])
    }

    func testParameterMistakesAreClearErrors() throws {
        let db = try table()
        let statement = try db.prepare("SELECT name FROM t WHERE n = $1")
        XCTAssertEqual(message { try statement.query() }, "the statement takes 1 parameter, 0 given")
        XCTAssertEqual(message { try statement.query(1, 2) }, "the statement takes 1 parameter, 2 given")
        XCTAssertEqual(message { try statement.query(["nope": 1]) }, "the statement has no parameter $nope")
        XCTAssertEqual(message { try db.prepare("SELECT $who").query([:]) }, "no value given for parameter $who")
        XCTAssertEqual(message { try statement.query("x").collect() }, "cannot cast 'x' to INTEGER")
        XCTAssertEqual(message { try db.prepare("SELECT 1; SELECT 2") }, "prepare takes one statement, found 2")
        XCTAssertEqual(message { try db.prepare("  ") }, "the text holds no statement")
        // A session variable serves a `$name` that is not given, as in scripts.
        db.setVariable("who", "b")
        XCTAssertEqual(try db.prepare("SELECT count(*) FROM t WHERE name = $who").query([:]).collect().rows,
                       [[.integer(1)]])
    }

    func testRowsStreamBatchesAndRows() throws {
        let db = Database()
        let rows = try db.prepare("SELECT range AS i, range * 2 AS twice FROM range(5000)").query()
        XCTAssertEqual(rows.columns.map(\.name), ["i", "twice"])
        var batches = 0, total = 0
        while let batch = try rows.nextBatch() {
            batches += 1
            total += batch.count
        }
        XCTAssertEqual(total, 5000)
        XCTAssertGreaterThan(batches, 1)
        XCTAssertNil(try rows.nextBatch())
        let again = try db.prepare("SELECT range AS i, 'v' || range AS s FROM range(3)").query()
        var seen: [String] = []
        while let row = try again.next() {
            seen.append("\(try row[0].text ?? "") \(try row["S"].text ?? "")")
        }
        XCTAssertEqual(seen, ["0 v0", "1 v1", "2 v2"])
    }

    struct Item: Decodable, Equatable {
        var name: String?
        var n: Int?
        var x: Double?
        var ok: Bool?
    }

    func testDecodableRows() throws {
        let db = try table()
        let items = try db.prepare("SELECT name, n, x, ok FROM t ORDER BY x NULLS LAST").query().all(as: Item.self)
        XCTAssertEqual(items, [Item(name: "it's", n: 1, x: 1.5, ok: true), Item(name: "b", n: nil, x: 2.5, ok: false),
                               Item(name: nil, n: 3, x: nil, ok: nil)])
        struct Strict: Decodable { var n: Int }
        XCTAssertEqual(message { try db.prepare("SELECT n FROM t WHERE n IS NULL").query().all(as: Strict.self) },
                       "column 'n': cannot read NULL as Int")
        struct Missing: Decodable { var nope: Int }
        XCTAssertEqual(message { try db.prepare("SELECT n FROM t").query().all(as: Missing.self) },
                       "no column 'nope' in the result")
        let row = try XCTUnwrap(try db.prepare("SELECT 1 AS a").query().next())
        XCTAssertEqual(message { try row[3] }, "column 3 is not in the result (0 to 0)")
    }

    func testAsyncSequenceOfRows() async throws {
        let db = Database()
        var sum: Int64 = 0
        for try await row in try db.prepare("SELECT range AS i FROM range(100)").query() {
            if case .integer(let i) = try row["i"] { sum += i }
        }
        XCTAssertEqual(sum, 4950)
    }

    func testCancelledRowsKeepFailing() throws {
        let db = Database()
        let rows = try db.prepare("SELECT range FROM range(100000)").query()
        XCTAssertNotNil(try rows.nextBatch())
        rows.cancel()
        XCTAssertEqual(message { try rows.nextBatch() as Any }, "cancelled")
        XCTAssertEqual(message { try rows.next() as Any }, "cancelled")
        // The database goes on.
        XCTAssertEqual(try db.query("SELECT 1").rows, [[.integer(1)]])
    }

    func testCancelFromAnotherThreadStopsALongQuery() throws {
        let db = Database()
        db.threads = 1
        let statement = try db.prepare("SELECT count(*) FROM range(100000) a, range(100000) b WHERE a.range * b.range = -1")
        let canceller = Thread { Thread.sleep(forTimeInterval: 0.2); db.interrupt() }
        canceller.start()
        XCTAssertEqual(message { try statement.query().collect() }, "cancelled")
        XCTAssertEqual(try db.query("SELECT 2").rows, [[.integer(2)]])
    }

    func testLimits() throws {
        let db = Database(limits: Limits(resultRows: 10))
        XCTAssertEqual(message { try db.query("SELECT * FROM range(11)") }, "result row limit of 10 exceeded")
        XCTAssertEqual(try db.query("SELECT count(*) FROM range(1000)").rows, [[.integer(1000)]])
        let statement = try db.prepare("SELECT * FROM range(5)")
        statement.limits = Limits(resultRows: 3)
        XCTAssertEqual(message { try statement.query().collect() }, "result row limit of 3 exceeded")
        db.limits = Limits(time: 0.01)
        XCTAssertEqual(message { try db.query("SELECT count(*) FROM range(100000) a, range(100000) b WHERE a.range * b.range = -1") },
                       "time limit of 10 ms exceeded")
        db.limits = Limits()
        XCTAssertEqual(try db.query("SELECT 1").rows, [[.integer(1)]])
    }

    func testMemoryLimitLeavesTheDatabaseAsItWas() throws {
        let db = Database()
        try db.query("CREATE TABLE t AS SELECT range AS i FROM range(1000)")
        try db.query("SET memory_limit = '20KB'")
        XCTAssertEqual(db.limits.memory, 20_000)
        XCTAssertEqual(message { try db.query("INSERT INTO t SELECT range FROM range(10000)") },
                       "memory limit of 20.0 KB exceeded (88.0 KB needed)")
        XCTAssertEqual(message { try db.query("CREATE TABLE u AS SELECT range AS i FROM range(10000)") },
                       "memory limit of 20.0 KB exceeded (88.0 KB needed)")
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").rows, [[.integer(1000)]])
        XCTAssertNil(db.catalog.table(named: "u"))
        XCTAssertEqual(message { try db.query("SELECT * FROM range(5000)") }, "memory limit of 20.0 KB exceeded (24.4 KB needed)")
        XCTAssertEqual(message { try db.query("SET memory_limit = 'lots'") },
                       "memory_limit must be a size such as '512MB' or '2GiB'; found 'lots'")
        try db.query("RESET memory_limit")
        XCTAssertNil(db.limits.memory)
        try db.query("INSERT INTO t SELECT range FROM range(10000)")
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").rows, [[.integer(11000)]])
    }

    func testAppender() throws {
        let db = Database()
        try db.query("CREATE TABLE owners (repository VARCHAR NOT NULL, team VARCHAR, since DATE, PRIMARY KEY (repository))")
        let appender = try db.appender(table: "owners")
        try appender.append(["payments/api", "team-payments", "2024-01-02"])
        try appender.append(["web/cms", nil, nil])
        try appender.flush()
        XCTAssertEqual(try db.query("SELECT repository, team, since FROM owners ORDER BY 1").rows.map { $0.map(\.text) },
                       [["payments/api", "team-payments", "2024-01-02"], ["web/cms", nil, nil]])
        XCTAssertEqual(message { try appender.append(["x"]) }, "table owners has 3 columns, the row has 1 values")
        XCTAssertEqual(message { try appender.append(["x", "y", "soon"]) }, "cannot cast 'soon' to DATE")
        try appender.append([nil, "t", nil])
        XCTAssertEqual(message { try appender.flush() }, "NULL in NOT NULL column 'repository'")
        try appender.append(["web/cms", "again", nil])
        XCTAssertEqual(message { try appender.flush() },
                       "duplicate key repository = 'web/cms' violates the primary key of table owners")
        XCTAssertEqual(try db.query("SELECT count(*) FROM owners").rows, [[.integer(2)]])
        XCTAssertEqual(message { try db.appender(table: "nope") }, "no table 'nope'")
        // Many rows: flushed a batch at a time.
        try db.query("CREATE TABLE many (i INTEGER)")
        let many = try db.appender(table: "many")
        for i in 0..<5000 { try many.append([.integer(Int64(i))]) }
        try many.flush()
        XCTAssertEqual(try db.query("SELECT count(*), sum(i) FROM many").rows, [[.integer(5000), .integer(12_497_500)]])
    }

    func testLoadFromMemory() throws {
        let db = Database()
        let line = #"{"logSourceCRN":"crn:v1:bluemix:public:container-registry:us-south:a/abc::","action":"container-registry.image.pull","outcome":"success","eventTime":"2024-03-04T10:00:00.00+0000","initiator":{"id":"IBMid-1","name":"alice@example.com","typeURI":"service/security/account/user","host":{"address":"203.0.113.5"}},"target":{"id":"crn:v1:bluemix:public:container-registry:us-south:a/abc::image:us.icr.io/ns/app:1.0","name":"us.icr.io/ns/app:1.0","typeURI":"container-registry/image"},"reason":{"reasonCode":200}}"#
        let report = try db.load(bytes: Array((line + "\n").utf8), name: "upload.jsonl")
        XCTAssertEqual(report.rows, 1)
        XCTAssertEqual(report.files.first?.path, "upload.jsonl")
        XCTAssertEqual(try db.query("SELECT provider, action FROM events").rows, [[.varchar("ibm"), .varchar("pull")]])
        XCTAssertEqual(message { try db.load(bytes: Array("not a log".utf8), name: "junk.txt") },
                       "junk.txt: no known format (expected cloudtrail, acr_audit, acr_event_line or ibm_at)")
        XCTAssertEqual(try db.query("SELECT count(*) FROM events").rows, [[.integer(1)]])
    }

    func testFunctionsFromSwift() throws {
        let db = try table()
        try db.createFunction("shout", arguments: [.varchar], returns: .varchar) { args, _ in
            .strings(args[0].strings().map { $0.map { $0.uppercased() + "!" } })
        }
        try db.createFunction("scaled", arguments: [.integer, .double], returns: .double) { args, rows in
            let n = args[0].integers(), x = args[1].doubles()
            return .doubles((0..<rows).map { i in n[i].flatMap { a in x[i].map { Double(a) * $0 } } })
        }
        XCTAssertEqual(try db.query("SELECT shout(name), scaled(n, 2) FROM t ORDER BY x NULLS LAST").rows,
                       [[.varchar("IT'S!"), .double(2)], [.varchar("B!"), .null], [.null, .double(6)]])
        struct Broken: Error, CustomStringConvertible { var description: String { "no network" } }
        try db.createFunction("broken", arguments: [.integer], returns: .integer) { _, _ in throw Broken() }
        XCTAssertEqual(message { try db.query("SELECT broken(n) FROM t") }, "function broken failed: no network")
        try db.createFunction("short", arguments: [], returns: .integer) { _, _ in .integers([1]) }
        XCTAssertEqual(message { try db.query("SELECT short() FROM range(3)") }, "function short failed: returned 1 rows for 3")
        XCTAssertEqual(message { try db.query("SELECT shout(1, 2)") },
                       "no function shout(INTEGER, INTEGER); expected shout(VARCHAR)")
        XCTAssertEqual(message { try db.createFunction("lower", arguments: [.varchar], returns: .varchar) { a, _ in a[0] } },
                       "'lower' is a built-in function")
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").rows, [[.integer(3)]])
    }

    func testClosedDatabase() throws {
        let db = try table()
        let statement = try db.prepare("SELECT count(*) FROM t")
        let appender = try db.appender(table: "t")
        db.close()
        db.close()
        XCTAssertEqual(message { try statement.query() }, "the database is closed")
        XCTAssertEqual(message { try db.query("SELECT 1") }, "the database is closed")
        XCTAssertEqual(message { try db.prepare("SELECT 1") }, "the database is closed")
        XCTAssertEqual(message { try db.load(bytes: [], name: "x") }, "the database is closed")
        try appender.append(["a", 1, 1.0, true, nil, nil])
        XCTAssertEqual(message { try appender.flush() }, "the database is closed")
    }

    func testErrorsPointIntoTheStatement() throws {
        let db = Database()
        let statement = try db.prepare("SELECT 1,\n  nosuch")
        do {
            _ = try statement.query()
            XCTFail("expected an error")
        } catch let error as AQError {
            XCTAssertEqual(error.location?.line, 2)
            XCTAssertEqual(error.location?.column, 3)
        }
    }
}

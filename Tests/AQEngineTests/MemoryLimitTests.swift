// The memory budget (`SET memory_limit`): a statement that goes over it stops with an error,
// and the database keeps its tables and goes on.

import XCTest
import AQSyntax
@testable import AQEngine

final class MemoryLimitTests: XCTestCase {
    /// Over the memory limit a statement stops with an error; the database keeps its tables
    /// and runs the next statement.
    func testAStatementOverTheMemoryLimitStopsAndTheDatabaseGoesOn() throws {
        let db = Database()
        try db.query("CREATE TABLE t AS SELECT range AS x FROM range(10)")
        // memory_limit: the statement may make the process grow by at most 32 MB.
        db.settings.memoryLimit = 32 << 20
        XCTAssertThrowsError(try db.query("SELECT repeat('x', 1000) || a.range FROM range(100000) a, range(100000) b")) {
            let message = ($0 as? AQError)?.diagnostic.message ?? "\($0)"
            XCTAssertTrue(message.hasPrefix("memory limit of "), message)
            XCTAssertTrue(message.hasSuffix(" needed)"), message)
        }
        XCTAssertFalse(db.cancellation.isCancelled)
        XCTAssertEqual(try db.query("SELECT sum(x) FROM t").value(row: 0, column: 0), .integer(45))
    }

    /// Without `SET memory_limit` the watch holds the process to a share of the machine's
    /// (or container's) memory; SET and RESET move it.
    func testTheLimitDefaultsToAShareOfTheMachine() throws {
        XCTAssertGreaterThan(MemorySize.defaultLimit, 0)
        XCTAssertLessThan(MemorySize.defaultLimit, MemorySize.available)
        let db = Database()
        XCTAssertEqual(db.memoryWatchLimit, MemorySize.defaultLimit)
        try db.query("SET memory_limit = '2GB'")
        XCTAssertEqual(db.memoryWatchLimit, min(2_000_000_000, MemorySize.defaultLimit))
        try db.query("RESET memory_limit")
        XCTAssertEqual(db.memoryWatchLimit, MemorySize.defaultLimit)
        XCTAssertGreaterThan(MemorySize.resident, 0)
    }

    /// A cross join read batch by batch holds its right input and a few batches, however
    /// many pairs a left batch makes: under a 24 MB limit all 4,000,000 rows come out. (Each
    /// left batch of 2,048 rows once made its 4 million pairs, 32 MB, before its first row,
    /// and the watch stopped the statement before any row.)
    func testACrossJoinStreamsWithinASmallLimit() throws {
        let db = Database()
        try db.query("SET memory_limit = '24MB'")
        var count = 0
        var first: [Value] = [], last: [Value] = []
        try db.stream(Source("SELECT a.i AS a, b.i AS b FROM range(2000) a(i), range(2000) b(i)")) { rows in
            while let batch = try rows.nextBatch() {
                if count == 0 { first = batch.columns.map { $0.value(at: 0) } }
                last = batch.columns.map { $0.value(at: batch.count - 1) }
                count += batch.count
            }
        }
        XCTAssertEqual(count, 4_000_000)
        XCTAssertEqual(first, [.integer(0), .integer(0)])
        XCTAssertEqual(last, [.integer(1999), .integer(1999)])
    }
}

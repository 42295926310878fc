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
}

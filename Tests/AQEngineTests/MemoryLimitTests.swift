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
        db.settings.memoryLimit = MemorySize.resident + (16 << 20)
        XCTAssertThrowsError(try db.query("SELECT repeat('x', 1000) || a.range FROM range(100000) a, range(100000) b")) {
            let message = ($0 as? AQError)?.diagnostic.message ?? "\($0)"
            XCTAssertTrue(message.hasPrefix("out of memory: the statement went over the memory limit of "), message)
        }
        XCTAssertFalse(db.cancellation.isCancelled)
        XCTAssertEqual(try db.query("SELECT sum(x) FROM t").value(row: 0, column: 0), .integer(45))
    }

    func testMemorySizes() {
        XCTAssertEqual(MemorySize.parse("4GB"), 4_000_000_000)
        XCTAssertEqual(MemorySize.parse("512 MiB"), 512 << 20)
        XCTAssertEqual(MemorySize.parse("1.5gb"), 1_500_000_000)
        XCTAssertEqual(MemorySize.parse("100000"), 100_000)
        XCTAssertNil(MemorySize.parse("lots"))
        XCTAssertEqual(MemorySize.text(1_600_000_000), "1.6 GB")
        XCTAssertEqual(MemorySize.text(200_000_000), "200 MB")
        XCTAssertGreaterThan(MemorySize.defaultLimit, 0)
        let db = Database()
        XCTAssertNoThrow(try db.query("SET memory_limit = '2GB'"))
        XCTAssertEqual(db.settings.memoryLimit, 2_000_000_000)
        XCTAssertThrowsError(try db.query("SET memory_limit = 'lots'")) {
            XCTAssertTrue((($0 as? AQError)?.diagnostic.message ?? "").contains("a size of at least 1 MB"))
        }
        XCTAssertNoThrow(try db.query("RESET memory_limit"))
        XCTAssertEqual(db.settings.memoryLimit, MemorySize.defaultLimit)
    }
}

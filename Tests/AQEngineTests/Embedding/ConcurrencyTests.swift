// Many threads on one database: readers side by side, writers alone, cancellation from
// outside. Run under ThreadSanitizer: swift test --sanitize=thread --filter ConcurrencyTests

import XCTest
@testable import AQEngine

final class ConcurrencyTests: XCTestCase {
    private func database() throws -> Database {
        let db = Database()
        db.threads = 2
        try db.query("CREATE TABLE t AS SELECT range AS i, 'name' || (range % 17) AS s FROM range(20000)")
        return db
    }

    func testManyReadersOneWriter() throws {
        let db = try database()
        let statement = "SELECT s, count(*) AS n, sum(i) FROM t WHERE i % $1 = 0 GROUP BY s ORDER BY s"
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            do {
                if k == 0 {
                    // The writer: appends and inserts while the others read.
                    let appender = try db.appender(table: "t")
                    for i in 0..<3000 { try appender.append([.integer(Int64(100_000 + i)), .varchar("new\(i % 5)")]) }
                    try appender.flush()
                    try db.query("INSERT INTO t SELECT range + 200000, 'ins' FROM range(100)")
                    return
                }
                let prepared = try db.prepare(statement)
                for round in 1...5 {
                    let rows = try prepared.query(.integer(Int64(round)))
                    var groups = 0
                    while let row = try rows.next() {
                        _ = try row["s"]
                        groups += 1
                    }
                    if groups < 17 { failures.add("only \(groups) groups") }
                }
            } catch {
                failures.add("\(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").rows, [[.integer(23_100)]])
    }

    func testStreamingReaderWhileWriterAddsStrings() throws {
        let db = try database()
        let rows = try db.prepare("SELECT s FROM t").query()
        let writer = Thread {
            _ = try? db.query("INSERT INTO t SELECT range, 'fresh' || range FROM range(5000)")
        }
        writer.start()
        var count = 0
        while let row = try rows.next() {
            if case .varchar(let s) = try row[0], s.hasPrefix("name") { count += 1 }
        }
        XCTAssertEqual(count, 20000)
        while writer.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
    }

    func testInterruptFromAnotherThread() throws {
        let cross = "SELECT count(*) FROM range(100000) a, range(100000) b WHERE a.range * b.range = -1"
        try assertInterruptStops([cross, cross])
    }

    /// A recursive WITH query runs while the statement is bound (EXPLAIN too): an interrupt
    /// reaches it there. Found by the statement fuzz target, whose units are interrupted after
    /// a few seconds.
    func testInterruptReachesARecursiveQueryWhileItIsBound() throws {
        try assertInterruptStops(["EXPLAIN WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT max(n) FROM r"])
    }

    /// Runs each statement on its own thread, interrupts the database while they run, and
    /// checks that each stopped with "cancelled" and that the table is intact.
    private func assertInterruptStops(_ statements: [String], file: StaticString = #filePath,
                                      line: UInt = #line) throws {
        let db = try database()
        let failures = Failures()
        let group = DispatchGroup()
        for statement in statements {
            DispatchQueue.global().async(group: group) {
                do {
                    _ = try db.query(statement)
                    failures.add("not interrupted")
                } catch let error as AQError {
                    if error.message != "cancelled" { failures.add(error.message) }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        Thread.sleep(forTimeInterval: 0.2)
        db.interrupt()
        group.wait()
        XCTAssertEqual(failures.all, [], file: file, line: line)
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").rows, [[.integer(20000)]], file: file, line: line)
    }

    func testAsyncTaskCancellation() async throws {
        let db = try database()
        let task = Task {
            var n = 0
            for try await _ in try db.prepare("SELECT a.range FROM range(100000) a, range(1000) b").query() {
                n += 1
            }
            return n
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch let error as AQError {
            XCTAssertEqual(error.message, "cancelled")
        }
    }
}

/// Failures collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
}

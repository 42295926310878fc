// Queries on several threads: the same rows in the same order for every thread count,
// Ctrl-C while every worker is busy, and an error in one worker stopping the query.

import AQEngine
import Dispatch
import XCTest

final class ParallelExecutionTests: XCTestCase {
    /// A database with `t` of `rows` rows (one chunk per 2,048): i, a key of 37 values, a
    /// double, a nullable text and a time.
    private func database(rows: Int = 100_000, threads: Int) throws -> Database {
        let db = Database()
        db.threads = threads
        try db.query("""
            CREATE TABLE t AS
            SELECT range AS i, 'k' || (range % 37) AS k, range * 0.1 AS d,
                   CASE WHEN range % 5 = 0 THEN NULL ELSE 'v' || (range % 1000) END AS v,
                   TIMESTAMP '2024-01-01' + INTERVAL (range % 97) MINUTE AS ts
            FROM range(\(rows))
            """)
        return db
    }

    private func rows(_ db: Database, _ sql: String) throws -> [String] {
        try db.query(sql).rows.map { row in row.map(SQLLogicTestRunner.cellText).joined(separator: "|") }
    }

    private let queries = [
        "SELECT k, count(*), sum(i), min(v), max(d), count(v), count(DISTINCT v) FROM t GROUP BY k",
        "SELECT k, sum(d), avg(d) FROM t WHERE i % 3 = 0 GROUP BY k ORDER BY k",
        "SELECT count(*), sum(d), count(DISTINCT k), min(ts), max(ts) FROM t",
        "SELECT count(*), count(DISTINCT k) FROM t WHERE i < 0",
        "SELECT i, k FROM t WHERE v LIKE 'v99%' ORDER BY i",
        "SELECT k, i FROM t ORDER BY k DESC LIMIT 25",
        "SELECT ts, i FROM t ORDER BY ts LIMIT 10 OFFSET 5",
        "SELECT i, v FROM t WHERE i % 1000 = 7",
        "SELECT a.k, count(*) FROM t a JOIN t b ON a.i = b.i + 1 WHERE a.i % 10 = 0 GROUP BY a.k ORDER BY 2 DESC, 1",
        "SELECT count(*) FROM t WHERE v NOT IN (SELECT v FROM t WHERE i % 7 = 0 AND v IS NOT NULL)",
        "SELECT DISTINCT k FROM t WHERE i > 50000",
        "SELECT k, string_agg(v, ',' ORDER BY i) FROM t WHERE i < 300 GROUP BY k ORDER BY k",
        // Expressions evaluated once per distinct combination of the columns they read.
        "SELECT coalesce(v, CAST(i % 7 AS VARCHAR)) AS f, k, count(*) FROM t WHERE i % 3 = 0 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20",
        "SELECT k, count(*) FROM t WHERE k || ' ' || v NOT IN (SELECT k || ' ' || v FROM t WHERE i % 11 = 0 AND v IS NOT NULL) GROUP BY k ORDER BY k",
        "SELECT CASE WHEN v LIKE 'v1%' THEN 'one' WHEN v ILIKE 'V2%' THEN 'two' ELSE 'other' END AS c, count(*), count(DISTINCT k) FROM t GROUP BY 1 ORDER BY 1",
        // Joins probed morsel by morsel against one build.
        "SELECT a.k, count(*), count(b.i) FROM t a LEFT JOIN (SELECT i, k FROM t WHERE i % 4 = 0) b ON a.i = b.i AND b.k <> 'k3' GROUP BY a.k ORDER BY a.k",
        "SELECT a.i, b.k, c.v FROM t a JOIN t b ON a.i = b.i + 1 JOIN t c ON a.i = c.i - 1 WHERE a.i % 997 = 0 ORDER BY a.i",
        "SELECT count(*), count(DISTINCT a.k) FROM t a JOIN t b ON a.v = b.v WHERE a.i < 3000 AND b.i % 100 = 1",
        "SELECT a.i, b.i FROM t a LEFT JOIN (SELECT i, v FROM t WHERE i < 1500) b ON a.v = b.v WHERE a.i % 5000 < 3",
        // LEFT JOIN … IS NULL on a key (only unmatched rows probed out) and on a non-key column;
        // columns only a scan's filters read, left out of its batches.
        "SELECT a.k, count(*), count(a.v) FROM t a LEFT JOIN (SELECT v FROM t WHERE i % 3 = 0 AND i < 20000) b ON a.v = b.v WHERE b.v IS NULL AND a.i % 2 = 0 GROUP BY a.k",
        "SELECT count(*), count(b.i) FROM t a LEFT JOIN (SELECT i, v FROM t WHERE i % 2 = 0) b ON a.i = b.i WHERE b.v IS NULL",
        "SELECT v, count(*) FROM t WHERE k = 'k5' AND i % 2 = 0 GROUP BY v",
        // Sorted in parts and merged; ties keep input order.
        "SELECT k, ts, i FROM t ORDER BY k DESC, ts",
        // Keys of two string columns (one with NULLs), of runs of equal words, of time buckets.
        "SELECT k, v, count(*) FROM t WHERE i % 2 = 0 GROUP BY k, v ORDER BY 3 DESC, 1, 2 NULLS FIRST",
        "SELECT i // 1000 * 1000000007 AS a, i // 2000 AS b, count(*) FROM t GROUP BY 1, 2",
        "SELECT time_bucket(INTERVAL '15 minutes', ts) AS b, count(*) FILTER (WHERE (i % 3 = 0) = false) FROM t GROUP BY b",
        // Windows whose input is read on the workers: whole-partition aggregates returned
        // with the batches as read, and beside a sorted specification.
        "SELECT i, min(ts) OVER (PARTITION BY k) AS f, count(v) OVER (PARTITION BY v) AS c, sum(d) OVER () AS s FROM t WHERE i % 7 = 0",
        "SELECT i, row_number() OVER (PARTITION BY k ORDER BY ts DESC, i), max(v) OVER (PARTITION BY k) FROM t WHERE i % 5 = 1",
    ]

    func testEveryThreadCountGivesTheSameRowsInTheSameOrder() throws {
        let serial = try database(threads: 1)
        let expected = try queries.map { try rows(serial, $0) }
        for threads in [2, 3, 7] {
            let db = try database(threads: threads)
            for (k, sql) in queries.enumerated() {
                XCTAssertEqual(try rows(db, sql), expected[k], "threads=\(threads): \(sql)")
            }
        }
    }

    /// Expected values from DuckDB for the same table and statements.
    func testAggregatesOverManyMorselsMatchDuckDB() throws {
        let db = try database(threads: 4)
        XCTAssertEqual(try rows(db, "SELECT count(*), sum(i), count(v), count(DISTINCT v), count(DISTINCT k) FROM t"),
                       ["100000|4999950000|80000|800|37"])
        XCTAssertEqual(try rows(db, "SELECT k, count(*), count(DISTINCT v) FROM t GROUP BY k ORDER BY k LIMIT 3"),
                       ["k0|2703|800", "k1|2703|800", "k10|2703|800"])
        XCTAssertEqual(try rows(db, "SELECT i FROM t WHERE k = 'k5' ORDER BY v DESC, i LIMIT 3"),
                       ["5999", "42999", "79999"])
    }

    /// EXPLAIN ANALYZE says how a pipeline's morsels ran (how many, on how many threads) and
    /// how long the tables of the joins it probes took to build.
    func testExplainAnalyzeSaysHowMorselsRan() throws {
        let sql = "EXPLAIN ANALYZE SELECT k, count(*) FROM t WHERE v NOT IN (SELECT v FROM t WHERE i % 7 = 0 AND v IS NOT NULL) GROUP BY k"
        for threads in [1, 2] {
            let db = try database(threads: threads)
            let plan = try rows(db, sql)
            let aggregate = plan.first { $0.contains("Aggregate groups=[k]") } ?? ""
            XCTAssertTrue(aggregate.contains("join tables built in "), "threads=\(threads): \(aggregate)")
            XCTAssertTrue(aggregate.contains(" ms, then 7 morsels on "), "threads=\(threads): \(aggregate)")
            if threads == 1 {
                XCTAssertTrue(aggregate.contains("7 morsels on one thread)"), aggregate)
            } else {
                // The subquery's rows are read on the workers too.
                let build = plan.first { $0.contains("Project [v]") } ?? ""
                XCTAssertTrue(build.contains("7 morsels on "), build)
            }
        }
    }

    /// EXPLAIN ANALYZE says how a window ran: where its input was read and partitioned, and
    /// how each specification was evaluated.
    func testExplainAnalyzeSaysHowAWindowRan() throws {
        let sql = "EXPLAIN ANALYZE SELECT count(f), sum(r) FROM (SELECT min(ts) OVER (PARTITION BY k) AS f, "
            + "row_number() OVER (PARTITION BY v ORDER BY ts) AS r FROM t)"
        for (threads, reading, sorting) in [(1, "input read and partitioned in 7 morsels on one thread", "sorted, evaluated on one thread"),
                                            (2, "input read and partitioned in 7 morsels on 2 threads", "rows split, sorted and put back in 8 partition groups on 2 threads")] {
            let db = try database(threads: threads)
            let window = try rows(db, sql).first { $0.contains("Window [") } ?? ""
            XCTAssertTrue(window.contains("(whole-partition aggregate by k, no sort; partitioned by v, sorted by ts ASC)"), window)
            XCTAssertTrue(window.contains(reading), "threads=\(threads): \(window)")
            XCTAssertTrue(window.contains("[k]: 37 partitions, whole-partition aggregate folded where read, 7 parts combined, no sort"),
                          window)
            XCTAssertTrue(window.contains("[v]: 801 partitions, " + sorting), "threads=\(threads): \(window)")
        }
    }

    func testSetThreads() throws {
        let db = Database()
        XCTAssertEqual(db.threads, SessionSettings.cores)
        try db.query("SET threads = 3")
        XCTAssertEqual(db.threads, 3)
        try db.query("RESET threads")
        XCTAssertEqual(db.threads, SessionSettings.cores)
        XCTAssertThrowsError(try db.query("SET threads = 0")) {
            XCTAssertTrue("\($0)".contains("threads must be a whole number from 1 to 256; found '0'"), "\($0)")
        }
    }

    func testCancellationStopsEveryBusyWorker() throws {
        let db = try database(rows: 400_000, threads: 4)
        let started = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            started.signal()
            usleep(150_000)
            db.cancellation.cancel()
        }
        started.wait()
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertThrowsError(try db.query("SELECT count(*) FROM t WHERE \(slowPredicate)")) {
            XCTAssertTrue("\($0)".contains("cancelled"), "\($0)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertLessThan(seconds, 20)
        db.cancellation.reset()
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM t WHERE i < 10"), ["10"])
    }

    /// Repeated, so that the query is busy for a while on every worker.
    private var slowPredicate: String {
        // `i` differs on every row, so no combination of the columns repeats and the
        // predicate is evaluated row by row.
        (0..<40).map { "lower(v || '\($0)' || i) = 'never'" }.joined(separator: " OR ")
    }

    func testAnErrorInOneWorkerStopsTheQueryWithThatError() throws {
        for threads in [1, 2, 7] {
            let db = try database(threads: threads)
            XCTAssertThrowsError(try db.query("""
                SELECT k, count(*) FROM t
                WHERE CAST(CASE WHEN i = 99990 THEN 'oops' ELSE '1' END AS INTEGER) = 1 GROUP BY k
                """)) {
                XCTAssertTrue("\($0)".contains("'oops'"), "threads=\(threads): \($0)")
            }
            XCTAssertEqual(try rows(db, "SELECT count(*) FROM t WHERE k = 'k1'"), ["2703"], "threads=\(threads)")
        }
    }

    /// An expression evaluated once per distinct value still raises its error, and so does
    /// a join's build side run on a worker.
    func testErrorsOfMemoizedExpressionsAndJoinBuilds() throws {
        for threads in [1, 2, 7] {
            let db = try database(threads: threads)
            XCTAssertThrowsError(try db.query("""
                SELECT k, count(*) FROM t
                WHERE CAST(CASE WHEN v = 'v999' THEN 'oops' ELSE '1' END AS INTEGER) = 1 GROUP BY k
                """)) {
                XCTAssertTrue("\($0)".contains("'oops'"), "threads=\(threads): \($0)")
            }
            XCTAssertThrowsError(try db.query("""
                SELECT a.k, sum(b.c) FROM t a
                JOIN (SELECT i, CAST(CASE WHEN i = 777 THEN 'bad' ELSE '1' END AS INTEGER) AS c FROM t) b ON a.i = b.i
                GROUP BY a.k
                """)) {
                XCTAssertTrue("\($0)".contains("'bad'"), "threads=\(threads): \($0)")
            }
            XCTAssertEqual(try rows(db, "SELECT count(*) FROM t WHERE k = 'k1'"), ["2703"], "threads=\(threads)")
        }
    }

    /// Expected values from DuckDB for the same table and statements.
    /// Group keys found through dictionary codes, repeated keys of consecutive rows, time
    /// buckets (no longer memoized per time value) and a boolean compared with a constant.
    func testGroupKeysOfCodesRunsAndTimesMatchDuckDB() throws {
        for threads in [1, 3] {
            let db = try database(threads: threads)
            XCTAssertEqual(try rows(db, "SELECT k, v, count(*) FROM t WHERE i % 2 = 0 GROUP BY k, v ORDER BY 3 DESC, 1, 2 NULLS FIRST LIMIT 3"),
                           ["k0|NULL|271", "k10|NULL|271", "k13|NULL|271"])
            XCTAssertEqual(try rows(db, "SELECT count(*) FROM (SELECT k, v FROM t GROUP BY k, v)"), ["29637"])
            XCTAssertEqual(try rows(db, "SELECT count(*), sum(n), max(n) FROM (SELECT i // 1000 * 1000000007 AS a, i // 2000 AS b, count(*) AS n FROM t GROUP BY 1, 2)"),
                           ["100|100000|1000"])
            XCTAssertEqual(try rows(db, "SELECT date_trunc('hour', ts) AS h, count(*), count(DISTINCT k) FROM t GROUP BY 1 ORDER BY 1"),
                           ["2024-01-01 00:00:00|61860|37", "2024-01-01 01:00:00|38140|37"])
            XCTAssertEqual(try rows(db, "SELECT time_bucket(INTERVAL '15 minutes', ts) AS b, count(*) FILTER (WHERE (i % 3 = 0) = false) FROM t GROUP BY b ORDER BY b LIMIT 3"),
                           ["2024-01-01 00:00:00|10310", "2024-01-01 00:15:00|10310", "2024-01-01 00:30:00|10310"])
        }
    }

    func testMemoizedExpressionsAndParallelJoinsMatchDuckDB() throws {
        let db = try database(threads: 7)
        XCTAssertEqual(try rows(db, """
            SELECT k, count(*) FROM t WHERE k || ' ' || v NOT IN
              (SELECT k || ' ' || v FROM t WHERE i % 11 = 0 AND v IS NOT NULL) GROUP BY k ORDER BY k LIMIT 3
            """), ["k0|1616", "k1|1617", "k10|1615"])
        XCTAssertEqual(try rows(db, """
            SELECT coalesce(v, CAST(i % 7 AS VARCHAR)) AS f, count(*) FROM t WHERE i % 3 = 0
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3
            """), ["0|953", "1|953", "2|953"])
        XCTAssertEqual(try rows(db, """
            SELECT a.k, count(*), count(b.i) FROM t a LEFT JOIN (SELECT i, k FROM t WHERE i % 4 = 0) b
              ON a.i = b.i AND b.k <> 'k3' GROUP BY a.k ORDER BY a.k LIMIT 4
            """), ["k0|2703|676", "k1|2703|675", "k10|2703|676", "k11|2703|676"])
        XCTAssertEqual(try rows(db, "SELECT count(*), count(DISTINCT a.k) FROM t a JOIN t b ON a.v = b.v WHERE a.i < 3000 AND b.i % 100 = 1"),
                       ["3000|30"])
    }

    func testUnmatchedRowsOfLeftJoinsAndFilterOnlyColumnsMatchDuckDB() throws {
        for threads in [1, 2, 7] {
            let db = try database(threads: threads)
            XCTAssertEqual(try rows(db, """
                SELECT a.k, count(*), count(a.v) FROM t a LEFT JOIN (SELECT v FROM t WHERE i % 3 = 0 AND i < 20000) b
                  ON a.v = b.v WHERE b.v IS NULL AND a.i % 2 = 0 GROUP BY a.k ORDER BY a.k LIMIT 3
                """), ["k0|271|0", "k1|270|0", "k10|271|0"], "threads=\(threads)")
            // IS NULL on a right column that is not the key keeps matched rows too.
            XCTAssertEqual(try rows(db, """
                SELECT count(*), count(b.i) FROM t a LEFT JOIN (SELECT i, v FROM t WHERE i % 2 = 0) b
                  ON a.i = b.i WHERE b.v IS NULL
                """), ["60000|10000"], "threads=\(threads)")
            XCTAssertEqual(try rows(db, "SELECT v, count(*) FROM t WHERE k = 'k5' AND i % 2 = 0 GROUP BY v ORDER BY 2 DESC, 1 NULLS FIRST LIMIT 3"),
                           ["NULL|270", "v102|3", "v104|3"], "threads=\(threads)")
            XCTAssertEqual(try rows(db, "SELECT count(*) FROM t WHERE k = 'k5' AND ts > TIMESTAMP '2024-01-01 00:30:00'"),
                           ["1840"], "threads=\(threads)")
        }
    }
}

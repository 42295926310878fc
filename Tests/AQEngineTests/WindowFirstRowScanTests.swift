// The first row per partition over a table's stored codes (`PhysicalWindowFirstRowScan`):
// a table kept as an event table keeps it (string columns as narrow codes into one
// dictionary per column), NULL partition keys and NULL times, ties, DESC and NULLS FIRST,
// partitions spread over every chunk, one, two and four bytes a code, a projection, an
// empty table, and a table whose chunks use two dictionaries (the general path runs), at
// threads 1, 2 and 7. Expected answers from DuckDB for the same rows (the `range` formulas
// below) with `, i` added to each ORDER BY: aq's ties keep the row read first, which is the
// smallest i.

import AQEngine
import XCTest

final class WindowFirstRowScanTests: XCTestCase {
    private static let source = """
        CREATE TABLE src AS
        SELECT range AS i,
               CASE WHEN range % 11 = 0 THEN NULL ELSE 'a' || (range % 5) END AS a,
               CASE WHEN range % 7 = 0 THEN NULL ELSE 'v' || (range % 1000) END AS v,
               'w' || range AS w,
               CASE WHEN range % 13 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01' + INTERVAL ((range * 7919) % 5000) MINUTE END AS ts,
               TIMESTAMP '2024-01-01' + INTERVAL ((range * 37) % 100) MINUTE AS ts2,
               'x' || (range % 3) AS x
        FROM range(70000)
        """

    /// `t`: the 70,000 rows of `source` (35 chunks), every string column as narrow codes into
    /// one dictionary per column (`a`: one byte, `v`: two, `w`: four from row 65,536 on) but
    /// `x`, kept as the strings SQL made;
    /// `u`: the same rows with chunks from 20 on coded in dictionaries of their own;
    /// `none`: `t`'s columns and no rows.
    private func database(threads: Int) throws -> Database {
        let db = Database()
        db.threads = threads
        try db.query(WindowFirstRowScanTests.source)
        guard let source = db.catalog.table(named: "src") else { throw XCTSkip("no table src") }
        let t = Table(name: "t", columns: source.columns)
        let u = Table(name: "u", columns: source.columns)
        let first = source.columns.map { _ in StringDictionary() }
        let second = source.columns.map { _ in StringDictionary() }
        for (k, batch) in source.chunks.enumerated() {
            func coded(_ dictionaries: [StringDictionary]) -> StoredChunk {
                let columns = batch.columns.enumerated().map { c, vector -> StoredColumn in
                    guard vector.type == .varchar, source.columns[c].name != "x" else { return .vector(vector) }
                    let codes = (0..<batch.count).map { row -> UInt32 in
                        guard case .varchar(let s) = vector.value(at: row) else { return 0 }
                        return dictionaries[c].code(for: s)
                    }
                    return .codes(NarrowCodes(codes), dictionary: dictionaries[c], type: .varchar, validity: vector.validity)
                }
                return StoredChunk(count: batch.count, columns: columns)
            }
            t.append(packed: coded(first))
            u.append(packed: coded(k < 20 ? first : second))
        }
        db.catalog.add(t)
        db.catalog.add(u)
        db.catalog.add(Table(name: "none", columns: source.columns))
        return db
    }

    private func rows(_ db: Database, _ sql: String) throws -> [String] {
        try db.query(sql).rows.map { row in row.map(SQLLogicTestRunner.cellText).joined(separator: "|") }
    }

    /// How the window ran, from EXPLAIN ANALYZE.
    private func howItRan(_ db: Database, _ sql: String) throws -> String {
        try rows(db, "EXPLAIN ANALYZE " + sql).first { $0.contains("Window [") } ?? ""
    }

    /// Statements (each a first row per partition by a string column, ordered by one time
    /// column) and DuckDB's rows for them.
    private let cases: [(String, [String])] = [
        ("SELECT a, ts, i FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY ts) = 1 ORDER BY a NULLS LAST", [
            "a0|2024-01-01 00:00:00|5000", "a1|2024-01-01 00:04:00|716", "a2|2024-01-01 00:03:00|3037",
            "a3|2024-01-01 00:02:00|358", "a4|2024-01-01 00:01:00|2679", "NULL|2024-01-01 00:00:00|55000"]),
        ("SELECT a, ts, i FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY ts DESC) = 1 ORDER BY a NULLS LAST", [
            "a0|2024-01-04 11:15:00|1605", "a1|2024-01-04 11:19:00|7321", "a2|2024-01-04 11:18:00|9642",
            "a3|2024-01-04 11:17:00|11963", "a4|2024-01-04 11:16:00|4284", "NULL|2024-01-04 11:19:00|2321"]),
        ("SELECT a, ts, i FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY ts NULLS FIRST) = 1 ORDER BY a NULLS LAST", [
            "a0|NULL|65", "a1|NULL|26", "a2|NULL|52", "a3|NULL|13", "a4|NULL|39", "NULL|NULL|0"]),
        // A column of strings not coded is read per chunk for the winners.
        ("SELECT a, x, i FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY ts) = 1 ORDER BY a NULLS LAST", [
            "a0|x2|5000", "a1|x2|716", "a2|x1|3037", "a3|x1|358", "a4|x0|2679", "NULL|x1|55000"]),
        // Ties: 100 distinct times among 70,000 rows.
        ("SELECT a, ts2, i FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY ts2 DESC) = 1 ORDER BY a NULLS LAST", [
            "a0|2024-01-01 01:35:00|35", "a1|2024-01-01 01:37:00|81", "a2|2024-01-01 01:39:00|27",
            "a3|2024-01-01 01:36:00|8", "a4|2024-01-01 01:38:00|54", "NULL|2024-01-01 01:39:00|627"]),
        ("SELECT count(*), sum(i), count(ts), max(ts) FROM (SELECT i, ts FROM t QUALIFY row_number() OVER (PARTITION BY v ORDER BY ts) = 1)",
         ["1001|3665500|1001|2024-01-01 16:39:00"]),
        ("SELECT count(*), sum(i), count(ts), min(ts) FROM (SELECT i, ts FROM t QUALIFY row_number() OVER (PARTITION BY v ORDER BY ts DESC NULLS FIRST) = 1)",
         ["1001|8352500|0|NULL"]),
        ("SELECT count(*), sum(i), max(ts2) FROM (SELECT i, ts2 FROM t QUALIFY row_number() OVER (PARTITION BY v ORDER BY ts2 DESC) = 1)",
         ["1001|642927|2024-01-01 01:39:00"]),
        ("SELECT count(*), sum(i), count(ts) FROM (SELECT i, ts FROM t QUALIFY row_number() OVER (PARTITION BY w ORDER BY ts) = 1)",
         ["70000|2449965000|64615"]),
        ("SELECT key, t, i FROM (SELECT v AS key, ts2 AS t, i FROM t) QUALIFY row_number() OVER (PARTITION BY key ORDER BY t) = 1 ORDER BY i LIMIT 3", [
            "NULL|2024-01-01 00:00:00|0", "v1|2024-01-01 00:37:00|1", "v2|2024-01-01 01:14:00|2"]),
    ]

    func testFirstRowsOnStoredCodesMatchDuckDBAtEveryThreadCount() throws {
        for threads in [1, 2, 7] {
            let db = try database(threads: threads)
            for (sql, expected) in cases {
                XCTAssertEqual(try rows(db, sql), expected, "threads=\(threads): \(sql)")
                XCTAssertTrue(try howItRan(db, sql).contains("over the stored chunks"), "threads=\(threads): \(sql)")
                // The same rows from the general first-row path, over a table not coded in one
                // dictionary.
                let general = sql.replacingOccurrences(of: "FROM t", with: "FROM u")
                XCTAssertEqual(try rows(db, general), expected, "threads=\(threads): \(general)")
                XCTAssertTrue(try howItRan(db, general).contains("not coded in one dictionary"), "threads=\(threads): \(general)")
            }
        }
    }

    func testEmptyTableAndFilteredScan() throws {
        for threads in [1, 2] {
            let db = try database(threads: threads)
            let empty = "SELECT count(*), min(ts) FROM (SELECT v, ts FROM none QUALIFY row_number() OVER (PARTITION BY v ORDER BY ts) = 1)"
            XCTAssertEqual(try rows(db, empty), ["0|NULL"])
            XCTAssertTrue(try howItRan(db, empty).contains("over the stored chunks"))
            // A filter in the scan keeps the general path.
            let filtered = "SELECT count(*), sum(i) FROM (SELECT v, ts, i FROM t WHERE i < 5000 QUALIFY row_number() OVER (PARTITION BY v ORDER BY ts) = 1)"
            XCTAssertEqual(try rows(db, filtered), ["1001|2494895"])
            XCTAssertFalse(try howItRan(db, filtered).contains("over the stored chunks"))
        }
    }
}

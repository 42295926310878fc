// Filters a scan tests on the stored dictionary codes of a chunk (one, two or four bytes a
// row), as a loaded or opened table keeps its string columns: `=`, `<>`, `<`, `IN`,
// `NOT IN` (with a NULL too), `IS [NOT] NULL`, in front of and behind other conjuncts, over
// many morsels, at threads 1, 2 and 7. Expected answers from DuckDB for the same rows
// (the `range` formulas below) and statements.

import AQEngine
import XCTest

final class ScanCodeFilterTests: XCTestCase {
    /// `t`: 70,000 rows made by SQL, then kept as an event table keeps them: every string
    /// column as narrow codes into one dictionary per column (`a`: 5 values and NULLs, one
    /// byte; `v`: 1,000 values and NULLs, two bytes; `w`: one value a row, four bytes from
    /// row 65,536 on), the others as vectors.
    private func database(threads: Int) throws -> Database {
        let db = Database()
        db.threads = threads
        try db.query("""
            CREATE TABLE src AS
            SELECT range AS i,
                   CASE WHEN range % 11 = 0 THEN NULL ELSE 'a' || (range % 5) END AS a,
                   CASE WHEN range % 7 = 0 THEN NULL ELSE 'v' || (range % 1000) END AS v,
                   'w' || range AS w,
                   TIMESTAMP '2024-01-01' + INTERVAL (range) MINUTE AS ts
            FROM range(70000)
            """)
        guard let source = db.catalog.table(named: "src") else { throw XCTSkip("no table src") }
        let table = Table(name: "t", columns: source.columns)
        let dictionaries = source.columns.map { _ in StringDictionary() }
        for batch in source.chunks {
            let columns = batch.columns.enumerated().map { c, vector -> StoredColumn in
                guard vector.type == .varchar else { return .vector(vector) }
                let codes = (0..<batch.count).map { row -> UInt32 in
                    guard case .varchar(let s) = vector.value(at: row) else { return 0 }
                    return dictionaries[c].code(for: s)
                }
                return .codes(NarrowCodes(codes), dictionary: dictionaries[c], type: .varchar, validity: vector.validity)
            }
            table.append(packed: StoredChunk(count: batch.count, columns: columns))
        }
        db.catalog.add(table)
        return db
    }

    private func rows(_ db: Database, _ sql: String) throws -> [String] {
        try db.query(sql).rows.map { row in row.map(SQLLogicTestRunner.cellText).joined(separator: "|") }
    }

    /// Statements and DuckDB's rows for them.
    private let cases: [(String, [String])] = [
        ("SELECT count(*), sum(i) FROM t WHERE a = 'a3'", ["12727|445435451"]),
        ("SELECT count(*), sum(i) FROM t WHERE a = 'a3' AND v = 'v13'", ["54|1808702"]),
        ("SELECT v, count(*) FROM t WHERE a <> 'a1' AND v < 'v100' GROUP BY v ORDER BY v", ["v0|54", "v10|55"]),
        ("SELECT count(*), min(w), max(ts) FROM t WHERE a IN ('a0', 'a4', 'zz') AND v IS NOT NULL",
         ["21819|w10|2024-02-18 14:39:00"]),
        ("SELECT count(*), count(v) FROM t WHERE a NOT IN ('a0', 'a1')", ["38182|32728"]),
        ("SELECT count(*) FROM t WHERE a NOT IN ('a0', NULL)", ["0"]),
        ("SELECT count(*), sum(i) FROM t WHERE a IN ('a2', NULL) AND i < 1000", ["182|91089"]),
        ("SELECT count(*), count(a), count(v) FROM t WHERE a IS NULL", ["6364|0|5454"]),
        ("SELECT count(*) FROM t WHERE w IS NOT NULL AND w IS NULL", ["0"]),
        ("SELECT i, a, v, w FROM t WHERE w = 'w69999' OR w = 'w3'", ["3|a3|v3|w3", "69999|a4|v999|w69999"]),
        ("SELECT i, a, v FROM t WHERE w IN ('w65536', 'w65537', 'w12') ORDER BY i", [
            "12|a2|v12", "65536|a1|v536", "65537|a2|v537"]),
        // A string test behind another conjunct, and the kept rows' columns.
        ("SELECT i, a, ts FROM t WHERE i % 997 = 3 AND a = 'a0' ORDER BY i LIMIT 4", [
            "1000|a0|2024-01-01 16:40:00", "5985|a0|2024-01-05 03:45:00",
            "10970|a0|2024-01-08 14:50:00", "15955|a0|2024-01-12 01:55:00"]),
        ("SELECT date_trunc('hour', ts) AS h, a, count(*) FROM t WHERE v = 'v5' AND a IS NOT NULL GROUP BY ALL ORDER BY h LIMIT 3", [
            "2024-01-01 00:00:00|a0|1", "2024-01-01 16:00:00|a0|1", "2024-01-02 09:00:00|a0|1"]),
        ("SELECT count(*) FROM t WHERE a = 'nothing'", ["0"]),
    ]

    func testFiltersOnStoredCodesMatchDuckDBAtEveryThreadCount() throws {
        for threads in [1, 2, 7] {
            let db = try database(threads: threads)
            for (sql, expected) in cases {
                XCTAssertEqual(try rows(db, sql), expected, "threads=\(threads): \(sql)")
            }
        }
    }

    /// The same statements on the table as SQL made it (vectors, not codes) give the same rows.
    func testStoredCodesAndVectorsAgree() throws {
        let db = try database(threads: 2)
        for (sql, _) in cases {
            let plain = sql.replacingOccurrences(of: " FROM t ", with: " FROM src ")
            XCTAssertEqual(try rows(db, sql), try rows(db, plain), sql)
        }
    }
}

// COPY … TO and EXPLAIN CLICKHOUSE: what the parser makes of them, and its errors.

import XCTest
@testable import AQSyntax

final class ParserCopyTests: XCTestCase {
    func testCopyOfATableAndOfAQuery() {
        XCTAssertEqual(parseDump("COPY events TO 'e.parquet' (FORMAT parquet, COMPRESSION 'gzip', ROW_GROUP_SIZE 1000)"),
                       "(copy events 'e.parquet' (format 'parquet') (compression 'gzip') (row_group_size 1000))")
        XCTAssertEqual(parseDump("COPY (SELECT a FROM t) TO 'out' (FORMAT csv, PARTITION_BY (a, b), HEADER false, OVERWRITE_OR_IGNORE)"),
                       "(copy (select (a) (from t)) 'out' (format 'csv') (partition_by (a b)) (header false) (overwrite_or_ignore))")
        XCTAssertEqual(parseDump("COPY t TO 'x.csv'"), "(copy t 'x.csv')")
    }

    func testCopyErrors() {
        XCTAssertEqual(parseDump("COPY t 'x'"), """
            error: line 1, column 8: expected 'TO', found string 'x'
              COPY t 'x'
                     ^~~
            """)
        XCTAssertEqual(parseDump("COPY t TO x"), """
            error: line 1, column 11: expected a file path in quotes, found 'x'
              COPY t TO x
                        ^
            """)
        XCTAssertEqual(parseDump("COPY (1) TO 'x'"), """
            error: line 1, column 7: expected a query, found '1'
              COPY (1) TO 'x'
                    ^
            """)
    }

    func testExplainClickHouse() {
        XCTAssertEqual(parseDump("EXPLAIN CLICKHOUSE SELECT 1"), "(explain-clickhouse (select (1)))")
        XCTAssertEqual(parseDump("EXPLAIN CLICKHOUSE DDL"), "(explain-clickhouse-ddl)")
        XCTAssertEqual(parseDump("explain clickhouse ddl 's3://b/e/*.parquet'"), "(explain-clickhouse-ddl 's3://b/e/*.parquet')")
        XCTAssertEqual(parseDump("EXPLAIN CLICKHOUSE TIMELINE tag = 'v1'"), "(explain-clickhouse (timeline (= tag 'v1')))")
    }
}

// COPY … TO: the files it writes (Parquet read back by DuckDB and pyarrow, CSV and JSON
// lines as --format writes them, Hive partition folders) and its errors.

import Foundation
import XCTest
@testable import AQEngine

final class CopyTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aq-copy-\(getpid())-\(name.hashValue)").path
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func table() throws -> Database {
        let db = Database()
        try db.query("""
            CREATE TABLE t (i INTEGER, d DOUBLE, s VARCHAR, b BOOLEAN, ts TIMESTAMP, day DATE, j JSON);
            INSERT INTO t VALUES
              (1, 1.5, 'a', true, TIMESTAMP '2024-04-12 08:58:30.855892463', DATE '2024-04-12', '{"k": [1, 2]}'),
              (NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (-7, -0.25, '', false, TIMESTAMP '1969-12-31 23:59:59.5', DATE '1969-12-31', '"x"'),
              (3, 2.0, 'a,"b"', true, TIMESTAMP '2024-04-12 08:58:30', DATE '2024-04-13', 'null');
            """)
        return db
    }

    /// Runs python3 with DuckDB / pyarrow on `script`; nil when they are not installed.
    func python(_ script: String) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    func testParquetReadsBackInDuckDBWithTypesAndValues() throws {
        let db = try table()
        let result = try db.query("COPY t TO '\(directory)/t.parquet' (FORMAT parquet)")
        XCTAssertEqual(result.message, "copied 4 rows to \(directory)/t.parquet")
        guard let out = try python("""
            import duckdb
            c = duckdb.connect()
            print(c.execute("SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM '\(directory)/t.parquet')").fetchone()[0])
            for r in c.execute("SELECT i, d, s, b, epoch_ns(ts), day, j FROM '\(directory)/t.parquet'").fetchall(): print(r)
            """) else { throw XCTSkip("python3 with duckdb is not installed") }
        XCTAssertEqual(out, """
            i BIGINT, d DOUBLE, s VARCHAR, b BOOLEAN, ts TIMESTAMPTZ_NS, day DATE, j VARCHAR
            (1, 1.5, 'a', True, 1712912310855892463, datetime.date(2024, 4, 12), '{"k": [1, 2]}')
            (None, None, None, None, None, None, None)
            (-7, -0.25, '', False, -500000000, datetime.date(1969, 12, 31), '"x"')
            (3, 2.0, 'a,"b"', True, 1712912310000000000, datetime.date(2024, 4, 13), 'null')

            """)
    }

    func testRowGroupsStatisticsDictionaryAndCodecInPyarrow() throws {
        let db = Database()
        try db.query("CREATE TABLE n AS SELECT i, 'v' || CAST(i % 3 AS VARCHAR) AS s FROM range(10000) AS r (i)")
        try db.query("COPY n TO '\(directory)/n.parquet' (ROW_GROUP_SIZE 4000, COMPRESSION uncompressed)")
        guard let out = try python("""
            import pyarrow.parquet as pq
            m = pq.ParquetFile('\(directory)/n.parquet').metadata
            print(m.num_rows, m.num_row_groups, [m.row_group(g).num_rows for g in range(m.num_row_groups)])
            c = m.row_group(1).column(0); print(c.statistics.min, c.statistics.max, c.statistics.null_count, c.compression)
            s = m.row_group(2).column(1); print(s.statistics.min, s.statistics.max, s.has_dictionary_page, s.encodings)
            """) else { throw XCTSkip("python3 with pyarrow is not installed") }
        XCTAssertEqual(out, """
            10000 3 [4000, 4000, 2000]
            4000 7999 0 UNCOMPRESSED
            v0 v2 True ('PLAIN', 'RLE', 'RLE_DICTIONARY')

            """)
    }

    func testCSVAndJSONLinesFollowTheOutputFormats() throws {
        let db = try table()
        try db.query("COPY (SELECT i, d, s, b, ts FROM t) TO '\(directory)/t.csv' (FORMAT csv)")
        XCTAssertEqual(try String(contentsOfFile: directory + "/t.csv", encoding: .utf8), #"""
            i,d,s,b,ts
            1,1.5,a,true,2024-04-12 08:58:30.855892463
            ,,,,
            -7,-0.25,"",false,1969-12-31 23:59:59.5
            3,2.0,"a,""b""",true,2024-04-12 08:58:30

            """#)
        try db.query("COPY (SELECT i, s, b, j FROM t) TO '\(directory)/t.json' (FORMAT json)")
        XCTAssertEqual(try String(contentsOfFile: directory + "/t.json", encoding: .utf8), #"""
            {"i":1,"s":"a","b":true,"j":{"k": [1, 2]}}
            {"i":null,"s":null,"b":null,"j":null}
            {"i":-7,"s":"","b":false,"j":"x"}
            {"i":3,"s":"a,\"b\"","b":true,"j":null}

            """#)
    }

    /// Lists go out as JSON arrays and as their text in CSV, as DuckDB writes them (and as the
    /// shell's `json` and `csv` formats do: one writer of values for both).
    func testListsAreJSONArraysAndCSVText() throws {
        let db = Database()
        let select = "SELECT [1, 2] AS l, ['x', NULL] AS t, 'a' AS s"
        try db.query("COPY (\(select)) TO '\(directory)/l.json' (FORMAT json)")
        XCTAssertEqual(try String(contentsOfFile: directory + "/l.json", encoding: .utf8), #"{"l":[1,2],"t":["x",null],"s":"a"}"# + "\n")
        try db.query("COPY (\(select)) TO '\(directory)/l.csv' (FORMAT csv)")
        XCTAssertEqual(try String(contentsOfFile: directory + "/l.csv", encoding: .utf8), "l,t,s\n\"[1, 2]\",\"[x, NULL]\",a\n")
    }

    func testPartitionFolders() throws {
        let db = try table()
        try db.query("COPY (SELECT i, s, day FROM t) TO '\(directory)/p' (FORMAT csv, PARTITION_BY (day))")
        let folders = try FileManager.default.contentsOfDirectory(atPath: directory + "/p").sorted()
        XCTAssertEqual(folders, ["day=1969-12-31", "day=2024-04-12", "day=2024-04-13", "day=NULL"])
        XCTAssertEqual(try String(contentsOfFile: directory + "/p/day=2024-04-12/data_0.csv", encoding: .utf8), "i,s\n1,a\n")
        XCTAssertThrowsError(try db.query("COPY t TO '\(directory)/p' (FORMAT csv, PARTITION_BY (day))")) { error in
            XCTAssertEqual((error as? AQError)?.message,
                           "directory '\(directory)/p' is not empty; add OVERWRITE_OR_IGNORE to write into it")
        }
        XCTAssertNoThrow(try db.query("COPY t TO '\(directory)/p' (FORMAT parquet, PARTITION_BY (day), OVERWRITE_OR_IGNORE)"))
        XCTAssertEqual(CopyExporter.folderValue("a/b=c%"), "a%2Fb%3Dc%25")
    }

    func testErrorsNameTheOptionAndPlace() throws {
        let db = try table()
        func message(_ sql: String) -> String {
            do {
                try db.query(sql)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message("COPY t TO 'x' (FORMT csv)"), """
            line 1, column 16: unknown COPY option 'formt' (did you mean 'format'?); options are FORMAT, PARTITION_BY, COMPRESSION, ROW_GROUP_SIZE, HEADER, OVERWRITE_OR_IGNORE
              COPY t TO 'x' (FORMT csv)
                             ^~~~~~~~~
            """)
        XCTAssertTrue(message("COPY t TO 'x' (FORMAT xlsx)").hasPrefix("line 1, column 16: unknown COPY format 'xlsx': use parquet, csv or json"))
        XCTAssertTrue(message("COPY t TO 'x.parquet' (COMPRESSION lzo)").hasPrefix("line 1, column 24: unknown compression 'lzo' for parquet: use uncompressed or gzip"))
        XCTAssertTrue(message("COPY t TO '\(directory)/q' (PARTITION_BY (dya))").contains("PARTITION_BY: no column 'dya' in the copied rows (did you mean 'day'?)"))
        XCTAssertTrue(message("COPY nope TO 'x'").contains("nope"))
        XCTAssertTrue(message("COPY t TO '/nonexistent-dir/x.csv'").hasPrefix("line 1, column 11: /nonexistent-dir/x.csv: no such file or directory"))
    }
}

// Results written as the statement makes them: a result far larger than the memory limit
// streams to CSV and JSON, an error part-way keeps the rows written before it, and a table
// on a screen keeps only the rows it shows.

import Foundation
import XCTest
import AQEngine
import AQSyntax
@testable import AQShell

final class StreamingOutputTests: XCTestCase {
    /// 4 million rows of two integers (64 MB held) under a 40 MB limit: held, the result
    /// passes the limit; written as it is made, every row comes out and the limit is not hit.
    func testACrossJoinLargerThanTheMemoryLimitStreamsToCSV() throws {
        let query = "SELECT a.i AS a, b.i AS b FROM range(2000) a(i), range(2000) b(i)"
        let held = Database()
        try held.query("SET memory_limit = '40MB'")
        XCTAssertThrowsError(try held.query(query)) {
            XCTAssertTrue("\($0)".contains("memory limit of 40.0 MB exceeded"), "\($0)")
        }

        let run = try runAQ(["-csv", "-c", "SET memory_limit = '40MB'; \(query);"], timeout: 300)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        var lines = 0
        for byte in run.stdout.utf8 where byte == 10 { lines += 1 }
        XCTAssertEqual(lines, 4_000_001)
        XCTAssertTrue(run.stdout.hasPrefix("a,b\n0,0\n0,1\n"))
        XCTAssertTrue(run.stdout.hasSuffix("\n1999,1999\n"))
    }

    /// 3 million rows (48 MB held) as a JSON array under the same limit.
    func testJSONStreamsToo() throws {
        let run = try runAQ(["-json", "-c", "SET memory_limit = '40MB'; SELECT a.i AS a, b.i AS b FROM range(2000) a(i), range(1500) b(i);"],
                            timeout: 300)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        XCTAssertTrue(run.stdout.hasPrefix("[{\"a\":0,\"b\":0},\n{\"a\":0,\"b\":1},\n"))
        XCTAssertTrue(run.stdout.hasSuffix(",\n{\"a\":1999,\"b\":1499}]\n"))
        var lines = 0
        for byte in run.stdout.utf8 where byte == 10 { lines += 1 }
        XCTAssertEqual(lines, 2000 * 1500)
    }

    /// A row that fails part-way through the result: the batches before it are written, the
    /// error follows on standard error, and the statement has failed (exit status 1).
    func testAnErrorPartWayKeepsTheRowsWrittenBeforeIt() throws {
        let query = "SET threads = 1; SELECT CAST(CASE WHEN i < 5000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM range(10000) t(i);"
        for format in ["-csv", "-ndjson", "-line"] {
            let run = try runAQ([format, "-c", query])
            XCTAssertEqual(run.status, 1, format)
            // Two whole batches of 2,048 rows came before the one holding row 5,000.
            let rows = run.stdout.components(separatedBy: "\n").filter { $0 == "1" || $0 == "{\"v\":1}" || $0 == "v = 1" }
            XCTAssertEqual(rows.count, 4096, format)
            XCTAssertTrue(run.stderr.contains("'x'"), run.stderr)
        }
        // The table waits for the whole result: nothing but the error.
        let table = try runAQ(["-table", "-c", query])
        XCTAssertEqual(table.status, 1)
        XCTAssertEqual(table.stdout, "")
        XCTAssertTrue(table.stderr.contains("'x'"), table.stderr)
    }

    /// A table on a screen keeps its first rows and, from the last batches, its last rows,
    /// wherever the batches break.
    func testATableOnAScreenShowsTheFirstAndLastRowsAcrossBatches() {
        for (count, batchSize) in [(1234, 2), (1234, 1), (8, 3), (7, 2), (3, 1)] {
            let rows = (1...count).map { [Value.integer(Int64($0))] }
            let text = render(makeResult([("i", .integer)], rows, batchSize: batchSize), .table, limits: DisplayLimits(maxRows: 7))
            let lines = text.split(separator: "\n").map(String.init)
            let cells = lines.filter { $0.hasPrefix("│") }.dropFirst(2).map { $0.filter { $0 != " " && $0 != "│" } }
            if count > 7 {
                XCTAssertEqual(lines.last, "7 of \(grouped(count)) rows shown")
                XCTAssertEqual(cells, ["1", "2", "3", "4", "·"] + (count - 2...count).map(String.init), "\(count) \(batchSize)")
            } else {
                XCTAssertEqual(lines.last, "\(count) rows")
                XCTAssertEqual(cells, (1...count).map(String.init), "\(count) \(batchSize)")
            }
        }
    }

    /// `.chart` draws the last result when it was kept; a result too large to keep says so.
    func testChartSaysWhenTheLastResultWasTooLargeToKeep() throws {
        let errors = OutputSink.memory()
        let session = ShellSession(format: .csv, output: try OutputSink.file("/dev/null"), errors: errors)
        let thousands = ResultStream.keptByteLimit / 16 / 1000 + 10
        XCTAssertTrue(session.run(Source("SELECT a.i AS a, b.i AS b FROM range(\(thousands)) a(i), range(1000) b(i);")))
        XCTAssertNil(session.lastResult)
        XCTAssertEqual(DotCommandRunner(session: session, fileName: nil).run(".chart", line: 1), .failed)
        XCTAssertTrue(errors.text.contains(".chart: the last result was too large to keep (over 4 MB)"), errors.text)

        XCTAssertTrue(session.run(Source("SELECT * FROM (VALUES ('a', 2), ('b', 1)) t(k, v);")))
        XCTAssertEqual(session.lastResult?.rowCount, 2)
        XCTAssertEqual(DotCommandRunner(session: session, fileName: nil).run(".chart", line: 1), .ok)
    }

    /// `aq -csv -c '<10¹⁰-row cross join>' | head -3`: once the reader has closed the pipe,
    /// aq ends at once and quietly — killed by SIGPIPE as sqlite3 and DuckDB are (status
    /// 128 + 13 in a shell), or, when SIGPIPE is ignored, by the failed write: the statement
    /// and its workers stop, nothing after it runs, status 1, nothing on standard error.
    func testAClosedPipeEndsAQAtOnce() throws {
        let script = "SELECT * FROM range(100000) a, range(100000) b; SELECT 'after' AS x;"
        for ignoring in [false, true] {
            let aq = try PipedAQ(["-csv", "-c", script], ignoringSIGPIPE: ignoring)
            XCTAssertTrue(aq.readLines(3), "no rows came")
            XCTAssertTrue(String(decoding: aq.stdout, as: UTF8.self).hasPrefix("range,range\n0,0\n0,1\n"))
            aq.closeOutput()
            // A guard against a hang only: well within it, aq has ended.
            let status = aq.waitForExit(timeout: 60)
            XCTAssertEqual(status, ignoring ? 1 : 128 + SIGPIPE, "SIGPIPE ignored: \(ignoring)")
            XCTAssertEqual(aq.stderr, "")
        }
    }

    /// Ctrl-C (SIGINT) while `-c` streams a large result: the rows written stay (whole
    /// lines), `interrupted` follows on standard error, the statements after it do not run,
    /// and the exit status is 1 (a statement failed).
    func testCtrlCStopsAStreamedRunKeepingTheRowsWritten() throws {
        let aq = try PipedAQ(["-csv", "-c", "SELECT * FROM range(100000) a, range(100000) b; SELECT 'after' AS x;"])
        XCTAssertTrue(aq.readLines(5000), "no rows came")
        kill(aq.pid, SIGINT)
        XCTAssertTrue(aq.readToEnd(timeout: 60), "aq went on writing after SIGINT")
        XCTAssertEqual(aq.waitForExit(timeout: 60), 1)
        XCTAssertTrue(aq.stderr.hasSuffix("interrupted\n"))
        let text = String(decoding: aq.stdout, as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 5000)
        XCTAssertEqual(lines.first, "range,range")
        // Every row whole and in order: row k is (k / 100000, k % 100000).
        for (k, line) in lines.dropFirst().enumerated() where line != "\(k / 100_000),\(k % 100_000)" {
            XCTFail("row \(k) is \(line)")
            break
        }
        XCTAssertFalse(text.contains("after"))
    }
}

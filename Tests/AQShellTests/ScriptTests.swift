import XCTest
@testable import AQShell

/// Statements run by the built `aq`: output formats, errors with their positions, exit status.
final class ScriptTests: XCTestCase {
    let values = "SELECT 1 AS n, NULL AS missing, '' AS empty, 'a,\"b\"' AS quoted, true AS ok, "
        + "CAST('2024-04-12 08:58:30.5' AS TIMESTAMP) AS at, 2.5 AS d"

    func testCSV() throws {
        let result = try runAQ(["--format", "csv", "-c", values])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "n,missing,empty,quoted,ok,at,d\n1,,\"\",\"a,\"\"b\"\"\",true,2024-04-12 08:58:30.5,2.5\n")
    }

    func testJSONAndNDJSON() throws {
        let json = try runAQ(["--format", "json", "-c", values])
        XCTAssertEqual(json.stdout, #"[{"n":1,"missing":null,"empty":"","quoted":"a,\"b\"","ok":true,"at":"2024-04-12 08:58:30.5","d":2.5}]"# + "\n")
        let ndjson = try runAQ(["--format", "ndjson", "-c", "SELECT 1 AS x UNION ALL SELECT 2"])
        XCTAssertEqual(ndjson.stdout, "{\"x\":1}\n{\"x\":2}\n")
    }

    func testMarkdownAndTable() throws {
        let markdown = try runAQ(["--format", "markdown", "-c", "SELECT 'x' AS s, 10 AS n"])
        XCTAssertEqual(markdown.stdout, "| s   |   n |\n| --- | --: |\n| x   |  10 |\n")
        let table = try runAQ(["-c", "SELECT 'x' AS s, NULL AS n"])
        XCTAssertEqual(table.stdout, """
            ┌─────────┬──────┐
            │    s    │  n   │
            │ varchar │ null │
            ├─────────┼──────┤
            │ x       │ NULL │
            └─────────┴──────┘
            1 row

            """)
    }

    func testCommandsRunInOrderAndMessagesAreText() throws {
        let result = try runAQ(["-c", "CREATE TABLE t (x INTEGER);", "-c", "INSERT INTO t VALUES (1), (2);",
                                "-c", ".mode csv\nSELECT sum(x) AS s FROM t;"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "created table t\ninserted 2 rows into t\ns\n3\n")
        // In formats other programs read, messages go to standard error.
        let csv = try runAQ(["--format", "csv", "-c", "CREATE TABLE t (x INTEGER); SELECT count(*) AS n FROM t;"])
        XCTAssertEqual(csv.stdout, "n\n0\n")
        XCTAssertEqual(csv.stderr, "created table t\n")
    }

    func testScriptStopsAtTheFirstErrorAndNamesFileLineAndColumn() throws {
        let path = try temporaryDirectory() + "/investigate.aq"
        try write("""
            -- an investigation
            CREATE TABLE t (source_ip VARCHAR);
            INSERT INTO t VALUES ('10.0.0.1');

            SELECT count(*) AS n
            FROM t
            WHERE sourceip = '10.0.0.1';
            SELECT 'never' AS s;
            """, to: path)
        for arguments in [[path], ["run", path]] {
            let result = try runAQ(["--format", "csv"] + arguments)
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(result.stderr, """
                created table t
                inserted 1 row into t
                \(path):7:7: unknown column 'sourceip' (did you mean 'source_ip'?)
                  WHERE sourceip = '10.0.0.1';
                        ^~~~~~~~

                """)
        }
    }

    func testStandardInputIsAScriptWithLineNumbers() throws {
        let result = try runAQ(["--format", "csv"], input: "SELECT 1 AS a;\n\nSELECT 2 AS b,\n  3 // 0 AS c;\nSELECT 4;\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "a\n1\n")
        XCTAssertEqual(result.stderr, "line 4, column 3: division by zero\n    3 // 0 AS c;\n    ^~~~~~\n")
    }

    func testCommandErrorsShowTheStatementLine() throws {
        let result = try runAQ(["-c", "SELECT 1 AS ok;", "-c", "SELEC 2;", "-c", "SELECT 3;"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("ok"), result.stdout)
        XCTAssertFalse(result.stdout.contains("3"), result.stdout)
        XCTAssertTrue(result.stderr.hasPrefix("line 1, column 1: "), result.stderr)
        XCTAssertTrue(result.stderr.contains("\n  SELEC 2;\n  ^"), result.stderr)
    }

    func testTimerPrintsATimeLineForEachStatement() throws {
        // What a benchmark script feeds aq: `.timer on` and statements on standard input.
        let result = try runAQ(["--format", "csv"], input: ".timer on\nSELECT 42 AS x;\nSELECT 42 AS x;\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        // The data on standard output, the times on standard error.
        XCTAssertEqual(result.stdout, "x\n42\nx\n42\n")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        // Wall clock, then the process's user and system CPU time, each to the microsecond.
        let shape = #/Run Time: real \d+\.\d{6} s user \d+\.\d{6} s sys \d+\.\d{6} s/#
        XCTAssertEqual(lines.filter { $0.wholeMatch(of: shape) != nil }.count, 2, result.stderr)
    }

    func testLargeResultInATableIsNotCutWhenPiped() throws {
        let result = try runAQ(["-c", "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);",
                                "-c", "SELECT a.x * 10 + b.x AS n FROM a, a AS b ORDER BY n;"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix("│ 99 │\n└────────┘\n100 rows\n") || result.stdout.hasSuffix("100 rows\n"), result.stdout)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("│") }.count, 102)
    }
}

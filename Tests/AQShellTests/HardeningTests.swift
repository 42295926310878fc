// Hostile values and a new user's habits at the command line: escape sequences in logs never
// reach the terminal raw, file errors exit 1 and say what was kept, sqlite3's single-dash
// options and dot commands work, diagnostics stay off standard output for data formats.

import Foundation
import XCTest
import AQEngine
import AQSyntax
@testable import AQShell

final class HardeningTests: XCTestCase {
    /// A CloudTrail record whose every text field holds escape sequences: a window title
    /// change, a bell, a screen clear, and a C1 control.
    static let hostile = #"\u001b]0;pwned\u0007\u001b[2J\u009b31m"#

    func hostileLog() throws -> String {
        let dir = try temporaryDirectory()
        let h = HardeningTests.hostile
        let record = #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"BatchGetImage","awsRegion":"us-east-1","sourceIPAddress":"H","userAgent":"H","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/H","userName":"H"},"requestParameters":{"repositoryName":"H","imageIds":[{"imageTag":"H"}]},"eventID":"H"}"#
            .replacingOccurrences(of: "\"H\"", with: "\"\(h)\"").replacingOccurrences(of: "/H\"", with: "/\(h)\"")
        let path = dir + "/hostile.jsonl"
        try (record + "\n{\"eventVersion\":\"1.08\",\"eventTime\":\"\(h)\"}\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEscapeSequencesInLogsAreShownEscapedInTablesReportsAndErrors() throws {
        let log = try hostileLog()
        let table = try runAQ(["--load", log, "-c", "SELECT user_agent, repository, tag, actor, event_id FROM events"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertFalse(table.stdout.contains("\u{1B}"), table.stdout)
        XCTAssertFalse(table.stdout.contains("\u{7}"), table.stdout)
        XCTAssertFalse(table.stdout.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }, table.stdout)
        XCTAssertTrue(table.stdout.contains(#"\x1b]0;pwned\x07\x1b[2J\u009b31m"#), table.stdout)
        // The skipped record's reason quotes its time: escaped in the load report.
        XCTAssertFalse(table.stderr.contains("\u{1B}"), table.stderr)
        XCTAssertTrue(table.stdout.contains(#"time '\x1b]0;pwned\x07"#), table.stdout)

        // CSV and JSON keep the exact value.
        let csv = try runAQ(["--load", log, "--format", "csv", "-c", "SELECT user_agent FROM events"])
        XCTAssertEqual(csv.stdout, "user_agent\n\u{1B}]0;pwned\u{7}\u{1B}[2J\u{9B}31m\n")
        let json = try runAQ(["--load", log, "--format", "json", "-c", "SELECT user_agent FROM events"])
        XCTAssertEqual(json.stdout, #"[{"user_agent":"\u001b]0;pwned\u0007\u001b[2J"# + "\u{9B}" + #"31m"}]"# + "\n")

        // An error message quoting a value, and the statement line under it.
        let error = try runAQ(["--load", log, "-c", "SELECT CAST(user_agent AS INTEGER) FROM events"])
        XCTAssertEqual(error.status, 1)
        XCTAssertFalse(error.stderr.contains("\u{1B}"), error.stderr)
        XCTAssertTrue(error.stderr.contains(#"cannot cast '\x1b]0;pwned\x07\x1b[2J\u009b31m' to INTEGER"#), error.stderr)
        let literal = try runAQ(["-c", "SELECT 'a\u{1B}[2J' + 1"])
        XCTAssertFalse(literal.stderr.contains("\u{1B}"), literal.stderr)
        XCTAssertTrue(literal.stderr.contains(#"  SELECT 'a\x1b[2J' + 1"#), literal.stderr)
    }

    func testABrokenGzipIsAFileErrorThatSaysWhatWasKept() throws {
        let dir = try temporaryDirectory()
        let lines = (1...3000).map { #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"ListImages","eventID":"e\#($0)"}"# }
        let plain = dir + "/logs.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: plain, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(plain)' | head -c 1500 > '\(dir)/cut.jsonl.gz'"]
        try gzip.run()
        gzip.waitUntilExit()
        let cut = dir + "/cut.jsonl.gz"

        let loaded = try runAQ(["--load", cut, "-c", "SELECT 1"])
        XCTAssertEqual(loaded.status, 1)
        XCTAssertTrue(loaded.stderr.contains("cut.jsonl.gz: gzip stream is truncated after "), loaded.stderr)
        XCTAssertTrue(loaded.stderr.contains("; the load stopped there: kept "), loaded.stderr)
        XCTAssertEqual(loaded.stdout, "")

        // In a script: exit 1 at the LOAD, and what was read stays for the statements before the exit.
        let script = try runAQ(["-c", "LOAD '\(cut)'"])
        XCTAssertEqual(script.status, 1)
        XCTAssertTrue(script.stderr.contains("not read: the rest of \(cut)"), script.stderr)
    }

    func testSingleDashOptionsAsSqlite3AndDuckDBSpellThem() throws {
        let csv = try runAQ(["-csv", "-c", "SELECT 1 AS a, NULL AS b"])
        XCTAssertEqual(csv.stdout, "a,b\n1,\n")
        let json = try runAQ(["-json", "-c", "SELECT 1 AS a"])
        XCTAssertEqual(json.stdout, "[{\"a\":1}]\n")
        let line = try runAQ(["-line", "-c", "SELECT 1 AS a, 'x' AS long_name"])
        XCTAssertEqual(line.stdout, "        a = 1\nlong_name = x\n")
        // -cmd runs first, then standard input.
        let cmd = try runAQ(["-csv", "-cmd", "SET VARIABLE who = 'ci'"], input: "SELECT getvariable('who') AS who;\n")
        XCTAssertEqual(cmd.status, 0, cmd.stderr)
        XCTAssertEqual(cmd.stdout, "who\nci\n")
        XCTAssertEqual(try ShellOptions.parse(["-c", "-csv"]).actions, [.command("-csv")])
    }

    func testDiagnosticsGoToStandardErrorForDataFormats() throws {
        let result = try runAQ(["--format", "csv", "-c", ".timer on", "-c", "CREATE TABLE t (x INTEGER); SELECT 4 AS n"])
        XCTAssertEqual(result.stdout, "n\n4\n")
        XCTAssertTrue(result.stderr.contains("Run Time: real "), result.stderr)
        XCTAssertTrue(result.stderr.contains("created table t"), result.stderr)
        let markdown = try runAQ(["--format", "markdown", "-c", ".timer on", "-c", "SELECT 4 AS n"])
        XCTAssertFalse(markdown.stdout.contains("Run Time"), markdown.stdout)
    }

    func testAScriptWithAByteOrderMarkRuns() throws {
        let path = try temporaryDirectory() + "/bom.aq"
        try Data([0xEF, 0xBB, 0xBF] + Array("SELECT 3 AS n;\n".utf8)).write(to: URL(fileURLWithPath: path))
        let result = try runAQ(["--format", "csv", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "n\n3\n")
        let piped = try runAQ(["--format", "csv"], input: "\u{FEFF}SELECT 5 AS n;\n")
        XCTAssertEqual(piped.stdout, "n\n5\n", piped.stderr)
    }

    func testUsefulMessagesForWhatIsMissing() throws {
        let save = try runAQ(["-c", "SAVE"])
        XCTAssertTrue(save.stderr.hasPrefix("SAVE needs a file name: no store is open (SAVE 'file.aqdb')"), save.stderr)
        let events = try runAQ(["-c", "SELECT * FROM events"])
        XCTAssertTrue(events.stderr.contains("no events loaded: the query reads the events table (load logs first: LOAD 'path')"),
                      events.stderr)
        let over = try runAQ(["-c", "SELECT count(*) c OVER () FROM range(2)"])
        XCTAssertTrue(over.stderr.contains("expected ';', found 'OVER'"), over.stderr)
        XCTAssertFalse(over.stderr.contains("ORDER"), over.stderr)
    }

    func testDotCommandsOnceNullvalueHeadersParamAndLine() throws {
        let dir = try temporaryDirectory()
        let result = try runAQ(["-c", """
            .once \(dir)/once.csv
            .mode csv
            SELECT 1 AS a;
            SELECT 2 AS b;
            .headers off
            .nullvalue -
            SELECT NULL AS c, 3 AS d;
            .param set repo 'ns/app'
            .param set n 5
            .param list
            .headers on
            SELECT $repo AS repo, $n + 1 AS m;
            .param clear
            .param list
            .mode line
            .nullvalue
            SELECT NULL AS x, 'y' AS yy;
            """])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir + "/once.csv", encoding: .utf8), "a\n1\n")
        XCTAssertEqual(result.stdout, "b\n2\n-,3\n$n     5\n$repo  'ns/app'\nrepo,m\nns/app,6\n x = NULL\nyy = y\n")
    }

    func testBailStopsTheShellAtTheFirstError() throws {
        let result = try runAQ(["-bail", "-csv", "-cmd", "SELECT nope"], input: "SELECT 1 AS n;\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
    }
}

extension HardeningTests {
    func testLineFormatAndColumnsThatKeepWholeTimesAndTheEndsOfNames() {
        let arn = "arn:aws:iam::123456789012:role/service-role/deployer"
        let time = Value.timestamp(1_712_912_310_855_892_463)
        let result = makeResult([("time", .timestamp), ("actor", .varchar), ("agent", .varchar)],
                                [[time, .varchar(arn), .varchar(String(repeating: "agent words ", count: 10))]])
        let text = render(result, .table, limits: DisplayLimits(maxWidth: 80))
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(displayWidth(String(line)), 80, String(line)) }
        XCTAssertTrue(text.contains("2024-04-12 08:58:30.855892463"), text)
        // The ARN keeps its end (the role), the user agent its start.
        XCTAssertTrue(text.contains("│ …rvice-role/deployer │"), text)
        XCTAssertTrue(text.contains("│ agent words agent wo… │"), text)
        XCTAssertEqual(fitted("arn:aws:iam::123456789012:role/deployer", to: 14), "…role/deployer")
        XCTAssertEqual(fitted("plain text that is long", to: 10), "plain tex…")

        XCTAssertEqual(render(makeResult([("a", .integer), ("bb", .varchar)], [[.integer(1), .null], [.integer(2), .varchar("x")]]), .line),
                       " a = 1\nbb = NULL\n\n a = 2\nbb = x\n")
    }

    func testCompletionSeesAnAliasDefinedAfterTheCursor() {
        let completer = Completer(names: CompletionNames(tables: [(name: "events", columns: ["action", "actor", "time"])],
                                                         functions: []))
        XCTAssertEqual(completer.complete("SELECT e.ac", after: " FROM events e").candidates, ["action", "actor"])
        XCTAssertEqual(completer.complete("SELECT e.ac").candidates, [])
    }
}

extension HardeningTests {
    /// Ctrl-C while a result is written: the formats stop at the next batch.
    func testWritingAResultStopsAtCtrlC() {
        let result = makeResult([("x", .integer)], (0..<5000).map { [.integer(Int64($0))] })
        for format in [OutputFormat.csv, .json, .ndjson, .markdown, .line] {
            let sink = OutputSink.memory()
            let token = CancellationToken()
            token.cancel()
            sink.cancellation = token
            format.write(result, to: sink, limits: .unlimited)
            XCTAssertFalse(sink.text.contains("4999"), "\(format)")
        }
    }
}

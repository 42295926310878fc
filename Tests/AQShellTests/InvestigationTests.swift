import XCTest
@testable import AQShell

/// TIMELINE, SUMMARY, SHOW SOURCES, `--param` and the coverage note, run by the built `aq`
/// over the shipped logs (examples/logs: 2024-03-04 to 2024-03-10, all four formats).
final class InvestigationTests: XCTestCase {
    private var logs: String {
        let here = "\(#filePath)"
        let root = here.range(of: "/Tests/").map { String(here[..<$0.lowerBound]) } ?? "."
        return root + "/examples/logs"
    }

    private let image = "repository = 'mobile/push-gateway'"

    func testTimelineAndSummaryInEveryFormat() throws {
        for format in ["table", "csv", "json", "ndjson", "markdown"] {
            let timeline = try runAQ(["--load", logs, "--format", format, "-c", "TIMELINE \(image) LIMIT 3"])
            let select = try runAQ(["--load", logs, "--format", format, "-c",
                                    "SELECT time, provider, action, repository, tag, digest, actor, source_ip, network, success "
                                    + "FROM events WHERE \(image) ORDER BY time LIMIT 3"])
            XCTAssertEqual(timeline.status, 0, timeline.stderr)
            // The load report (with its timing) precedes the rows in the readable formats.
            func rows(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("loaded ") } }
            XCTAssertEqual(rows(timeline.stdout), rows(select.stdout), format)
            XCTAssertFalse(rows(timeline.stdout).isEmpty)
            let summary = try runAQ(["--load", logs, "--format", format, "-c", "SUMMARY \(image)"])
            XCTAssertEqual(summary.status, 0, summary.stderr)
            XCTAssertTrue(summary.stdout.contains("total"), summary.stdout)
        }
        let csv = try runAQ(["--load", logs, "--format", "csv", "-c", "SUMMARY \(image) FROM '2024-03-04' TO '2024-03-11'"])
        XCTAssertEqual(csv.stdout.split(separator: "\n").first, "action,events,source_ips,actors,first_seen,last_seen")
        XCTAssertEqual(csv.stdout.split(separator: "\n").last?.hasPrefix("total,"), true, csv.stdout)
        XCTAssertFalse(csv.stderr.contains("note:"), csv.stderr)
    }

    func testParametersFromTheCommandLine() throws {
        let directory = try temporaryDirectory()
        let script = directory + "/image.aq"
        try write("SELECT $repo AS repo, $tag AS tag, getvariable('tag') AS same;\nSUMMARY repository = $repo;\n", to: script)
        let odd = "v3'; DROP TABLE events; -- $repo"
        let given = try runAQ(["--load", logs, "--format", "csv", "run", script,
                               "--param", "repo=mobile/push-gateway", "--param", "tag=" + odd])
        XCTAssertEqual(given.status, 0, given.stderr)
        let literal = try runAQ(["--load", logs, "--format", "csv", "-c",
                                 "SELECT 'mobile/push-gateway' AS repo, 'v3''; DROP TABLE events; -- $repo' AS tag, "
                                 + "'v3''; DROP TABLE events; -- $repo' AS same; SUMMARY \(image)"])
        XCTAssertEqual(given.stdout, literal.stdout)
        XCTAssertTrue(given.stdout.contains("\ntotal,"), given.stdout)
        // The same through `aq FILE.aq` and `-c`.
        let plain = try runAQ(["--load", logs, "--format", "csv", script, "--param=repo=mobile/push-gateway", "-p", "tag=" + odd])
        XCTAssertEqual(plain.stdout, literal.stdout)
        let command = try runAQ(["--param", "who=a=b", "--format", "csv", "-c", "SELECT $who AS who"])
        XCTAssertEqual(command.stdout, "who\na=b\n")
    }

    func testAMissingParameterIsAPositionedError() throws {
        let directory = try temporaryDirectory()
        let script = directory + "/image.aq"
        try write("SELECT 1;\nTIMELINE repository = $repo\n  AND tag = $tag;\n", to: script)
        let result = try runAQ(["--load", logs, "--format", "csv", script, "--param", "repo=x"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "1\n1\n")
        XCTAssertTrue(result.stderr.contains(
            "\(script):3:13: parameter '$tag' was never given (give it with --param tag=… or SET VARIABLE tag = …)"),
            result.stderr)
    }

    func testParamWithoutEqualsIsAUsageError() throws {
        let result = try runAQ(["--param", "repo", "-c", "SELECT 1"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.hasPrefix("aq: --param needs name=value, as in --param repo=payments/api (got 'repo')\nusage: aq"),
                      result.stderr)
    }

    func testSetVariableInAScript() throws {
        let result = try runAQ(["--format", "csv"], input: "SET VARIABLE who = 'it''s me';\nSELECT $who AS who, getvariable('WHO') AS again;\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "who,again\nit's me,it's me\n")
    }

    /// SHOW SOURCES as CSV rows, without the header.
    private func sources() throws -> [[String]] {
        let shown = try runAQ(["--load", logs, "--format", "csv", "-c", "SHOW SOURCES"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let lines = shown.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(lines.first, ["provider", "format", "files", "rows", "skipped", "first_time", "last_time"])
        return Array(lines.dropFirst())
    }

    func testCoverageNoteOnStandardErrorInScripts() throws {
        let covers = try sources().map { s -> String in
            let (first, last) = (s[5].prefix(10), s[6].prefix(10))
            return "\(s[0])/\(s[1]) covers \(first) to \(last)"
        }
        XCTAssertEqual(covers.first, "alibaba/acr_audit covers 2024-03-04 to 2024-03-17")
        let outside = try runAQ(["--load", logs, "--format", "csv", "-c",
                                 "SELECT count(*) AS n FROM events WHERE time >= '2024-02-09' AND time < '2024-03-10'"])
        XCTAssertEqual(outside.status, 0, outside.stderr)
        XCTAssertTrue(outside.stdout.hasPrefix("n\n"), outside.stdout)
        let note = outside.stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(note.hasPrefix("note: asked for 2024-02-09 to 2024-03-10; "), note)
        for c in covers { XCTAssertTrue(note.contains(c + " (14 days)"), note) }
        XCTAssertFalse(outside.stdout.contains("note:"))
        let inside = try runAQ(["--load", logs, "--format", "csv", "-c",
                                "SELECT count(*) AS n FROM events WHERE time >= '2024-03-05' AND time < '2024-03-10'; "
                                + "TIMELINE true FROM '2024-03-05' TO '2024-03-06' LIMIT 1"])
        XCTAssertEqual(inside.status, 0, inside.stderr)
        XCTAssertFalse(inside.stderr.contains("note:"), inside.stderr)
    }

    func testShowSources() throws {
        let empty = try runAQ(["-c", "SHOW SOURCES"])
        XCTAssertEqual(empty.stdout, "nothing loaded: load audit logs with LOAD 'path' (or aq --load PATH)\n")
        let expected = try runAQ(["--load", logs, "--format", "csv", "-c",
                                  "SELECT provider, format, count(*), min(time), max(time) FROM events GROUP BY ALL ORDER BY ALL"])
        let rows = expected.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let shown = try sources()
        XCTAssertEqual(shown.map { [$0[0], $0[1], $0[3], $0[5], $0[6]] }, rows)
        XCTAssertEqual(shown.map { [$0[0], $0[1]] },
                       [["alibaba", "acr_audit"], ["alibaba", "acr_event_line"], ["aws", "cloudtrail"], ["ibm", "ibm_at"]])
        XCTAssertTrue(shown.allSatisfy { (Int($0[2]) ?? 0) > 0 && $0[4] == "0" }, "\(shown)")
    }

    /// In the REPL: SET VARIABLE, then `$name`; the coverage note follows the rows on screen.
    func testSetVariableAndNotesInTheREPL() throws {
        let history = try temporaryDirectory() + "/history"
        let terminal = try PseudoTerminal(arguments: ["--load", logs], environment: ["AQ_HISTORY": history])
        terminal.expect("Type .help for help")
        terminal.expectPrompt()
        terminal.type("SET VARIABLE repo = 'mobile/' || 'push-gateway';\r")
        terminal.expectPrompt()
        terminal.type("SELECT count(*) AS n FROM events WHERE repository = $repo AND time < '2024-03-20';\r")
        terminal.expect("note: asked for times before 2024-03-20; ")
        terminal.expectPrompt()
        terminal.type("SUMMARY repository = $repo;\r")
        terminal.expect("│ total ")
        terminal.expectPrompt()
        terminal.type("SELECT $nope;\r")
        terminal.expect("parameter '$nope' was never given (give it with --param nope=… or SET VARIABLE nope = …)")
        terminal.expectPrompt()
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }
}

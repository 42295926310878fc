import XCTest
@testable import AQShell

/// The built `aq` run as a user runs it: arguments, standard input, output, exit status.
final class CommandLineTests: XCTestCase {
    func testVersionAndHelp() throws {
        let version = try runAQ(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout, "aq \(Shell.version)\n")
        let help = try runAQ(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertEqual(help.stderr, "")
        XCTAssertTrue(help.stdout.hasPrefix("OVERVIEW: SQL over container-registry audit logs."), help.stdout)
        XCTAssertTrue(help.stdout.contains("USAGE: aq [options] [SCRIPT.aq | run SCRIPT.aq | FILE.aqdb]\n       aq [options] -c 'STATEMENTS' [-c …]\n"), help.stdout)
        XCTAssertTrue(help.stdout.contains("  -f, --format, --mode <format>\n"), help.stdout)
        XCTAssertTrue(help.stdout.contains("Output format: table, csv, json, ndjson, markdown"), help.stdout)
        XCTAssertEqual(try runAQ(["-h"]).stdout, help.stdout)
    }

    func testCompletionScripts() throws {
        let bash = try runAQ(["--generate-completion-script", "bash"])
        XCTAssertEqual(bash.status, 0)
        XCTAssertTrue(bash.stdout.contains("complete -o filenames -F _aq aq") || bash.stdout.contains("-F _aq aq"), bash.stdout)
        XCTAssertTrue(bash.stdout.contains("'-f'|'--format'|'--mode')"), bash.stdout)
        XCTAssertTrue(bash.stdout.contains("'table'$'\\n''csv'"), "format names complete after --format")
        let zsh = try runAQ(["--generate-completion-script", "zsh"])
        XCTAssertEqual(zsh.status, 0)
        XCTAssertTrue(zsh.stdout.hasPrefix("#compdef aq\n"), zsh.stdout)
        XCTAssertTrue(zsh.stdout.contains("--load"), zsh.stdout)
        let fish = try runAQ(["--generate-completion-script", "fish"])
        XCTAssertEqual(fish.status, 0)
        XCTAssertTrue(fish.stdout.contains("-s 'c' -l 'command'"), fish.stdout)
        XCTAssertTrue(fish.stdout.contains("-rfka 'table csv json ndjson markdown chart line'"), fish.stdout)
        let unknown = try runAQ(["--generate-completion-script", "tcsh"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stdout, "")
    }

    func testUsageErrorsExitWithTwoAndShowTheUsage() throws {
        for (arguments, message) in [
            (["--bogus"], "aq: unknown option '--bogus'"),
            (["--form", "csv"], "aq: unknown option '--form'. Did you mean '--format'?"),
            (["-c"], "aq: missing value for '-c'"),
            (["--format", "xml", "-c", "SELECT 1"], "aq: unknown format 'xml' (expected table, csv, json, ndjson, markdown, chart, line)"),
            (["--load"], "aq: missing value for '--load <path>'"),
            (["run"], "aq: 'run' needs a script file"),
        ] {
            let result = try runAQ(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(result.stderr, message + """

                usage: aq [options] [SCRIPT.aq | run SCRIPT.aq | FILE.aqdb]
                       aq [options] -c 'STATEMENTS' [-c …]
                Try 'aq --help' for more.

                """)
        }
    }

    func testLoadOptionAndStatementReportTheSameLoad() throws {
        let here = "\(#filePath)"
        let logs = (here.range(of: "/Tests/").map { String(here[..<$0.lowerBound]) } ?? ".") + "/examples/logs/ibm"
        let option = try runAQ(["--load", logs, "-c", ".mode"])
        let statement = try runAQ(["-c", "LOAD '\(logs)';\n.mode"])
        XCTAssertEqual(option.status, 0)
        XCTAssertEqual(statement.status, 0)
        func head(_ text: String) -> String { String(text.prefix { $0 != "\n" }.split(separator: " in ")[0]) }
        let files = try FileManager.default.contentsOfDirectory(atPath: logs).filter { !$0.hasPrefix(".") }.count
        let rows = try exampleCount("by_provider", "ibm")
        XCTAssertEqual(head(option.stdout), "loaded \(rows) rows into events from \(files) files")
        XCTAssertEqual(head(statement.stdout), head(option.stdout))
        let optionLines = option.stdout.split(separator: "\n"), statementLines = statement.stdout.split(separator: "\n")
        XCTAssertEqual(optionLines.dropFirst(), ["table"], "--load leaves out the line per file")
        XCTAssertEqual(statementLines.count, files + 2, "LOAD lists the files")
    }

    func testLoadFailureStopsBeforeAnyStatementRuns() throws {
        let directory = try temporaryDirectory()
        let result = try runAQ(["--load", directory + "/missing", "-c", ".mode csv\n.timer"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "", "no statement may run after a failed --load")
        XCTAssertEqual(result.stderr, "cannot load \(directory)/missing: no such file or directory\n")
    }

    func testMissingScriptAndSavedStoreAreErrors() throws {
        let missing = try runAQ(["run", "/nonexistent/q.aq"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "aq: cannot read /nonexistent/q.aq: no such file or directory\n")
        let store = try runAQ(["/nonexistent/cases.aqdb"])
        XCTAssertEqual(store.status, 1)
        XCTAssertEqual(store.stderr, "aq: cannot open /nonexistent/cases.aqdb: no such file or directory\n")
        let path = try temporaryDirectory() + "/cases.aqdb"
        try write("not yet", to: path)
        let existing = try runAQ([path, "-c", ".mode"])
        XCTAssertEqual(existing.status, 1)
        XCTAssertEqual(existing.stdout, "")
        XCTAssertEqual(existing.stderr, "aq: cannot open \(path): not an aq store file (it does not start with the store's magic bytes)\n")
        let statement = try runAQ(["-c", "SELECT 1 AS one;\nOPEN '\(path)';\nSELECT 2"])
        XCTAssertEqual(statement.status, 1)
        XCTAssertEqual(statement.stderr, """
            line 2, column 6: cannot open \(path): not an aq store file (it does not start with the store's magic bytes)
              OPEN '\(path)';
                   \(String(repeating: "^", count: 1))\(String(repeating: "~", count: path.count + 1))

            """)
    }

    func testStandardInputRunsAsAScriptAndStopsAtTheFirstError() throws {
        let result = try runAQ([], input: ".mode markdown\n.mode\n.timer on\n.timer\n.frobnicate\n.mode csv\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "markdown\non\n")
        XCTAssertEqual(result.stderr, "line 5: unknown command '.frobnicate'; .help lists the commands\n")
    }

    func testDotCommandsInAScriptFileNameTheFileAndLine() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/setup.aq"
        try write("-- settings\n.mode json\n\n.maxrows x\n", to: path)
        let result = try runAQ([path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "\(path):4: .maxrows takes a number (0 shows every row)\n")
        let quit = try runAQ(["-c", ".quit", "-c", ".nope"])
        XCTAssertEqual(quit.status, 0, ".quit ends aq before later commands")
    }

    func testFormatOptionSetsTheMode() throws {
        let result = try runAQ(["--format", "ndjson", "-c", ".mode", "-c", ".timer on\n.timer"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "ndjson\non\n")
    }
}

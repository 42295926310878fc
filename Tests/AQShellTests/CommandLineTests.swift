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
        XCTAssertTrue(help.stdout.hasPrefix("usage: aq"), help.stdout)
        XCTAssertTrue(help.stdout.contains("--format FORMAT"), help.stdout)
    }

    func testUsageErrorsExitWithTwoAndShowTheUsage() throws {
        for (arguments, message) in [
            (["--bogus"], "aq: unknown option '--bogus'"),
            (["-c"], "aq: option '-c' needs a value"),
            (["--format", "xml", "-c", "SELECT 1"], "aq: unknown format 'xml' (expected table, csv, json, ndjson, markdown, chart)"),
            (["--load"], "aq: option '--load' needs a value"),
        ] {
            let result = try runAQ(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertEqual(result.stdout, "")
            XCTAssertTrue(result.stderr.hasPrefix(message + "\nusage: aq"), result.stderr)
        }
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
        XCTAssertEqual(existing.stderr, "aq: cannot open \(path): saved stores (SAVE/OPEN) are not supported yet\n")
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

import XCTest
@testable import AQShell

final class ShellOptionsTests: XCTestCase {
    func testActionsKeepTheirOrderAndLoadsComeFirst() throws {
        let options = try ShellOptions.parse(["-c", "SELECT 1", "--load", "logs", "q.aq", "-cSELECT 2", "--load=more", "--format", "csv"])
        XCTAssertEqual(options.loads, ["logs", "more"])
        XCTAssertEqual(options.actions, [.command("SELECT 1"), .script(path: "q.aq"), .command("SELECT 2")])
        XCTAssertEqual(options.format, .csv)
    }

    func testRunWordAndSavedStore() throws {
        XCTAssertEqual(try ShellOptions.parse(["run", "x.aq"]).actions, [.script(path: "x.aq")])
        XCTAssertEqual(try ShellOptions.parse(["store.aqdb"]).database, "store.aqdb")
        XCTAssertEqual(try ShellOptions.parse(["--", "-c"]).actions, [.script(path: "-c")])
        XCTAssertTrue(try ShellOptions.parse(["--version"]).showVersion)
        XCTAssertTrue(try ShellOptions.parse(["-V"]).showVersion)
        XCTAssertEqual(try ShellOptions.parse(["--format=markdown"]).format, .markdown)
        XCTAssertEqual(try ShellOptions.parse(["-fcsv"]).format, .csv)
        XCTAssertEqual(try ShellOptions.parse(["--mode", "json"]).format, .json)
        XCTAssertEqual(try ShellOptions.parse(["-"]).actions, [.script(path: "-")])
    }

    func testThreads() throws {
        XCTAssertNil(try ShellOptions.parse([]).threads)
        let options = try ShellOptions.parse(["--threads", "3", "q.aq"])
        XCTAssertEqual(options.threads, 3)
        XCTAssertEqual(options.actions, [.script(path: "q.aq")])
        XCTAssertEqual(try ShellOptions.parse(["--threads=1"]).threads, 1)
        XCTAssertThrowsError(try ShellOptions.parse(["--threads", "0"])) {
            XCTAssertTrue("\($0)".contains("--threads must be a whole number from 1 to 256; found 0"), "\($0)")
        }
        guard case .usageError(let message) = ShellOptions.outcome(of: ["--threads", "many"]) else {
            return XCTFail("--threads many should be a usage error")
        }
        XCTAssertTrue(message.contains("threads"), message)
    }

    func testCommandTextsMayStartWithADash() throws {
        let options = try ShellOptions.parse(["-c", "-- a comment\nSELECT 1", "-l", "-logs", "a.aq", "-c'SELECT 2'"])
        XCTAssertEqual(options.actions, [.command("-- a comment\nSELECT 1"), .script(path: "a.aq"), .command("'SELECT 2'")])
        XCTAssertEqual(options.loads, ["-logs"])
        let run = try ShellOptions.parse(["--format", "csv", "run", "q.aq", "-c", "SELECT 3", "r.aq"])
        XCTAssertEqual(run.actions, [.script(path: "q.aq"), .command("SELECT 3"), .script(path: "r.aq")])
    }

    func testHelpAndCompletionScriptsArePrintedNotRun() {
        guard case .print(let help) = ShellOptions.outcome(of: ["-h"]) else { return XCTFail("no help") }
        XCTAssertEqual(help, ShellOptions.help)
        for option in ["-c, --command <statements>", "-l, --load <path>", "-f, --format, --mode <format>",
                       "-V, -v, --version", "-h, --help"] {
            XCTAssertTrue(help.contains(option), option)
        }
        guard case .print(let fish) = ShellOptions.outcome(of: ["--generate-completion-script", "fish"]) else {
            return XCTFail("no completion script")
        }
        XCTAssertTrue(fish.contains("complete -c 'aq'") || fish.contains("complete -c aq"), fish)
        XCTAssertEqual(ShellOptions.outcome(of: ["--generate-completion-script", "tcsh"]),
                       .usageError("can't generate completion scripts for 'tcsh'.\nPlease use --generate-completion-script=<shell> with one of:\n    zsh bash fish"))
    }

    func testUsageErrorsSayWhatIsWrong() {
        func message(_ arguments: [String]) -> String? {
            guard case .usageError(let message) = ShellOptions.outcome(of: arguments) else { return nil }
            return message
        }
        XCTAssertEqual(message(["--bogus"]), "unknown option '--bogus'")
        XCTAssertEqual(message(["--form", "csv"]), "unknown option '--form'. Did you mean '--format'?")
        XCTAssertEqual(message(["-c"]), "missing value for '-c'")
        XCTAssertEqual(message(["--load"]), "missing value for '--load <path>'")
        XCTAssertEqual(message(["--load="]), "missing value for '--load <path>'")
        XCTAssertEqual(message(["--version=2"]), "the option '--version' does not take any value, but '2' was specified.")
        XCTAssertEqual(message(["--format", "xml"]), "unknown format 'xml' (expected table, csv, json, ndjson, markdown, chart, line)")
        XCTAssertEqual(message(["--param", "repo"]), "--param needs name=value, as in --param repo=payments/api (got 'repo')")
        XCTAssertEqual(message(["--param", "1x=a"]), "--param name '1x' is not a name (letters, digits and _)")
        XCTAssertEqual(message(["run"]), "'run' needs a script file")
        XCTAssertEqual(message(["a.aqdb", "b.aqdb"]), "only one saved store can be opened")
    }
}

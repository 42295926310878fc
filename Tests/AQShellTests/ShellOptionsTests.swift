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
        XCTAssertTrue(try ShellOptions.parse(["-h"]).showHelp)
        XCTAssertTrue(try ShellOptions.parse(["--version"]).showVersion)
        XCTAssertEqual(try ShellOptions.parse(["--format=markdown"]).format, .markdown)
    }

    func testUsageErrorsSayWhatIsWrong() {
        func message(_ arguments: [String]) -> String? {
            do {
                _ = try ShellOptions.parse(arguments)
                return nil
            } catch {
                return (error as? UsageError)?.message
            }
        }
        XCTAssertEqual(message(["--bogus"]), "unknown option '--bogus'")
        XCTAssertEqual(message(["--form", "csv"]), "unknown option '--form' (did you mean '--format'?)")
        XCTAssertEqual(message(["-c"]), "option '-c' needs a value")
        XCTAssertEqual(message(["--load"]), "option '--load' needs a value")
        XCTAssertEqual(message(["--format", "xml"]), "unknown format 'xml' (expected table, csv, json, ndjson, markdown, chart)")
        XCTAssertEqual(message(["run"]), "'run' needs a script file")
        XCTAssertEqual(message(["a.aqdb", "b.aqdb"]), "only one saved store can be opened")
    }
}

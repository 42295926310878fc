import Foundation
import XCTest
@testable import AQShell

/// The REPL in a pseudo-terminal: keys typed ahead while a statement runs (a trailing Ctrl-D
/// too) are kept, Ctrl-D at `..>` drops the half-typed statement, the rest of a line after an
/// error is said not to have run, the new dot commands.
final class ReplHardeningTests: XCTestCase {
    private func start() throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(environment: ["AQ_HISTORY": ""])
        terminal.expect("Type .help for help")
        terminal.expectPrompt()
        return terminal
    }

    /// A statement that takes a moment, so the keys after it arrive while it runs.
    static let slow = "SELECT count(*) AS n FROM range(100000) a WHERE regexp_matches(CAST(a.range AS VARCHAR), '9$');\r"

    func testKeysTypedWhileAStatementRunsAreKeptCtrlDIncluded() throws {
        let terminal = try start()
        terminal.type(ReplHardeningTests.slow)
        terminal.type(".mode csv\rSELECT 42 AS answer;\r\u{4}")
        terminal.expect("answer\r\n42\r\n")
        XCTAssertEqual(terminal.waitForExit(timeout: 60), 0)
    }

    func testCtrlDOnAContinuationLineDropsTheStatement() throws {
        let terminal = try start()
        terminal.type(".mode csv\r")
        terminal.expectPrompt()
        terminal.type("SELECT 'half typed' AS s,\r")
        terminal.expectPrompt("..> ")
        terminal.type("\u{4}")
        let shown = terminal.expect("(the unfinished statement was not run)") ?? ""
        XCTAssertFalse(shown.contains("half typed\r\n"), shown)
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testTheRestOfALineAfterAnErrorIsSaidNotToRun() throws {
        let terminal = try start()
        terminal.type(".mode csv\r")
        terminal.expectPrompt()
        terminal.type("SELECT 1 AS a; SELEC 2; SELECT 3 AS c; SELECT 4 AS d;\r")
        terminal.expect("unknown statement 'SELEC'")
        terminal.expect("(the 2 statements after the error on this input did not run)")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testDotCommandsModeLineNullvalueParamAndBail() throws {
        let terminal = try start()
        terminal.type(".mode line\r")
        terminal.expectPrompt()
        terminal.type(".nullvalue (none)\r")
        terminal.expectPrompt()
        terminal.type(".param set who 'ci'\r")
        terminal.expectPrompt()
        terminal.type("SELECT $who AS who, NULL AS missing;\r")
        terminal.expect("    who = ci\r\nmissing = (none)\r\n")
        terminal.expectPrompt()
        terminal.type(".bail on\r")
        terminal.expectPrompt()
        terminal.type("SELECT nope;\r")
        terminal.expect("unknown column 'nope'")
        XCTAssertEqual(terminal.waitForExit(), 1)
    }
}

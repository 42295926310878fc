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

    /// Ctrl-C while a large CSV result streams to the terminal: the rows shown stay (whole
    /// lines), `interrupted` follows, and the shell goes on with its tables intact.
    func testCtrlCDuringAStreamedResultStopsItAndTheShellGoesOn() throws {
        let terminal = try start()
        terminal.type("CREATE TABLE t AS SELECT range AS x FROM range(10);\r")
        terminal.expectPrompt()
        terminal.type(".mode csv\r")
        terminal.expectPrompt()
        terminal.type("SELECT * FROM range(100000) a, range(100000) b;\r")
        terminal.expect("0,2000\r\n", timeout: 60)
        terminal.type("\u{3}")
        let shown = terminal.expect("interrupted\r\n", timeout: 60) ?? ""
        // The rows before the message are whole lines; the message starts a line of its own.
        XCTAssertTrue(shown.hasSuffix("\r\ninterrupted\r\n"), String(shown.suffix(200)))
        terminal.expectPrompt(timeout: 60)
        terminal.type("SELECT sum(x) AS s FROM t;\r")
        terminal.expect("s\r\n45\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
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

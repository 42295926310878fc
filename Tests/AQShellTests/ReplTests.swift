import Foundation
import XCTest
@testable import AQShell

/// The REPL in a real pseudo-terminal: keys typed at it, the screen read back.
///
/// Keys typed while a statement runs reach a terminal in its ordinary mode, where Ctrl-D
/// means end of file and is lost; so the tests wait for the line editor before such keys.
final class ReplTests: XCTestCase {
    private var historyFile = ""

    override func setUpWithError() throws {
        historyFile = try temporaryDirectory() + "/history"
    }

    private func start() throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(environment: ["AQ_HISTORY": historyFile])
        terminal.expect("Type .help for help")
        terminal.expectPrompt()
        return terminal
    }

    func testBannerHelpAndCtrlDExits() throws {
        let terminal = try start()
        terminal.type(".help\r")
        terminal.expect(".timer on|off")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testEditingKeysChangeTheLine() throws {
        let terminal = try start()
        // Type `.mode jsn`, go to the start (Ctrl-A), end (Ctrl-E), back one (Ctrl-B), fix the typo.
        terminal.type(".mode jsn\u{1}\u{5}\u{2}o\r")
        terminal.type(".mode\r")
        terminal.expect("\njson\r\n")
        // Ctrl-U clears what was typed; Ctrl-W deletes a word.
        terminal.type(".mode csv garbage\u{17}\u{17}\u{15}.mode markdown\r.mode\r")
        terminal.expect("\nmarkdown\r\n")
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testCtrlCAtThePromptClearsTheLineAndAnUnfinishedStatement() throws {
        let terminal = try start()
        terminal.type("SELECT 'unfinished\r")
        terminal.expectPrompt("'.> ")
        terminal.type("still\u{3}")
        terminal.expect("^C")
        terminal.expectPrompt()
        terminal.type(".mode ndjson\r.mode\r")
        terminal.expect("\nndjson\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testMultiLineStatementShowsTheContinuationPromptAndIsOneHistoryEntry() throws {
        var terminal = try start()
        terminal.type("SELECT 1,\r")
        terminal.expectPrompt("..> ")
        terminal.type("  2;\r")
        terminal.expectPrompt()
        terminal.type(".timer on\r")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)

        // A second session finds both entries: Up shows the last, Up again the statement.
        terminal = try start()
        terminal.type("\u{1B}[A")
        terminal.expect(".timer on")
        terminal.type("\u{1B}[A")
        terminal.expect("SELECT 1,")
        terminal.expect("2;")
        terminal.type("\u{3}")
        terminal.expectPrompt()
        // Ctrl-R searches history.
        terminal.type("\u{12}timer")
        terminal.expect(".timer on")
        terminal.type("\r")
        terminal.expectPrompt()
        terminal.type(".timer\r")
        terminal.expect("\non\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testUnreadableHistoryFileDoesNotStopTheShell() throws {
        let directory = try temporaryDirectory()
        // A directory where the history file should be: it can be neither read nor written.
        let terminal = try PseudoTerminal(environment: ["AQ_HISTORY": directory])
        terminal.expectPrompt()
        terminal.type(".mode csv\r.mode\r")
        terminal.expect("\ncsv\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testTabCompletesDotCommandsAndTheirArguments() throws {
        let terminal = try start()
        // `.mo` Tab gives `.mode `, `nd` Tab gives `ndjson`: the command then works.
        terminal.type(".mo\t")
        terminal.type("nd\t")
        terminal.type("\r.mode\r")
        terminal.expect("\nndjson\r\n")
        // Two candidates: a second Tab lists them.
        terminal.type(".t\t\t")
        terminal.expect("tables")
        terminal.expect("timer")
        terminal.type("\u{3}")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testTabCompletesAColumnAfterWhere() throws {
        let terminal = try start()
        terminal.type("CREATE TABLE events (time TIMESTAMP, source_ip VARCHAR, action VARCHAR);\r")
        terminal.expect("created table events")
        terminal.expectPrompt()
        terminal.type("INSERT INTO events VALUES (NULL, '10.0.0.1', 'pull'), (NULL, '10.0.0.2', 'push');\r")
        terminal.expectPrompt()
        terminal.type(".mode csv\r")
        terminal.expectPrompt()
        // `sou` Tab becomes `source_ip `; without completion the statement would fail.
        terminal.type("SELECT count(*) AS n FROM events WHERE sou\t")
        terminal.type("= '10.0.0.2';\r")
        terminal.expect("\nn\r\n1\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testErrorShowsACaretAndTheSessionGoesOn() throws {
        let terminal = try start()
        terminal.type("SELECT 1 AS one,\r")
        terminal.expectPrompt("..> ")
        terminal.type("  2 +* 3;\r")
        terminal.expect("line 2, column 6: ")
        terminal.expect("\r\n    2 +* 3;\r\n       ^\r\n")
        terminal.expectPrompt()
        terminal.type(".mode csv\rSELECT 40 + 2 AS answer;\r")
        terminal.expect("answer\r\n42\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testCtrlCCancelsALongQueryAndKeepsTheSession() throws {
        let terminal = try start()
        let digits = (0..<10).map { "(\($0))" }.joined(separator: ",")
        terminal.type("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES \(digits);\r")
        terminal.expect("inserted 10 rows into a")
        terminal.expectPrompt()
        // 10^9 rows: minutes of work, unless Ctrl-C stops it.
        terminal.type("SELECT count(*) FROM a, a a2, a a3, a a4, a a5, a a6, a a7, a a8, a a9;\r")
        usleep(500_000)
        terminal.type("\u{3}")
        terminal.expect("interrupted", timeout: 10)
        terminal.expectPrompt()
        terminal.type(".mode csv\rSELECT sum(x) AS total FROM a;\r")
        terminal.expect("total\r\n45\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testNonASCIITextIsTypedIntactWithoutAUTF8Locale() throws {
        let terminal = try PseudoTerminal(environment: ["AQ_HISTORY": historyFile, "LANG": nil, "LC_ALL": nil, "LC_CTYPE": nil])
        terminal.expectPrompt()
        terminal.type(".mode csv\r")
        terminal.expectPrompt()
        terminal.type("SELECT '관리자 é' AS who;\r")
        terminal.expect("who\r\n관리자 é\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testResultsFitTheTerminal() throws {
        let terminal = try start()
        let digits = (0..<10).map { "(\($0))" }.joined(separator: ",")
        terminal.type("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES \(digits);\r")
        terminal.expectPrompt()
        // 100 rows of a value far wider than the 100-column terminal.
        let wide = String(repeating: "wide ", count: 40)
        terminal.type("SELECT a.x * 10 + b.x AS n, '\(wide)' AS text, 'end' AS last FROM a, a AS b ORDER BY n;\r")
        guard let screen = terminal.expect("40 of 100 rows shown\r\n") else { return }
        // "\r\n" is one Character in Swift: split on the scalar.
        let lines = screen.unicodeScalars.split(separator: "\n").map { String(String.UnicodeScalarView($0)).replacingOccurrences(of: "\r", with: "") }
        let table = lines.filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("├") || $0.hasPrefix("└") }
        // Borders, names, types, rule, 40 rows and the elision row, bottom.
        XCTAssertEqual(table.count, 1 + 2 + 1 + 40 + 1 + 1, screen)
        for line in table { XCTAssertLessThanOrEqual(displayWidth(line), 100, line) }
        XCTAssertTrue(table.contains { $0.contains("…") }, "a cut value shows a marker")
        terminal.expectPrompt()
        terminal.type(".maxrows 0\rSELECT count(*) AS n FROM a, a AS b;\r")
        terminal.expect("1 row\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testLoadedLogsInTheBannerAndDotLoad() throws {
        let here = "\(#filePath)"
        let logs = (here.range(of: "/Tests/").map { String(here[..<$0.lowerBound]) } ?? ".") + "/examples/logs"
        // Counts from DuckDB's reference ingest of the same files.
        let rows = try exampleCount("rows")
        let ibm = try exampleCount("by_provider", "ibm")
        let internalRows = try exampleCount("by_network", "internal")
        func grouped(_ n: Int) -> String { n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
        let terminal = try PseudoTerminal(arguments: ["--load", logs], environment: ["AQ_HISTORY": historyFile])
        terminal.expect("Loaded: events (\(grouped(rows)) rows)")
        terminal.expectPrompt()
        terminal.type(".mode csv\rSELECT count(*) AS n FROM events WHERE net\t= 'internal';\r")
        terminal.expect("n\r\n\(internalRows)\r\n")
        terminal.expectPrompt()
        // The files are loaded already: passed over, and FORCE reads them again in place of their rows.
        let ibmFiles = try FileManager.default.contentsOfDirectory(atPath: logs + "/ibm").filter { !$0.hasPrefix(".") }.count
        terminal.type(".mode table\r.load '\(logs)/ibm'\r")
        terminal.expect("loaded 0 rows into events from 0 files in ")
        terminal.expect("; passed over \(ibmFiles) files already loaded (LOAD … FORCE reads them again)")
        terminal.expectPrompt()
        terminal.type("LOAD '\(logs)/ibm' FORCE;\r")
        terminal.expect("loaded \(ibm) rows into events from ")
        terminal.expect("replaced \(logs)/ibm/")
        terminal.expectPrompt()
        // In place of their rows, not beside them.
        terminal.type(".tables\r")
        terminal.expect("events  \(grouped(rows)) rows\r\n")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testHistoryGoesToTheHomeDirectoryByDefault() throws {
        let home = try temporaryDirectory()
        let terminal = try PseudoTerminal(environment: ["HOME": home, "AQ_HISTORY": nil])
        terminal.expectPrompt()
        terminal.type(".timer on\r")
        terminal.expectPrompt()
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
        let saved = String(decoding: try FileSystem.readFile(home + "/.aq_history"), as: UTF8.self)
        XCTAssertTrue(saved.contains(".timer"), saved)
    }
}

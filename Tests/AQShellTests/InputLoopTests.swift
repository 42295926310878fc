import XCTest
import AQEngine
import AQSyntax
@testable import AQShell

final class InputLoopTests: XCTestCase {
    func testStatementsGatherUntilCompleteAndKeepTheirLineNumbers() {
        let recorder = RecordingSession()
        let script = "-- a comment\n\nSELECT 1;\nSELECT\n  2;  SELECT 3\n;\nSELECT 'a;\nb';\nSELECT 4"
        let outcome = InputLoop(session: recorder.session, reader: TextLineReader(script), fileName: "q.aq").run()
        XCTAssertEqual(outcome, .finished)
        XCTAssertEqual(recorder.runs, [
            .init(text: "SELECT 1;\n", firstLine: 3, fileName: "q.aq"),
            .init(text: "SELECT\n  2;  SELECT 3\n;\n", firstLine: 4, fileName: "q.aq"),
            .init(text: "SELECT 'a;\nb';\n", firstLine: 7, fileName: "q.aq"),
            .init(text: "SELECT 4\n", firstLine: 9, fileName: "q.aq"),
        ])
    }

    func testScriptStopsAtTheFirstErrorWithFileLineAndColumn() {
        let recorder = RecordingSession { source in
            if source.text(SourceRange(start: 0, end: source.bytes.count)).contains("nope") {
                throw AQError(ParseError("unknown column 'nope'", at: SourceRange(start: 7, end: 11)), source: source)
            }
            return StatementResult(message: "ok")
        }
        let outcome = InputLoop(session: recorder.session, reader: TextLineReader("SELECT 1;\n\nSELECT nope;\nSELECT 3;"),
                                fileName: "q.aq").run()
        XCTAssertEqual(outcome, .failed)
        XCTAssertEqual(recorder.runs.count, 2)
        XCTAssertEqual(recorder.errors.text, "q.aq:3:8: unknown column 'nope'\n  SELECT nope;\n         ^~~~\n")
        XCTAssertEqual(recorder.output.text, "ok\n")
    }

    func testInteractiveLoopGoesOnAfterAnErrorAndKeepsStatementsAsOneHistoryEntry() {
        let recorder = RecordingSession(interactive: true) { source in
            if source.bytes.first == UInt8(ascii: "x") {
                throw AQError(ParseError("expected a statement", at: SourceRange(start: 0, end: 1)), source: source)
            }
            return StatementResult(message: "done")
        }
        let reader = ScriptedReader([.line("x;"), .line("SELECT"), .line("  1;"), .line("SELECT 'open"), .interrupted,
                                     .line(".mode csv"), .line("SELECT 2;")])
        XCTAssertEqual(InputLoop(session: recorder.session, reader: reader).run(), .finished)
        XCTAssertEqual(recorder.runs.map(\.text), ["x;\n", "SELECT\n  1;\n", "SELECT 2;\n"])
        // Each statement's lines count from 1 in the shell.
        XCTAssertEqual(recorder.runs.map(\.firstLine), [1, 1, 1])
        XCTAssertEqual(reader.history, ["x;", "SELECT\n  1;", ".mode csv", "SELECT 2;"])
        XCTAssertEqual(reader.prompts, ["aq> ", "aq> ", "..> ", "aq> ", "'.> ", "aq> ", "aq> ", "aq> "])
        // After `.mode csv` messages go to standard error, keeping standard output for data.
        XCTAssertEqual(recorder.errors.text, "line 1, column 1: expected a statement\n  x;\n  ^\ndone\n")
        XCTAssertEqual(recorder.output.text, "done\n")
        XCTAssertEqual(recorder.session.format, .csv)
    }

    func testDotCommandsCountOnlyAtTheStartOfAStatement() {
        let recorder = RecordingSession()
        let outcome = InputLoop(session: recorder.session, reader: TextLineReader("SELECT\n.timer on\n;\n  .timer on")).run()
        XCTAssertEqual(outcome, .finished)
        XCTAssertEqual(recorder.runs.map(\.text), ["SELECT\n.timer on\n;\n"])
        XCTAssertTrue(recorder.session.timer)
    }

    func testTimerPrintsARunTimeLineAfterEachStatement() {
        let recorder = RecordingSession { _ in makeResult([("x", .integer)], [[.integer(42)]]) }
        recorder.session.format = .csv
        _ = InputLoop(session: recorder.session, reader: TextLineReader(".timer on\nSELECT 42 AS x;\nSELECT 42 AS x;")).run()
        // CSV is data: the times go to standard error.
        XCTAssertEqual(recorder.output.text, "x\n42\nx\n42\n")
        let lines = recorder.errors.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("Run Time: real 0.0"), lines[0])
        XCTAssertTrue(lines[0].hasSuffix(" s"), lines[0])
    }

    func testUnknownDotCommandFailsAScriptAndSuggests() {
        let recorder = RecordingSession()
        let outcome = InputLoop(session: recorder.session, reader: TextLineReader("SELECT 1;\n.tabels\nSELECT 2;"),
                                fileName: "s.aq").run()
        XCTAssertEqual(outcome, .failed)
        XCTAssertEqual(recorder.runs.count, 1)
        XCTAssertEqual(recorder.errors.text, "s.aq:2: unknown command '.tabels' (did you mean '.tables'?); .help lists the commands\n")
    }

    func testReadRunsAFileAndStopsAtItsFailingStatement() throws {
        let directory = try temporaryDirectory()
        let inner = directory + "/inner.aq"
        try write("SELECT 1;\nSELECT bad;\nSELECT 3;\n", to: inner)
        let recorder = RecordingSession(interactive: true) { source in
            if String(decoding: source.bytes, as: UTF8.self).contains("bad") {
                throw AQError(ParseError("unknown column 'bad'", at: SourceRange(start: 7, end: 10)), source: source)
            }
            return StatementResult(message: "")
        }
        let reader = ScriptedReader([.line(".read '\(inner)'"), .line("SELECT 4;")])
        XCTAssertEqual(InputLoop(session: recorder.session, reader: reader).run(), .finished)
        XCTAssertEqual(recorder.runs.map(\.text), ["SELECT 1;\n", "SELECT bad;\n", "SELECT 4;\n"])
        XCTAssertTrue(recorder.errors.text.hasPrefix("\(inner):2:8: unknown column 'bad'"), recorder.errors.text)
    }

    func testReadThatReadsItselfStopsAtTheNestingLimit() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/self.aq"
        try write(".read \(path)\n", to: path)
        let recorder = RecordingSession()
        XCTAssertEqual(InputLoop(session: recorder.session, reader: TextLineReader(".read \(path)")).run(), .failed)
        XCTAssertTrue(recorder.errors.text.contains(".read nested more than 16 deep"), recorder.errors.text)
    }

    func testOutputSendsResultsToAFileAndBack() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/out.csv"
        let recorder = RecordingSession { _ in makeResult([("x", .integer)], [[.integer(7)]]) }
        let script = ".mode csv\n.output \(path)\nSELECT 7;\n.output\nSELECT 7;"
        XCTAssertEqual(InputLoop(session: recorder.session, reader: TextLineReader(script)).run(), .finished)
        XCTAssertEqual(String(decoding: try FileSystem.readFile(path), as: UTF8.self), "x\n7\n")
        XCTAssertEqual(recorder.runs.count, 2)
    }

    func testAStatementOfManyLinesIsReadInLinearTime() {
        // 20,000 lines: rescanning the whole statement at each line would take minutes.
        let rows = (0..<20_000).map { "(\($0), 'row \($0)')" }.joined(separator: ",\n")
        let script = "INSERT INTO t VALUES\n" + rows + ";\nSELECT 'a\n;\nb';"
        let recorder = RecordingSession()
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        XCTAssertEqual(InputLoop(session: recorder.session, reader: TextLineReader(script)).run(), .finished)
        clock_gettime(CLOCK_MONOTONIC, &end)
        XCTAssertEqual(recorder.runs.count, 2)
        XCTAssertEqual(recorder.runs.last?.text, "SELECT 'a\n;\nb';\n")
        XCTAssertEqual(recorder.runs.last?.firstLine, 20_002)
        XCTAssertLessThan(end.tv_sec - start.tv_sec, 10)
    }

    func testDotCommandArgumentsMayBeQuoted() {
        XCTAssertEqual(DotCommandRunner.split(".read 'my file.aq'  x"), [".read", "my file.aq", "x"])
        XCTAssertEqual(DotCommandRunner.split(".output \"\""), [".output", ""])
    }
}

/// A new empty directory for a test's files, inside `TestScratch.root`.
func temporaryDirectory() throws -> String {
    var template = Array((TestScratch.root + "/test-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw SystemError(path: TestScratch.root, errno: errno) }
    return String(cString: made)
}

func write(_ text: String, to path: String) throws {
    let sink = try OutputSink.file(path)
    sink.write(text)
    sink.flush()
}

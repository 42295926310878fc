// Tests of the REPL's "is this statement finished?" state machine.

import XCTest
@testable import AQSyntax

final class StatementCompletenessTests: XCTestCase {
    func testSemicolonEndsAStatement() {
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1;"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1;  \n"))
        XCTAssertTrue(StatementCompleteness.isComplete(";"))
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 1"))
        XCTAssertFalse(StatementCompleteness.isComplete(""))
        XCTAssertFalse(StatementCompleteness.isComplete("   \n"))
    }

    func testTextAfterTheLastSemicolonMakesItIncomplete() {
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 1; SELECT"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1; SELECT 2;"))
    }

    func testCommentsAfterTheSemicolonAreBlank() {
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1; -- done"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1; /* done */ "))
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 1; /* not done"))
    }

    func testSemicolonsInsideStringsAndCommentsDoNotCount() {
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 'a;b"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 'a;b';"))
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 'it''s;"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 'it''s';"))
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT \"a;b"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT \"a;\"\"b\";"))
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 1 -- ;"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1 -- ;\n;"))
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 1 /* ; */"))
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1 /* ; */;"))
        // `/*/` does not close the comment it opens.
        XCTAssertFalse(StatementCompleteness.isComplete("SELECT 1 /*/ ;"))
        // A single `-` or `/` is an operator, not the start of a comment.
        XCTAssertTrue(StatementCompleteness.isComplete("SELECT 1 - 2 / 3;"))
    }

    func testEndStateDrivesTheContinuationPrompt() {
        XCTAssertEqual(StatementCompleteness.endState("SELECT 'abc"), .string)
        XCTAssertEqual(StatementCompleteness.endState("SELECT 'abc'"), .normal)
        XCTAssertEqual(StatementCompleteness.endState("SELECT \"x"), .quotedIdentifier)
        XCTAssertEqual(StatementCompleteness.endState("SELECT /* x"), .blockComment)
        XCTAssertEqual(StatementCompleteness.endState("SELECT /* x */"), .normal)
        XCTAssertEqual(StatementCompleteness.endState("SELECT -- 'x"), .normal)
    }

    func testSplitStatementsKeepsEveryByte() {
        let text = "SELECT 1; SELECT 'a;' ;;\n-- c\nSELECT 3"
        let (complete, rest) = StatementCompleteness.splitStatements(text)
        XCTAssertEqual(complete, ["SELECT 1;", " SELECT 'a;' ;", ";"])
        XCTAssertEqual(rest, "\n-- c\nSELECT 3")
        XCTAssertEqual((complete + [rest]).joined(), text)
    }

    func testScanReportsByteRangesAndBlankRest() {
        let s = StatementCompleteness.scan(Array("SELECT 'é'; -- x".utf8))
        XCTAssertEqual(s.statements, [0..<12])
        XCTAssertEqual(s.restStart, 12)
        XCTAssertTrue(s.restIsBlank)
        XCTAssertEqual(s.endState, .normal)
        let t = StatementCompleteness.scan(Array("SELECT 1; x".utf8))
        XCTAssertFalse(t.restIsBlank)
    }

    func testLongStringIsLinear() {
        let text = "SELECT '" + String(repeating: "ab''", count: 1_000_000) + "';"
        XCTAssertTrue(StatementCompleteness.isComplete(text))
    }
}

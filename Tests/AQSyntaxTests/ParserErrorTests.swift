// Syntax errors: messages and positions, marked inline in the test input (as Go's parser
// tests do) with `/*^ message */` right where the error must point; recovery after errors.

import XCTest
import Foundation
@testable import AQSyntax

final class ParserErrorTests: XCTestCase {
    /// Parses `marked` without its marker and checks that the first error has the marker's
    /// message and starts where the marker stood, and that its rendering names that line
    /// and column.
    private func checkError(_ marked: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let open = marked.range(of: "/*^ "), let close = marked.range(of: " */", range: open.upperBound..<marked.endIndex) else {
            return XCTFail("no /*^ … */ marker in \(marked)", file: file, line: line)
        }
        let message = String(marked[open.upperBound..<close.lowerBound])
        let text = String(marked[..<open.lowerBound]) + String(marked[close.upperBound...])
        let offset = marked[..<open.lowerBound].utf8.count
        let source = Source(text)
        let errors = Parser.parseScript(source).compactMap { parsed -> ParseError? in
            if case .error(let e) = parsed { return e }
            return nil
        }
        guard let error = errors.first else { return XCTFail("no error in \(text)", file: file, line: line) }
        XCTAssertEqual(error.message, message, file: file, line: line)
        XCTAssertEqual(error.range?.start, offset, "error position in \(text)", file: file, line: line)
        let at = source.location(of: offset)
        let firstLine = source.render(error).split(separator: "\n").first.map(String.init)
        XCTAssertEqual(firstLine, "line \(at.line), column \(at.column): \(message)", file: file, line: line)
    }

    func testRenderedErrorsShowLineColumnAndCaret() {
        XCTAssertEqual(parseDump("SELECT a,\n  (b + 1 FROM t"), """
            error: line 2, column 10: expected ')', found 'FROM'
                (b + 1 FROM t
                       ^~~~
            """)
        XCTAssertEqual(parseDump("SELECT a\nFROM t\nWHERE (a = 1\n  AND b"), """
            error: line 4, column 8: expected ')' (to close '(' at line 3)
                AND b
                     ^
            """)
        let script = Source("SELECT 1;\nSELECT * FROM t 22;", fileName: "q.aq")
        guard case .error(let error) = Parser.parseScript(script)[1] else { return XCTFail("no error") }
        XCTAssertEqual(script.render(error), """
            q.aq:2:17: expected ';', found '22'
              SELECT * FROM t 22;
                              ^~
            """)
    }

    func testExpectedTokens() {
        checkError("SELECT (1 + 2 /*^ expected ')', found 'FROM' */FROM t")
        checkError("SELECT a FROM t WHERE/*^ expected expression, found end of input */")
        checkError("SELECT a, /*^ expected expression, found 'JOIN' */JOIN t")
        checkError("SELECT a FROM t ORDER /*^ expected 'BY', found 'x' */x")
        checkError("SELECT a FROM t GROUP BY /*^ expected expression, found ';' */;")
        checkError("SELECT 1 /*^ expected ';', found '2' */2")
        checkError("SELECT CASE WHEN a THEN 1/*^ expected WHEN, ELSE or END, found end of input */")
        checkError("SELECT CASE WHEN a THEN 1 ELSE 2 /*^ expected END, found ')' */)")
        checkError("SELECT CAST(a AS/*^ expected type name, found ')' */)")
        checkError("SELECT CAST(a /*^ expected 'AS', found ',' */, int)")
        checkError("SELECT x IS /*^ expected NULL, NOT, TRUE, FALSE or DISTINCT FROM, found '5' */5")
        checkError("SELECT x /*^ expected ';', found 'NOT' */NOT NOT 5")
        checkError("SELECT a FROM t WHERE a IN (/*^ expected expression, found ',' */, 1)")
        checkError("SELECT a FROM t WHERE a IN (1, 2 /*^ expected ',' or ')', found 'x' */x)")
        checkError("SELECT count(*) FILTER (WHERE /*^ expected expression, found ')' */)")
        checkError("SELECT a FROM t ORDER BY a NULLS /*^ expected FIRST or LAST, found 'LIMIT' */LIMIT 1")
        checkError("SELECT f(a, b/*^ expected ')' (to close '(' at line 1) */")
        checkError("SELECT a FROM t LIMIT/*^ expected expression, found end of input */")
        checkError("SELECT * FROM /*^ expected table name, found 'WHERE' (a reserved word; write \"where\" to use it as a name) */WHERE")
        checkError("SELECT /*^ expected expression, found 'END' */end FROM t")
        checkError("SELECT 1 FROM t AS /*^ expected alias, found '1' */1")
        checkError("WITH x AS /*^ expected '(', found 'SELECT' */SELECT 1 SELECT 2")
        checkError("SELECT * FROM a UNION /*^ expected SELECT, FROM, VALUES, TABLE or '(', found 'WHERE' */WHERE b")
        checkError("SELECT a.b/*^ a column name has at most two parts (table.column) */.c")
    }

    func testStatementErrors() {
        checkError("/*^ unknown statement 'SELEC' (did you mean 'SELECT'?) */SELEC 1")
        checkError("/*^ expected a statement, found 'frobnicate' */frobnicate")
        checkError("/*^ expected a statement, found '42' */42")
        checkError("CREATE /*^ expected TABLE, VIEW or SEQUENCE, found 'INDEX' */INDEX i ON t (a)")
        checkError("CREATE VIEW v /*^ expected 'AS', found 'SELECT' */SELECT 1")
        checkError("CREATE TABLE t (a INT, b/*^ expected type name, found ')' */)")
        checkError("CREATE TABLE t (a INT /*^ expected ',' or ')', found 'KEY' */KEY)")
        checkError("CREATE TABLE t (a INT PRIMARY /*^ expected 'KEY', found ')' */)")
        checkError("CREATE TABLE t (a INT /*^ CHECK constraints are not supported; aq enforces NOT NULL, PRIMARY KEY and UNIQUE */CHECK (a > 0))")
        checkError("CREATE TABLE t (a INT /*^ foreign keys are not supported; aq enforces NOT NULL, PRIMARY KEY and UNIQUE */REFERENCES u (b))")
        checkError("CREATE TABLE t (a INT, /*^ foreign keys are not supported; aq enforces NOT NULL, PRIMARY KEY and UNIQUE */FOREIGN KEY (a) REFERENCES u (b))")
        checkError("CREATE TABLE t (a INT, PRIMARY KEY /*^ expected '(', found 'a' */a)")
        checkError("SET /*^ expected a setting name, found '=' */= 1")
        checkError("SET x /*^ expected '=' or TO, found 'y' */y")
        checkError("SET x = /*^ expected a setting value, found '(' */(1)")
        checkError("RESET/*^ expected a setting name, found end of input */")
        checkError("CREATE TABLE t /*^ expected '(' or 'AS', found 'SELECT' */SELECT 1")
        checkError("CREATE OR REPLACE TABLE /*^ OR REPLACE and IF NOT EXISTS cannot be used together */IF NOT EXISTS t AS SELECT 1")
        checkError("DROP TABLE/*^ expected table name, found end of input */")
        checkError("INSERT INTO t (a, b /*^ expected ',' or ')', found 'VALUES' */VALUES (1)")
        checkError("INSERT INTO t /*^ expected VALUES or a query, found ';' */;")
        checkError("LOAD /*^ expected a file path in quotes, found 'events' */events.json")
        checkError("SHOW /*^ expected TABLES, SOURCES or RAW PATHS, found 'COLUMNS' */COLUMNS")
    }

    func testUnsupportedConstructsSayWhy() {
        checkError("SELECT * FROM a FULL /*^ expected 'JOIN', found 'b' */b ON x")
        checkError("WITH RECURSIVE t /*^ expected 'AS', found 'SELECT' */SELECT 2")
        checkError("SELECT * FROM a /*^ NATURAL JOIN is not supported; use JOIN … ON */NATURAL JOIN b")
        checkError("SELECT * FROM a JOIN b /*^ JOIN … USING is not supported; use ON */USING (x)")
        checkError("SELECT * FROM range(1, /*^ expected expression, found ')' */)")
    }

    func testLiteralErrors() {
        checkError("SELECT INTERVAL 15 /*^ unknown interval unit 'minuts' (did you mean 'minute'?) */minuts")
        checkError("SELECT INTERVAL 15/*^ expected an interval unit such as MINUTE, found end of input */")
        checkError("SELECT /*^ invalid duration unit 'x' (expected ns, us, ms, s, m, h, d or w) */5x")
        checkError("SELECT /*^ a duration literal needs a whole number (write 90m, not 1.5h) */1.5h")
        checkError("SELECT /*^ duration literal out of range */99999999999999999999s")
        checkError("SELECT CAST(a AS VARCHAR(/*^ expected integer, found 'x' */x))")
        checkError("SELECT 'a' /*^ expected ';', found string '2024' */'2024'")
    }

    func testLexicalErrorsSurfaceAtTheirPlace() {
        checkError("SELECT /*^ unterminated string literal */'abc")
        checkError("SELECT a FROM /*^ unterminated quoted identifier */\"events")
        checkError("SELECT 1 /*^ unterminated block comment *//* never closed")
        checkError("SELECT a /*^ unexpected character '#' */# b")
        checkError("SELECT /*^ empty quoted identifier */\"\" FROM t")
        checkError("SELECT 1, /*^ unexpected character '’' (strings use ') */’x’")
    }

    func testInvalidUTF8IsAnErrorAtTheByte() {
        let bytes = Array("SELECT 'ok';\nSELECT 'a".utf8) + [0xFF] + Array("b' FROM t;".utf8)
        let source = Source(bytes: bytes)
        let parsed = Parser.parseScript(source)
        XCTAssertEqual(parsed.count, 2)
        guard case .error(let error) = parsed[1] else { return XCTFail("expected an error") }
        XCTAssertEqual(error, .lexical(.invalidUTF8(0xFF), at: SourceRange(start: 22, end: 23)))
        XCTAssertEqual(source.render(error).split(separator: "\n").first, "line 2, column 10: invalid UTF-8 byte 0xff")
    }

    func testRecoveryContinuesAfterTheNextSemicolon() {
        XCTAssertEqual(parseDump("SELECT 1; SELECT (; SELECT 3"), """
            (select (1))
            error: line 1, column 19: expected expression, found ';'
              SELECT 1; SELECT (; SELECT 3
                                ^
            (select (3))
            """)
        let results = Parser.parseScript(Source("SELEC 1; SELECT 2; SELECT 3 3; SELECT 'x' ; DROP"))
        let shape = results.map { parsed -> String in
            if case .statement = parsed { return "ok" }
            return "error"
        }
        XCTAssertEqual(shape, ["error", "ok", "error", "ok", "error"])
    }

    func testUnterminatedStringSwallowsTheRest() {
        // Everything after an unterminated quote is inside it: one error, nothing after.
        let results = Parser.parseScript(Source("SELECT 1; SELECT 'abc; SELECT 3;"))
        XCTAssertEqual(results.count, 2)
        guard case .error(let error) = results[1] else { return XCTFail("expected an error") }
        XCTAssertEqual(error.message, "unterminated string literal")
        XCTAssertEqual(error.range, SourceRange(start: 17, end: 18))
    }
}

final class KeywordTypoTests: XCTestCase {
    func testMisspelledClauseWordsAreNamed() {
        XCTAssertEqual(parseDump("SELECT * FORM t"), """
            error: line 1, column 10: expected ';', found 'FORM' (did you mean 'FROM'?)
              SELECT * FORM t
                       ^~~~
            """)
        // `WHER` parses as an alias of `t`; the statement fails at `x`, the hint points back.
        XCTAssertEqual(parseDump("SELECT a FROM t WHER x = 1"), """
            error: line 1, column 17: unexpected 'WHER' (did you mean 'WHERE'?)
              SELECT a FROM t WHER x = 1
                              ^~~~
            """)
        XCTAssertEqual(parseDump("SELECT a FROM t GROPU BY a").components(separatedBy: "\n").first,
                       "error: line 1, column 17: unexpected 'GROPU' (did you mean 'GROUP'?)")
        // Nothing near a clause word: the plain message.
        XCTAssertEqual(parseDump("SELECT a FROM t u v").components(separatedBy: "\n").first,
                       "error: line 1, column 19: expected ';', found 'v'")
    }
}

// Hostile sizes: deep nesting must end in a clear error, never a stack overflow (these run on
// the main thread with its default stack), and huge literals and long lists parse in linear time.

import XCTest
@testable import AQSyntax

final class ParserLimitsTests: XCTestCase {
    private func firstError(_ text: String) -> ParseError? {
        for parsed in Parser.parseScript(Source(text)) {
            if case .error(let e) = parsed { return e }
        }
        return nil
    }

    private func assertTooDeep(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let error = firstError(text) else { return XCTFail("no error", file: file, line: line) }
        XCTAssertEqual(error.message, "expression nested too deeply", file: file, line: line)
        guard case .nestedTooDeeply(let range) = error else { return XCTFail("\(error)", file: file, line: line) }
        XCTAssertLessThan(range.start, text.utf8.count, file: file, line: line)
    }

    func testTenThousandParenthesesAreAnError() {
        let text = "SELECT " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        assertTooDeep(text)
        // The error points into the brackets, where the limit was crossed.
        guard let error = firstError(text), let range = error.range else { return XCTFail("no error") }
        XCTAssertEqual(Source(text).text(range), "(")
    }

    func testEveryRecursiveRuleIsCapped() {
        let n = 10_000
        assertTooDeep("SELECT " + String(repeating: "NOT ", count: n) + "1")
        assertTooDeep("SELECT " + String(repeating: "- ", count: n) + "1")
        assertTooDeep("SELECT " + String(repeating: "(SELECT ", count: n) + "1" + String(repeating: ")", count: n))
        assertTooDeep("SELECT " + String(repeating: "CASE WHEN ", count: n) + "1")
        assertTooDeep("SELECT " + String(repeating: "f(", count: n) + "1")
        assertTooDeep("SELECT " + String(repeating: "a IN (", count: n) + "1")
        assertTooDeep("SELECT " + String(repeating: "CAST(", count: n) + "1")
        assertTooDeep("SELECT * FROM " + String(repeating: "(SELECT * FROM ", count: n) + "t")
        assertTooDeep("SELECT * FROM " + String(repeating: "(t JOIN ", count: n) + "t")
        assertTooDeep(String(repeating: "EXPLAIN ", count: n) + "SELECT 1")
        assertTooDeep(String(repeating: "(", count: n) + "SELECT 1")
        assertTooDeep("SELECT 1 WHERE " + String(repeating: "EXISTS (SELECT 1 WHERE ", count: n) + "1")
    }

    func testLongChainsAreCappedByTreeDepth() {
        // A chain is parsed in a loop but later passes walk its tree recursively.
        assertTooDeep("SELECT " + Array(repeating: "1", count: 100_000).joined(separator: " + "))
        assertTooDeep(Array(repeating: "SELECT 1", count: 5_000).joined(separator: " UNION ALL "))
        assertTooDeep("SELECT 1 FROM " + Array(repeating: "t", count: 5_000).joined(separator: ", "))
        assertTooDeep("SELECT 1 FROM t" + String(repeating: " JOIN t ON true", count: 5_000))
    }

    func testRealisticSizesParse() {
        let ors = "SELECT 1 FROM t WHERE " + (0..<500).map { "ip = '10.0.0.\($0)'" }.joined(separator: " OR ")
        XCTAssertNil(firstError(ors))
        let parens = "SELECT " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        XCTAssertEqual(parseDump(parens), "(select (1))")
        let subqueries = "SELECT " + String(repeating: "(SELECT ", count: 30) + "1" + String(repeating: ")", count: 30)
        XCTAssertNil(firstError(subqueries))
        let list = "SELECT 1 WHERE x IN (" + (0..<100_000).map(String.init).joined(separator: ", ") + ")"
        XCTAssertNil(firstError(list))
        // After a too-deep statement the next one parses normally.
        let script = "SELECT " + String(repeating: "(", count: 1_000) + "; SELECT 2"
        let results = Parser.parseScript(Source(script))
        XCTAssertEqual(results.count, 2)
        if case .statement(let s) = results[1] { XCTAssertEqual(s.dump, "(select (2))") } else { XCTFail("no statement") }
    }

    func testTenMegabyteLiteral() {
        let body = String(repeating: "0123456789abcdef", count: 655_360)   // 10 MiB
        let text = "SELECT '" + body + "' AS big, 'it''s' AS small"
        let clock = ContinuousClock()
        var exprs: [Expr] = []
        let elapsed = clock.measure { exprs = selectExprs(text) }
        XCTAssertLessThan(elapsed, .seconds(10))
        guard exprs.count == 2, case .literal(.string(let value)) = exprs[0].kind else { return XCTFail("no literal") }
        XCTAssertEqual(value.utf8.count, body.utf8.count)
        XCTAssertTrue(value.hasPrefix("0123456789abcdef0123"))
        XCTAssertEqual(exprs[0].range, SourceRange(start: 7, end: 7 + body.utf8.count + 2))
    }

    func testTenMegabyteLiteralWithQuotesAndAnUnterminatedOne() {
        let body = String(repeating: "ab''", count: 2_621_440)
        let exprs = selectExprs("SELECT '" + body + "'")
        guard case .literal(.string(let value))? = exprs.first?.kind else { return XCTFail("no literal") }
        XCTAssertEqual(value.utf8.count, 3 * 2_621_440)
        let unterminated = "SELECT '" + String(repeating: "x", count: 10_485_760)
        XCTAssertEqual(firstError(unterminated), .lexical(.unterminatedString, at: SourceRange(start: 7, end: 8)))
    }
}

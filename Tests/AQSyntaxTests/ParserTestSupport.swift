// Helpers for parser tests: parse text and show each statement as an S-expression, or its
// error rendered as the user sees it.

import XCTest
@testable import AQSyntax

/// Each statement of `text` dumped, or its error rendered, one per line.
func parseDump(_ text: String) -> String {
    let source = Source(text)
    return Parser.parseScript(source).map { parsed in
        switch parsed {
        case .statement(let s): return s.dump
        case .error(let e): return "error: " + source.render(e)
        }
    }.joined(separator: "\n")
}

/// The statements of `text`; fails the test on a parse error.
func parseStatements(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [Statement] {
    let source = Source(text)
    return Parser.parseScript(source).compactMap { parsed in
        switch parsed {
        case .statement(let s): return s
        case .error(let e):
            XCTFail("unexpected error: " + source.render(e), file: file, line: line)
            return nil
        }
    }
}

/// The select items of a one-statement `SELECT …` as expressions.
func selectExprs(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [Expr] {
    guard let statement = parseStatements(text, file: file, line: line).first,
          case .query(let query) = statement.kind, case .select(let select) = query.body else {
        XCTFail("not a SELECT: \(text)", file: file, line: line)
        return []
    }
    return select.items.compactMap { item in
        if case .expression(let e, _) = item { return e }
        return nil
    }
}

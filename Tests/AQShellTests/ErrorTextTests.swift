import XCTest
import AQEngine
import AQSyntax

/// The text the shell prints for an error: position, message, the line and a caret.
final class ErrorTextTests: XCTestCase {
    func testRuntimeErrorPointsAtItsExpression() {
        let source = Source("SELECT 1 // 0")
        let error = AQError(ExecutionError.divisionByZero(range: SourceRange(start: 7, end: 13)), source: source)
        XCTAssertEqual(error.description, "line 1, column 8: division by zero\n  SELECT 1 // 0\n         ^~~~~~")
    }

    func testScriptErrorsNameTheFile() {
        let source = Source("SELECT 1;\nSELECT nope;", fileName: "q.aq")
        let error = AQError(BindError.unknownColumn("nope", suggestion: nil, range: SourceRange(start: 17, end: 21)), source: source)
        XCTAssertEqual(error.description, "q.aq:2:8: unknown column 'nope'\n  SELECT nope;\n         ^~~~")
    }
}

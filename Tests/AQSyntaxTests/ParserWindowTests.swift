// Parser tests for window functions: OVER with a spec or a name, frames, EXCLUDE, IGNORE
// NULLS, the WINDOW and QUALIFY clauses, and words of the window grammar used as names.

import XCTest
@testable import AQSyntax

final class ParserWindowTests: XCTestCase {
    private func check(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(parseDump(text), expected, file: file, line: line)
    }

    func testOverClauses() {
        check("SELECT row_number() OVER ()", "(select ((call row_number (over))))")
        check("SELECT rank() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST)",
              "(select ((call rank (over (partition a b) (order-by (c desc nulls-last))))))")
        check("SELECT sum(x) OVER w FROM t WINDOW w AS (ORDER BY t)",
              "(select ((call sum x (over w))) (from t) (window w (over (order-by t))))")
        check("SELECT sum(x) OVER (w ROWS 2 PRECEDING) FROM t",
              "(select ((call sum x (over w (rows (preceding 2) current-row)))) (from t))")
        check("SELECT lag(x, 2, 0 IGNORE NULLS) OVER (ORDER BY t)",
              "(select ((call lag x 2 0 ignore-nulls (over (order-by t)))))")
        check("SELECT count(*) FILTER (WHERE ok) OVER ()", "(select ((call count * (filter ok) (over))))")
    }

    func testFrames() {
        check("SELECT sum(x) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)",
              "(select ((call sum x (over (order-by t) (rows unbounded-preceding (following 1) exclude-current-row)))))")
        check("SELECT sum(x) OVER (ORDER BY t RANGE BETWEEN 1h PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE NO OTHERS)",
              "(select ((call sum x (over (order-by t) (range (preceding (duration 1 h)) unbounded-following)))))")
        check("SELECT sum(x) OVER (ORDER BY t RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW EXCLUDE TIES)",
              "(select ((call sum x (over (order-by t) (range (preceding (interval 1 day)) current-row exclude-ties)))))")
    }

    func testQualifyAndNames() {
        check("SELECT a FROM t QUALIFY rank() OVER (ORDER BY a) = 1",
              "(select (a) (from t) (qualify (= (call rank (over (order-by a))) 1)))")
        // The words of frames stay names elsewhere; `over` after a call must open a window.
        check("SELECT rows, range, over, current, partition FROM t",
              "(select (rows range over current partition) (from t))")
        check("SELECT count(*) over FROM t", "(select ((as (call count *) over)) (from t))")
        check("SELECT * FROM range(3)", "(select (*) (from (table-function (call range 3))))")
    }
}

import XCTest
import AQEngine
@testable import AQShell

/// `.chart` and `--format chart`: bars per category, a histogram over time, and results
/// with nothing to draw.
final class ChartTests: XCTestCase {
    let day: Int64 = 86_400_000_000_000

    func testBarsPerCategoryScaleToTheLargestAndLeaveTheTotalBare() throws {
        let result = makeResult([("action", .varchar), ("events", .integer)],
                                [[.varchar("pull"), .integer(8)], [.varchar("push"), .integer(3)],
                                 [.varchar("delete"), .integer(1)], [.varchar("total"), .integer(12)]])
        let lines = try XCTUnwrap(ChartFormat(width: 30).lines(result))
        // 30 columns: label 6, " │", bar 19, " ", value 2.
        XCTAssertEqual(lines, [
            "events by action",
            "pull   │███████████████████  8",
            "push   │███████▏             3",
            "delete │██▍                  1",
            "total  │                    12",
        ])
        XCTAssertEqual(BarText.bar(3, min: 0, max: 8, width: 19), "███████▏           ")
    }

    func testHistogramOverTime() throws {
        let start: Int64 = 19_800 * day
        let result = makeResult([("day", .timestamp), ("n", .integer)],
                                [[.timestamp(start), .integer(4)], [.timestamp(start + day), .integer(2)],
                                 [.timestamp(start + 3 * day), .integer(1)], [.null, .integer(9)]])
        var chart = ChartFormat(width: 22)
        chart.height = 2
        // Four days in 18 columns: four slots of four (three blocks and a gap); the missing day is empty.
        XCTAssertEqual(try XCTUnwrap(chart.lines(result)), [
            "n by day",
            "4 ┤███             ",
            "  ┤███ ███     ▄▄▄ ",
            "0 └────────────────",
            "   2024-03-18 2024-03-21",
        ])
    }

    func testNothingToDraw() throws {
        XCTAssertNil(ChartFormat(width: 40).lines(makeResult([("s", .varchar)], [[.varchar("x")]])))
        XCTAssertNil(ChartFormat(width: 40).lines(makeResult([("n", .integer)], [[.integer(1)]])))
        let text = render(makeResult([("n", .integer)], [[.integer(1)]]), .chart)
        XCTAssertTrue(text.hasSuffix("(no chart: \(ChartFormat.unchartable))\n"), text)
    }

    func testChartCommandAndFormat() throws {
        let none = try runAQ(["-c", ".chart"])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stderr, "line 1: .chart draws the last result, and no query has run yet\n")
        let drawn = try runAQ(["-c", "SELECT * FROM (VALUES ('a', 2), ('b', 1)) t(k, v);\n.chart"])
        XCTAssertEqual(drawn.status, 0, drawn.stderr)
        XCTAssertTrue(drawn.stdout.contains("v by k\na    │" + BarText.bar(2, min: 0, max: 2, width: 72) + " 2\n"), drawn.stdout)
        let format = try runAQ(["--format", "chart", "-c", "SELECT * FROM (VALUES ('a', 2), ('b', 1)) t(k, v)"])
        XCTAssertTrue(format.stdout.hasPrefix("v by k\na    │"), format.stdout)
        XCTAssertEqual(format.stdout.split(separator: "\n").count, 3)
    }
}

import XCTest
import AQEngine
@testable import AQShell

final class OutputFormatTests: XCTestCase {
    let sample = makeResult(
        [("action", .varchar), ("n", .integer), ("ratio", .double), ("ok", .boolean), ("at", .timestamp)],
        [
            [.varchar("pull"), .integer(1204), .double(0.5), .boolean(true), .timestamp(1_712_912_310_855_892_463)],
            [.varchar(""), .null, .double(3), .boolean(false), .timestamp(1_712_912_310_500_000_000)],
            [.null, .integer(-7), .null, .null, .timestamp(1_712_912_310_000_000_000)],
        ])

    func testTableIsAlignedWithTypesNullsAndRowCount() {
        let text = render(sample, .table)
        XCTAssertEqual(text, """
            ┌─────────┬─────────┬────────┬─────────┬───────────────────────────────┐
            │ action  │    n    │ ratio  │   ok    │              at               │
            │ varchar │ integer │ double │ boolean │           timestamp           │
            ├─────────┼─────────┼────────┼─────────┼───────────────────────────────┤
            │ pull    │    1204 │    0.5 │ true    │ 2024-04-12 08:58:30.855892463 │
            │         │    NULL │    3.0 │ false   │ 2024-04-12 08:58:30.5         │
            │ NULL    │      -7 │   NULL │ NULL    │ 2024-04-12 08:58:30           │
            └─────────┴─────────┴────────┴─────────┴───────────────────────────────┘
            3 rows

            """)
    }

    func testTableElidesMiddleRowsAndSaysHowManyWereShown() {
        let rows = (1...1234).map { [Value.integer(Int64($0))] }
        let text = render(makeResult([("i", .integer)], rows, batchSize: 100), .table, limits: DisplayLimits(maxRows: 4))
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.last, "4 of 1,234 rows shown")
        XCTAssertEqual(lines.filter { $0.hasPrefix("│") }.map { $0.filter { $0 != " " } },
                       ["│i│", "│integer│", "│1│", "│2│", "│·│", "│1233│", "│1234│"])
    }

    func testWideTableIsNarrowedThenColumnsLeftOutWithAMarker() {
        let long = String(repeating: "x", count: 300)
        let result = makeResult([("a", .varchar), ("b", .varchar), ("c", .varchar)],
                                [[.varchar(long), .varchar(long), .varchar(long)]])
        let narrowed = render(result, .table, limits: DisplayLimits(maxWidth: 60))
        for line in narrowed.split(separator: "\n") { XCTAssertLessThanOrEqual(displayWidth(String(line)), 60, String(line)) }
        XCTAssertTrue(narrowed.contains("…"), narrowed)
        XCTAssertTrue(narrowed.hasSuffix("1 row\n"), narrowed)

        let many = makeResult((0..<12).map { ("column_\($0)", DataType.varchar) },
                              [(0..<12).map { .varchar("value_\($0)") }])
        let cut = render(many, .table, limits: DisplayLimits(maxWidth: 50))
        for line in cut.split(separator: "\n") { XCTAssertLessThanOrEqual(displayWidth(String(line)), 50, String(line)) }
        XCTAssertTrue(cut.contains("column_0"), cut)
        XCTAssertTrue(cut.contains("column_11"), cut)
        XCTAssertTrue(cut.hasSuffix(" columns shown)\n"), cut)
    }

    func testTableCountsWideCharactersAsTwoColumns() {
        let result = makeResult([("who", .varchar)], [[.varchar("관리자")], [.varchar("ab")]])
        let lines = render(result, .table).split(separator: "\n").map(String.init)
        XCTAssertEqual(displayWidth(lines[4]), displayWidth(lines[5]))
        XCTAssertEqual(lines[4], "│ 관리자  │")
    }

    func testEmptyResultShowsHeaderAndZeroRows() {
        let text = render(makeResult([("x", .integer)], []), .table)
        XCTAssertTrue(text.hasSuffix("└─────────┘\n0 rows\n"), text)
    }

    func testCSVFollowsRFC4180AndDuckDBsTexts() {
        XCTAssertEqual(render(sample, .csv), """
            action,n,ratio,ok,at
            pull,1204,0.5,true,2024-04-12 08:58:30.855892463
            "",,3.0,false,2024-04-12 08:58:30.5
            ,-7,,,2024-04-12 08:58:30

            """)
        let tricky = makeResult([("s", .varchar)], [[.varchar("a,b")], [.varchar("say \"hi\"")], [.varchar("two\nlines")]])
        XCTAssertEqual(render(tricky, .csv), "s\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n")
    }

    func testJSONIsAnArrayOfObjects() {
        XCTAssertEqual(render(sample, .json), """
            [{"action":"pull","n":1204,"ratio":0.5,"ok":true,"at":"2024-04-12 08:58:30.855892463"},
            {"action":"","n":null,"ratio":3.0,"ok":false,"at":"2024-04-12 08:58:30.5"},
            {"action":null,"n":-7,"ratio":null,"ok":null,"at":"2024-04-12 08:58:30"}]

            """)
        XCTAssertEqual(render(makeResult([("x", .integer)], []), .json), "[]\n")
        let escaped = makeResult([("s", .varchar), ("j", .json), ("d", .double)],
                                 [[.varchar("a\"b\\c\n\u{1}"), .json("{\"k\":[1,2]}"), .double(.infinity)]])
        XCTAssertEqual(render(escaped, .json), "[{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"j\":{\"k\":[1,2]},\"d\":\"inf\"}]\n")
    }

    func testNDJSONIsOneObjectPerLine() {
        let lines = render(sample, .ndjson).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0], #"{"action":"pull","n":1204,"ratio":0.5,"ok":true,"at":"2024-04-12 08:58:30.855892463"}"#)
        XCTAssertEqual(render(makeResult([("x", .integer)], []), .ndjson), "")
    }

    func testMarkdownIsAPipeTable() {
        let result = makeResult([("name", .varchar), ("n", .integer)],
                                [[.varchar("a|b"), .integer(10)], [.null, .integer(2)]])
        XCTAssertEqual(render(result, .markdown), """
            | name |   n |
            | ---- | --: |
            | a\\|b |  10 |
            |      |   2 |

            """)
    }

    func testFormatNames() {
        XCTAssertEqual(OutputFormat(name: "CSV"), .csv)
        XCTAssertEqual(OutputFormat(name: "md"), .markdown)
        XCTAssertNil(OutputFormat(name: "xml"))
        XCTAssertEqual(grouped(1234567), "1,234,567")
        XCTAssertEqual(grouped(12), "12")
    }
}

import XCTest
import AQEngine
@testable import AQShell

/// LIST values in every output format: DuckDB's text (`[1, NULL]`) in tables, CSV, markdown
/// and charts; a real array in JSON.
final class ListOutputTests: XCTestCase {
    let lists = makeResult(
        [("ids", .list(.integer)), ("who", .list(.varchar)), ("n", .integer)],
        [
            [.list([.integer(1), .null, .integer(3)], element: .integer), .list([.varchar("a \"b\""), .varchar("c,d")], element: .varchar), .integer(2)],
            [.null, .list([], element: .varchar), .integer(5)],
        ])

    func testTableShowsListsAsDuckDBText() {
        XCTAssertEqual(render(lists, .table), """
            ┌──────────────┬──────────────┬─────────┐
            │     ids      │     who      │    n    │
            │  integer[]   │  varchar[]   │ integer │
            ├──────────────┼──────────────┼─────────┤
            │ [1, NULL, 3] │ [a "b", c,d] │       2 │
            │ NULL         │ []           │       5 │
            └──────────────┴──────────────┴─────────┘
            2 rows

            """)
    }

    func testJSONWritesListsAsArrays() {
        XCTAssertEqual(render(lists, .json), """
            [{"ids":[1,null,3],"who":["a \\"b\\"","c,d"],"n":2},
            {"ids":null,"who":[],"n":5}]

            """)
        XCTAssertEqual(render(lists, .ndjson).split(separator: "\n").first.map(String.init),
                       #"{"ids":[1,null,3],"who":["a \"b\"","c,d"],"n":2}"#)
    }

    func testCSVQuotesListText() {
        XCTAssertEqual(render(lists, .csv), """
            ids,who,n
            "[1, NULL, 3]","[a ""b"", c,d]",2
            ,[],5

            """)
    }

    func testMarkdownAndChartShowListText() {
        XCTAssertTrue(render(lists, .markdown).contains("| [1, NULL, 3] |"), render(lists, .markdown))
        let chart = render(lists, .chart)
        XCTAssertTrue(chart.contains("[1, NULL, 3]"), chart)
    }
}

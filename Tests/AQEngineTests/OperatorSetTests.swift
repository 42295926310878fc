// Limit, distinct, UNION ALL, EXCEPT / INTERSECT [ALL], VALUES, empty plans and scans with
// pushed filters.

import XCTest
@testable import AQEngine

final class OperatorSetTests: OperatorTestCase {
    private var numbers: Table {
        table("t", [("x", .integer), ("s", .varchar), ("f", .boolean)], [
            [i(1), s("a"), b(true)], [i(2), s("b"), b(false)], [i(1), s("a"), null], [null, null, b(true)],
            [i(3), s("c"), b(true)], [null, null, b(false)], [i(1), s("a"), b(true)],
        ], chunk: 2)
    }

    func testLimitAndOffsetAcrossBatches() throws {
        let big = table("b", [("x", .integer)], (0..<5000).map { [i(Int64($0))] })
        XCTAssertEqual(try rows(.limit(scan(big), limit: 3, offset: 2047)).map { $0[0] }, [i(2047), i(2048), i(2049)])
        XCTAssertEqual(try rows(.limit(scan(big), limit: nil, offset: 4998)).map { $0[0] }, [i(4998), i(4999)])
        XCTAssertEqual(try rows(.limit(scan(big), limit: 0, offset: 0)), [])
        XCTAssertEqual(try rows(.limit(scan(big), limit: 10, offset: 6000)), [])
        XCTAssertEqual(try rows(.limit(scan(big), limit: 3000, offset: 0)).count, 3000)
    }

    func testDistinctKeepsFirstOccurrencesAndTreatsNullsAsEqual() throws {
        XCTAssertEqual(try rows(.distinct(scan(numbers, [0, 1]))),
                       [[i(1), s("a")], [i(2), s("b")], [null, null], [i(3), s("c")]])
    }

    func testUnionAllConcatenatesInputs() throws {
        let plan = LogicalPlan.unionAll([scan(numbers, [0]), .empty(schema: [ColumnSchema(name: "x", type: .integer)]),
                                         scan(numbers, [0])])
        let out = try rows(plan)
        XCTAssertEqual(out.count, 14)
        XCTAssertEqual(Array(out[7...]), Array(out[..<7]))
    }

    func testExceptAndIntersectWithAndWithoutAll() throws {
        let other = table("o", [("x", .integer)], [[i(1)], [null], [i(4)], [i(1)]])
        let l = scan(numbers, [0]), r = scan(other)
        XCTAssertEqual(try rows(.setDifference(l, r, intersect: false, all: false)), [[i(2)], [i(3)]])
        XCTAssertEqual(try rows(.setDifference(l, r, intersect: false, all: true)), [[i(1)], [i(2)], [null], [i(3)]])
        XCTAssertEqual(try rows(.setDifference(l, r, intersect: true, all: false)), [[i(1)], [null]])
        XCTAssertEqual(try rows(.setDifference(l, r, intersect: true, all: true)), [[i(1)], [i(1)], [null]])
    }

    func testValuesAndEmpty() throws {
        let schema = [ColumnSchema(name: "a", type: .integer), ColumnSchema(name: "b", type: .varchar)]
        let plan = LogicalPlan.values(rows: [[constant(i(1)), constant(s("x"))], [constant(null, .integer), constant(s("y"))]],
                                      schema: schema)
        XCTAssertEqual(try rows(plan), [[i(1), s("x")], [null, s("y")]])
        XCTAssertEqual(try rows(.values(rows: [[]], schema: [])).count, 1)
        XCTAssertEqual(try rows(.empty(schema: schema)), [])
        let many = LogicalPlan.values(rows: (0..<3000).map { [constant(i(Int64($0)))] }, schema: [schema[0]])
        XCTAssertEqual(try rows(many).count, 3000)
    }

    func testScanProjectsColumnsAndAppliesPushedFilters() throws {
        XCTAssertEqual(try rows(scan(numbers, [1, 0])).first, [s("a"), i(1)])
        let filtered = scan(numbers, [2, 0], filters: [column(0, .boolean)])
        XCTAssertEqual(try rows(filtered), [[b(true), i(1)], [b(true), null], [b(true), i(3)], [b(true), i(1)]])
        let none = scan(numbers, [2], filters: [constant(b(false))])
        XCTAssertEqual(try rows(none), [])
        let filter = LogicalPlan.filter(scan(numbers, [0, 2]), predicate: column(1, .boolean))
        XCTAssertEqual(try rows(filter).map { $0[0] }, [i(1), null, i(3), i(1)])
    }

    func testProjectionAndCancellation() throws {
        let plan = LogicalPlan.project(scan(numbers), expressions: [column(1, .varchar), constant(i(7))], names: ["s", "k"])
        XCTAssertEqual(try rows(plan).first, [s("a"), i(7)])
        let context = self.context()
        context.cancellation.cancel()
        XCTAssertThrowsError(try Executor.run(scan(numbers), context)) { error in
            guard case ExecutionError.cancelled = error else { return XCTFail("\(error)") }
        }
    }
}

// Hash and nested-loop joins: duplicates on both sides, NULL keys, LEFT JOIN padding,
// residual conditions, cross joins, and outputs larger than a batch.

import XCTest
@testable import AQEngine

final class OperatorJoinTests: OperatorTestCase {
    private var left: Table {
        table("l", [("ip", .varchar), ("n", .integer)], [
            [s("a"), i(1)], [s("b"), i(2)], [null, i(3)], [s("a"), i(4)], [s("c"), i(5)],
        ], chunk: 2)
    }
    private var right: Table {
        table("r", [("ip", .varchar), ("owner", .varchar), ("ok", .boolean)], [
            [s("a"), s("x"), b(true)], [s("a"), s("y"), b(false)], [null, s("z"), b(true)], [s("b"), s("w"), b(true)],
        ], dictionary: false)
    }

    private func join(_ kind: JoinType, _ condition: BoundExpr?, left l: Table? = nil, right r: Table? = nil) throws -> [[Value]] {
        try rows(.join(scan(l ?? left), scan(r ?? right), kind: kind, condition: condition))
    }

    private var keysEqual: BoundExpr { equal(column(0, .varchar), column(2, .varchar)) }

    func testInnerJoinMatchesDuplicatesAndNeverNullKeys() throws {
        XCTAssertEqual(try join(.inner, keysEqual), [
            [s("a"), i(1), s("a"), s("x"), b(true)], [s("a"), i(1), s("a"), s("y"), b(false)],
            [s("b"), i(2), s("b"), s("w"), b(true)],
            [s("a"), i(4), s("a"), s("x"), b(true)], [s("a"), i(4), s("a"), s("y"), b(false)],
        ])
        // The same with the equality written right = left.
        let flipped = equal(column(2, .varchar), column(0, .varchar))
        XCTAssertEqual(try join(.inner, flipped).count, 5)
    }

    func testLeftJoinPadsUnmatchedRowsWithNulls() throws {
        XCTAssertEqual(try join(.left, keysEqual), [
            [s("a"), i(1), s("a"), s("x"), b(true)], [s("a"), i(1), s("a"), s("y"), b(false)],
            [s("b"), i(2), s("b"), s("w"), b(true)],
            [null, i(3), null, null, null],
            [s("a"), i(4), s("a"), s("x"), b(true)], [s("a"), i(4), s("a"), s("y"), b(false)],
            [s("c"), i(5), null, null, null],
        ])
    }

    func testResidualConditionFiltersPairsAndLeftJoinPadsAfterIt() throws {
        let condition = BoundExpr(.and([keysEqual, column(4, .boolean)]), type: .boolean)
        XCTAssertEqual(try join(.inner, condition), [
            [s("a"), i(1), s("a"), s("x"), b(true)], [s("b"), i(2), s("b"), s("w"), b(true)],
            [s("a"), i(4), s("a"), s("x"), b(true)],
        ])
        let notOk = BoundExpr(.and([keysEqual, column(4, .boolean)]), type: .boolean)
        let r = table("r", [("ip", .varchar), ("owner", .varchar), ("ok", .boolean)], [
            [s("a"), s("x"), b(false)], [s("c"), s("y"), b(true)],
        ])
        XCTAssertEqual(try join(.left, notOk, right: r), [
            [s("a"), i(1), null, null, null], [s("b"), i(2), null, null, null], [null, i(3), null, null, null],
            [s("a"), i(4), null, null, null], [s("c"), i(5), s("c"), s("y"), b(true)],
        ])
    }

    func testCrossJoinAndNonEquiJoinUseNestedLoops() throws {
        let l = table("l", [("x", .integer), ("f", .boolean)], [[i(1), b(true)], [i(2), b(false)], [i(3), null]])
        let r = table("r", [("y", .varchar)], [[s("p")], [s("q")]])
        XCTAssertEqual(try join(.cross, nil, left: l, right: r), [
            [i(1), b(true), s("p")], [i(1), b(true), s("q")], [i(2), b(false), s("p")],
            [i(2), b(false), s("q")], [i(3), null, s("p")], [i(3), null, s("q")],
        ])
        XCTAssertEqual(try join(.left, column(1, .boolean), left: l, right: r), [
            [i(1), b(true), s("p")], [i(1), b(true), s("q")], [i(2), b(false), null], [i(3), null, null],
        ])
        let empty = table("e", [("y", .varchar)], [])
        XCTAssertEqual(try join(.left, column(1, .boolean), left: l, right: empty).count, 3)
        XCTAssertEqual(try join(.inner, column(1, .boolean), left: l, right: empty), [])
        XCTAssertEqual(try join(.left, equal(column(0, .integer), column(2, .integer)), left: l,
                                right: table("e", [("y", .integer)], [])),
                       [[i(1), b(true), null], [i(2), b(false), null], [i(3), null, null]])
    }

    func testJoinOutputLargerThanABatchIsSplit() throws {
        let many = (0..<3000).map { k in [i(Int64(k % 2)), i(Int64(k))] }
        let l = table("l", [("k", .integer), ("v", .integer)], [[i(0), i(-1)], [i(1), i(-2)], [i(2), i(-3)]])
        let r = table("r", [("k", .integer), ("v", .integer)], many)
        let out = try join(.left, equal(column(0, .integer), column(2, .integer)), left: l, right: r)
        XCTAssertEqual(out.count, 3001)
        XCTAssertEqual(out.filter { $0[0] == i(0) }.count, 1500)
        XCTAssertEqual(out.last, [i(2), i(-3), null, null])
        // Rows of one key come in the right input's order.
        XCTAssertEqual(out.prefix(3).map { $0[3] }, [i(0), i(2), i(4)])
        let cross = try join(.cross, nil, left: l, right: r)
        XCTAssertEqual(cross.count, 9000)
    }

    func testJoinOnIntegersAndMultipleKeys() throws {
        let l = table("l", [("a", .integer), ("b", .varchar)], [[i(1), s("x")], [i(1), s("y")], [i(2), s("x")], [i(2), null]])
        let r = table("r", [("a", .integer), ("b", .varchar), ("v", .integer)],
                      [[i(1), s("y"), i(10)], [i(2), s("x"), i(20)], [i(2), null, i(30)]])
        let condition = BoundExpr(.and([equal(column(0, .integer), column(2, .integer)),
                                        equal(column(3, .varchar), column(1, .varchar))]), type: .boolean)
        XCTAssertEqual(try join(.inner, condition, left: l, right: r), [
            [i(1), s("y"), i(1), s("y"), i(10)], [i(2), s("x"), i(2), s("x"), i(20)],
        ])
    }

    func testInnerJoinBuildsOnAMuchSmallerLeftSide() throws {
        let small = table("s", [("k", .integer), ("tag", .varchar), ("min", .integer)],
                          [[i(1), s("one"), i(10)], [i(2), s("two"), i(0)], [null, s("none"), i(0)], [i(9), s("nine"), i(0)]])
        let big = table("b", [("v", .integer), ("k", .integer)], (0..<200).map { [i(Int64($0)), i(Int64($0 % 4))] })
        XCTAssertTrue(PhysicalPlanner.buildsOnLeft(scan(small), scan(big)))
        // k = k AND v >= min: the residual reads both sides.
        let condition = BoundExpr(.and([equal(column(0, .integer), column(4, .integer)),
                                        BoundExpr(.compare(.greaterEqual, column(3, .integer), column(2, .integer)), type: .boolean)]),
                                  type: .boolean)
        let out = try rows(.join(scan(small), scan(big), kind: .inner, condition: condition))
        var expected: [[Value]] = []
        for v in 0..<Int64(200) where v % 4 == 1 && v >= 10 { expected.append([i(1), s("one"), i(10), i(v), i(1)]) }
        for v in 0..<Int64(200) where v % 4 == 2 { expected.append([i(2), s("two"), i(0), i(v), i(2)]) }
        func key(_ row: [Value]) -> String { row.map { "\($0)" }.joined(separator: "|") }
        XCTAssertEqual(out.map(key).sorted(), expected.map(key).sorted())
    }
}

// Uncorrelated subqueries run before their plan: scalar results become constants (NULL
// for no row, an error for more than one), EXISTS a boolean, IN a set of values.

import XCTest
@testable import AQEngine

final class OperatorSubqueryTests: OperatorTestCase {
    private var t: Table { table("t", [("x", .integer)], [[i(3)], [i(1)], [null], [i(3)]]) }

    private func subquery(_ kind: BoundSubquery.Kind, _ plan: LogicalPlan, type: DataType) -> BoundExpr {
        BoundExpr(.subquery(BoundSubquery(kind: kind, plan: plan, range: nil)), type: type)
    }

    private func project(_ expr: BoundExpr) throws -> [[Value]] {
        try rows(.project(.values(rows: [[]], schema: []), expressions: [expr], names: ["v"]))
    }

    func testScalarSubqueryIsAConstant() throws {
        let max = LogicalPlan.aggregate(scan(t), groups: [], aggregates: [aggregate(.max, [column(0, .integer)])], names: ["m"])
        XCTAssertEqual(try project(subquery(.scalar, max, type: .integer)), [[i(3)]])
        let none = LogicalPlan.limit(scan(t), limit: 0, offset: 0)
        XCTAssertEqual(try project(subquery(.scalar, none, type: .integer)), [[null]])
    }

    func testScalarSubqueryWithTwoRowsIsAnError() throws {
        XCTAssertThrowsError(try project(subquery(.scalar, scan(t), type: .integer))) { error in
            guard case ExecutionError.subqueryReturnedMoreThanOneRow = error else { return XCTFail("\(error)") }
            XCTAssertEqual((error as? ExecutionError)?.message, "a scalar subquery returned more than one row")
        }
    }

    func testExistsAndSubqueriesInsideOtherPlans() throws {
        XCTAssertEqual(try project(subquery(.exists, scan(t), type: .boolean)), [[b(true)]])
        XCTAssertEqual(try project(subquery(.exists, .empty(schema: t.columns), type: .boolean)), [[b(false)]])
        // A filter whose predicate is an EXISTS over an empty plan keeps nothing.
        let filtered = LogicalPlan.filter(scan(t), predicate: subquery(.exists, .empty(schema: t.columns), type: .boolean))
        XCTAssertEqual(try rows(filtered), [])
        let kept = LogicalPlan.filter(scan(t), predicate: subquery(.exists, scan(t), type: .boolean))
        XCTAssertEqual(try rows(kept).count, 4)
    }

    func testInSubqueryBecomesAValueSet() throws {
        let probe = column(0, .integer)
        let expr = subquery(.inList(probe: probe, negated: true), scan(t), type: .boolean)
        let resolved = try SubqueryResolver(context: context()).resolve(expr)
        guard case .inSet(let p, let set, let negated) = resolved.kind else { return XCTFail("\(resolved.kind)") }
        guard case .column(0, _) = p.kind else { return XCTFail("probe \(p.kind)") }
        XCTAssertTrue(negated)
        XCTAssertEqual(set.values, [i(3), i(1)])
        XCTAssertTrue(set.containsNull)
    }
}

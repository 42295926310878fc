// Correlated subqueries run three ways (whole plan per outer value, over the rows of its key
// only, decorrelated into one keyed run); all must give Tests/sql/subqueries_correlated.test's
// results. Also: which shapes decorrelate.

import AQSyntax
import XCTest
@testable import AQEngine

final class CorrelatedSubqueryTests: XCTestCase {
    override func tearDown() {
        CorrelatedSubquery.keyedAfter = 2
        CorrelatedSubquery.decorrelates = true
        super.tearDown()
    }

    private func runFile(keyedAfter: Int, decorrelates: Bool = true) -> [String] {
        CorrelatedSubquery.keyedAfter = keyedAfter
        CorrelatedSubquery.decorrelates = decorrelates
        return SQLLogicTestRunner.run(SQLLogicTestRunner.directory + "/subqueries_correlated.test")
    }

    func testEveryOuterValueRunsThePlan() {
        for failure in runFile(keyedAfter: Int.max) { XCTFail("per value: \(failure)") }
    }

    func testDecorrelatedFromTheFirstValue() {
        for failure in runFile(keyedAfter: 0) { XCTFail("decorrelated: \(failure)") }
    }

    func testPartitionedFromTheFirstValue() {
        for failure in runFile(keyedAfter: 0, decorrelates: false) { XCTFail("partitioned: \(failure)") }
    }

    // MARK: Shapes

    private func database() throws -> Database {
        let db = Database()
        _ = try db.query("CREATE TABLE t1 (a INTEGER, b INTEGER)")
        _ = try db.query("CREATE TABLE t2 (x INTEGER, z INTEGER)")
        return db
    }

    /// The first correlated subquery of the statement's plan.
    private func subquery(_ sql: String) throws -> BoundSubquery {
        let db = try database()
        let source = Source(sql)
        guard case .statement(let statement)? = Parser.parseScript(source).first,
              case .query(let query) = statement.kind else {
            XCTFail("not a query: \(sql)")
            throw XCTSkip("not a query")
        }
        let context = ExecutionContext(now: 0, cancellation: CancellationToken(), catalog: db.catalog)
        let plan = try Optimizer().optimize(try Binder(catalog: db.catalog, source: source, now: 0).bind(query),
                                            context: context)
        var found: BoundSubquery?
        _ = plan.transformUp { node in
            for e in node.expressions {
                e.forEachNode { if case .subquery(let s) = $0.kind, s.isCorrelated, found == nil { found = s } }
            }
            return node
        }
        guard let found else {
            XCTFail("no correlated subquery in \(sql)")
            throw XCTSkip("no correlated subquery")
        }
        return found
    }

    private func decorrelates(_ sql: String) throws -> DecorrelatedPlan? {
        SubqueryDecorrelation.decorrelate(try subquery(sql))
    }

    func testEqualitiesDecorrelate() throws {
        let exists = try decorrelates("SELECT a FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND t2.z > 3)")
        XCTAssertEqual(exists?.outerSides.count, 1)
        XCTAssertEqual(exists?.valueColumns, 0)
        XCTAssertEqual(exists?.plan.columnCount, 1)

        let two = try decorrelates("SELECT a FROM t1 WHERE a IN (SELECT z FROM t2 WHERE t2.x = t1.a AND t1.b + 1 = t2.z)")
        XCTAssertEqual(two?.outerSides.count, 2)
        XCTAssertEqual(two?.valueColumns, 1)
        XCTAssertEqual(two?.plan.schema.map(\.type), [.integer, .integer, .integer])

        let count = try decorrelates("SELECT (SELECT count(*) FROM t2 WHERE x = t1.a) FROM t1")
        var groups: [Int] = []
        _ = count?.plan.transformUp { node in
            if case .aggregate(_, let g, _, _) = node { groups.append(g.count) }
            return node
        }
        XCTAssertEqual(groups, [1], "the aggregate is grouped by the key")
        XCTAssertEqual(count?.plan.schema.map(\.type), [.integer, .integer])

        // A plain scalar: its rows are counted per key.
        let plain = try decorrelates("SELECT (SELECT z FROM t2 WHERE x = t1.a) FROM t1")
        XCTAssertEqual(plain?.plan.columnCount, 2)
    }

    func testOtherShapesDoNot() throws {
        // An inequality, a parameter outside an equality, a LIMIT under IN or a scalar, a
        // grouped aggregate.
        XCTAssertNil(try decorrelates("SELECT (SELECT count(*) FROM t2 WHERE x < t1.a) FROM t1"))
        XCTAssertNil(try decorrelates("SELECT (SELECT count(*) + t1.b FROM t2 WHERE x = t1.a) FROM t1"))
        XCTAssertNil(try decorrelates("SELECT a IN (SELECT z FROM t2 WHERE x = t1.a LIMIT 1) FROM t1"))
        XCTAssertNil(try decorrelates("SELECT (SELECT z FROM t2 WHERE x = t1.a ORDER BY z LIMIT 1) FROM t1"))
        XCTAssertNil(try decorrelates("SELECT (SELECT count(*) FROM t2 WHERE x = t1.a GROUP BY z) FROM t1"))
    }
}

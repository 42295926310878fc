// Correlated subqueries run three ways (whole plan per outer value, over the rows of its key
// only, decorrelated into one keyed run), as the optimizer's subquery passes choose; all must
// give Tests/sql/subqueries_correlated.test's results. Also: which shapes decorrelate, and
// what EXPLAIN shows.

import AQSyntax
import XCTest
@testable import AQEngine

final class CorrelatedSubqueryTests: XCTestCase {
    override func tearDown() {
        SubqueryDecorrelation.keyedAfter = 2
        super.tearDown()
    }

    private func runFile(keyedAfter: Int, disabled: Set<String> = []) -> [String] {
        SubqueryDecorrelation.keyedAfter = keyedAfter
        return SQLLogicTestRunner.run(SQLLogicTestRunner.directory + "/subqueries_correlated.test", disabled: disabled)
    }

    func testEveryOuterValueRunsThePlan() {
        for failure in runFile(keyedAfter: 0, disabled: ["subquery_decorrelation", "subquery_partitioning"]) {
            XCTFail("per value: \(failure)")
        }
    }

    func testDecorrelatedFromTheFirstValue() {
        for failure in runFile(keyedAfter: 0) { XCTFail("decorrelated: \(failure)") }
    }

    func testPartitionedFromTheFirstValue() {
        for failure in runFile(keyedAfter: 0, disabled: ["subquery_decorrelation"]) { XCTFail("partitioned: \(failure)") }
    }

    /// EXPLAIN says what each subquery became, and each pass can be switched off.
    func testExplainShowsTheStrategy() throws {
        let sql = "EXPLAIN SELECT a, (SELECT count(*) FROM t2 WHERE x = t1.a), "
            + "(SELECT max(z) FROM t2 WHERE x < t1.a), (SELECT max(z) FROM t2) FROM t1"
        func lines(_ disabled: Set<String>) throws -> [String] {
            let db = try database()
            db.optimizer.disabled = disabled
            return try db.query(sql).rows.compactMap { row -> String? in
                guard case .varchar(let line) = row[0], line.contains("Subquery #") else { return nil }
                return line.trimmingCharacters(in: .whitespaces)
            }
        }
        XCTAssertEqual(try lines([]), [
            "Subquery #1 (decorrelated after 2 values, keyed by [$t1.a])",
            "Subquery #2 (per outer value)",
            "Subquery #3 (run once)",
        ])
        XCTAssertEqual(try lines(["subquery_decorrelation"]), [
            "Subquery #1 (partitioned after 2 values)",
            "Subquery #2 (per outer value)",
            "Subquery #3 (run once)",
        ])
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
        // Without `semi_joins`, which would turn the subquery into a join.
        var optimizer = Optimizer()
        optimizer.disabled = ["semi_joins"]
        let plan = try optimizer.optimize(try Binder(catalog: db.catalog, source: source, now: 0).bind(query),
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

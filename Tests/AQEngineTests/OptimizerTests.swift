// The optimizer passes on plans built by hand: each rewrite's result, shown as EXPLAIN text,
// and the verifier catching plans that do not hold together.

import AQEngine
import AQSyntax
import XCTest

final class OptimizerTests: XCTestCase {
    let context = ExecutionContext(now: 0, cancellation: CancellationToken(), catalog: Catalog())

    let events = Table(name: "events", columns: [
        ColumnSchema(name: "time", type: .timestamp), ColumnSchema(name: "action", type: .varchar),
        ColumnSchema(name: "actor", type: .varchar), ColumnSchema(name: "status", type: .integer),
    ])
    let allow = Table(name: "allow", columns: [
        ColumnSchema(name: "ip", type: .varchar), ColumnSchema(name: "owner", type: .varchar),
    ])

    func scan(_ t: Table) -> LogicalPlan { .scan(LogicalScan(table: t, columns: Array(t.columns.indices), alias: t.name)) }
    func col(_ i: Int, _ name: String, _ type: DataType) -> BoundExpr { BoundExpr(.column(index: i, name: name), type: type) }
    func str(_ s: String) -> BoundExpr { .constant(.varchar(s), .varchar) }
    func int(_ x: Int64) -> BoundExpr { .constant(.integer(x), .integer) }
    func eq(_ a: BoundExpr, _ b: BoundExpr) -> BoundExpr { BoundExpr(.compare(.equal, a, b), type: .boolean) }
    func and(_ xs: BoundExpr...) -> BoundExpr { BoundExpr(.and(xs), type: .boolean) }

    func run(_ pass: any OptimizerPass, _ plan: LogicalPlan) -> String {
        (try? pass.run(plan, context: context))?.explainText ?? "error"
    }

    func testFilterFoldedToFalseBecomesEmpty() {
        let plan = LogicalPlan.filter(scan(events), predicate: and(eq(col(1, "action", .varchar), str("pull")),
                                                                   .constant(.boolean(false), .boolean)))
        XCTAssertEqual(run(ConstantFolding(), plan), "Empty [time, action, actor, status]\n")
        let above = LogicalPlan.project(plan, expressions: [col(2, "actor", .varchar)], names: ["actor"])
        XCTAssertEqual(run(ConstantFolding(), above), "Empty [actor]\n")
    }

    func testTrueConjunctsDisappear() {
        let plan = LogicalPlan.filter(scan(events), predicate: and(.constant(.boolean(true), .boolean),
                                                                   eq(col(3, "status", .integer), int(404))))
        XCTAssertEqual(run(ConstantFolding(), plan), """
            Filter (status = 404)
              Scan events [time, action, actor, status]

            """)
    }

    func testPredicatesGoIntoScansAndCrossJoinsBecomeInner() {
        // events × allow WHERE actor = ip AND action = 'pull' AND owner = 'ci'
        let joined = LogicalPlan.join(scan(events), scan(allow), kind: .cross, condition: nil)
        let plan = LogicalPlan.filter(joined, predicate: and(eq(col(2, "actor", .varchar), col(4, "ip", .varchar)),
                                                             eq(col(1, "action", .varchar), str("pull")),
                                                             eq(col(5, "owner", .varchar), str("ci"))))
        XCTAssertEqual(run(PredicatePushdown(), plan), """
            Join INNER on (actor = ip)
              Scan events [time, action, actor, status] filters=[(action = 'pull')]
              Scan allow [ip, owner] filters=[(owner = 'ci')]

            """)
    }

    func testLeftJoinKeepsRightSidePredicatesAbove() {
        let joined = LogicalPlan.join(scan(events), scan(allow), kind: .left,
                                      condition: eq(col(2, "actor", .varchar), col(4, "ip", .varchar)))
        let isNull = BoundExpr(.isNull(col(4, "ip", .varchar), negated: false), type: .boolean)
        let plan = LogicalPlan.filter(joined, predicate: and(isNull, eq(col(1, "action", .varchar), str("pull"))))
        XCTAssertEqual(run(PredicatePushdown(), plan), """
            Filter (ip IS NULL)
              Join LEFT on (actor = ip)
                Scan events [time, action, actor, status] filters=[(action = 'pull')]
                Scan allow [ip, owner]

            """)
    }

    func testPushdownThroughProjectionAndAggregate() {
        // SELECT action AS a, count(*) FROM events GROUP BY action  →  WHERE a = 'push'
        let agg = LogicalPlan.aggregate(scan(events), groups: [col(1, "action", .varchar)],
                                        aggregates: [BoundAggregate(function: .countStar, arguments: [], type: .integer)],
                                        names: ["action", "count_star()"])
        let project = LogicalPlan.project(agg, expressions: [col(0, "action", .varchar), col(1, "count_star()", .integer)],
                                          names: ["a", "n"])
        let plan = LogicalPlan.filter(project, predicate: eq(col(0, "a", .varchar), str("push")))
        XCTAssertEqual(run(PredicatePushdown(), plan), """
            Project [action AS a, "count_star()" AS n]
              Aggregate groups=[action] aggs=[count_star()]
                Scan events [time, action, actor, status] filters=[(action = 'push')]

            """)
        // A predicate on the aggregate's result stays above it.
        let onCount = LogicalPlan.filter(project, predicate: BoundExpr(.compare(.greater, col(1, "n", .integer), int(1)),
                                                                       type: .boolean))
        XCTAssertEqual(run(PredicatePushdown(), onCount), """
            Project [action AS a, "count_star()" AS n]
              Filter ("count_star()" > 1)
                Aggregate groups=[action] aggs=[count_star()]
                  Scan events [time, action, actor, status]

            """)
    }

    /// row_number() OVER (PARTITION BY actor ORDER BY time) over events.
    func rowNumberByActor(_ input: LogicalPlan) -> LogicalPlan {
        let f = BoundWindowFunction(kind: .rowNumber, arguments: [], partitionBy: [col(2, "actor", .varchar)],
                                    orderBy: [BoundSortKey(expr: col(0, "time", .timestamp), descending: false, nullsFirst: false)],
                                    frame: .standard(ordered: true), type: .integer)
        return .window(input, functions: [f], names: ["rn"])
    }

    func testPushdownThroughAWindowOnlyOnPartitionKeys() {
        let onKey = LogicalPlan.filter(rowNumberByActor(scan(events)), predicate: eq(col(2, "actor", .varchar), str("bob")))
        XCTAssertEqual(run(PredicatePushdown(), onKey), """
            Window [row_number() OVER (PARTITION BY actor ORDER BY time ASC)] (partitioned by actor, sorted by time ASC)
              Scan events [time, action, actor, status] filters=[(actor = 'bob')]

            """)
        // A filter on another column would change the rows the numbers count: it stays above.
        let other = LogicalPlan.filter(rowNumberByActor(scan(events)),
                                       predicate: and(eq(col(1, "action", .varchar), str("pull")), eq(col(4, "rn", .integer), int(1))))
        XCTAssertEqual(run(PredicatePushdown(), other), """
            Filter ((action = 'pull') AND (rn = 1))
              Window [row_number() OVER (PARTITION BY actor ORDER BY time ASC)] (partitioned by actor, sorted by time ASC)
                Scan events [time, action, actor, status]

            """)
    }

    func testPruningDropsUnusedWindowFunctionsAndColumns() {
        let used = LogicalPlan.project(rowNumberByActor(scan(events)), expressions: [col(4, "rn", .integer)], names: ["rn"])
        XCTAssertEqual(run(ProjectionPruning(), used), """
            Project [rn]
              Window [row_number() OVER (PARTITION BY actor ORDER BY time ASC)] (partitioned by actor, sorted by time ASC)
                Scan events [time, actor]

            """)
        let unused = LogicalPlan.project(rowNumberByActor(scan(events)), expressions: [col(1, "action", .varchar)], names: ["action"])
        XCTAssertEqual(run(ProjectionPruning(), unused), """
            Project [action]
              Scan events [action]

            """)
    }

    func testPruningReadsOnlyUsedColumnsAndRemaps() throws {
        let filtered = LogicalPlan.filter(scan(events), predicate: eq(col(3, "status", .integer), int(500)))
        let plan = LogicalPlan.project(filtered, expressions: [col(2, "actor", .varchar)], names: ["actor"])
        let pruned = ProjectionPruning().run(plan, context: context)
        XCTAssertEqual(pruned.explainText, """
            Project [actor]
              Filter (status = 500)
                Scan events [actor, status]

            """)
        guard case .project(.filter(_, let predicate), let exprs, _) = pruned else { return XCTFail("shape") }
        XCTAssertEqual(predicate.referencedColumns, [1])
        XCTAssertEqual(exprs[0].referencedColumns, [0])
        XCTAssertNil(PlanVerifierProbe.problem(pruned))
    }

    func testCountStarStillReadsOneColumn() {
        let agg = LogicalPlan.aggregate(scan(events), groups: [],
                                        aggregates: [BoundAggregate(function: .countStar, arguments: [], type: .integer)],
                                        names: ["count_star()"])
        XCTAssertEqual(run(ProjectionPruning(), agg), """
            Aggregate groups=[] aggs=[count_star()]
              Scan events [time]

            """)
    }

    func testPruningAcrossAJoin() {
        let joined = LogicalPlan.join(scan(events), scan(allow), kind: .inner,
                                      condition: eq(col(2, "actor", .varchar), col(4, "ip", .varchar)))
        let plan = LogicalPlan.project(joined, expressions: [col(5, "owner", .varchar), col(1, "action", .varchar)],
                                       names: ["owner", "action"])
        let pruned = ProjectionPruning().run(plan, context: context)
        XCTAssertEqual(pruned.explainText, """
            Project [owner, action]
              Join INNER on (actor = ip)
                Scan events [action, actor]
                Scan allow [ip, owner]

            """)
        guard case .project(.join(_, _, _, let condition?), let exprs, _) = pruned else { return XCTFail("shape") }
        XCTAssertEqual(condition.referencedColumns, [1, 2])
        XCTAssertEqual(exprs.map(\.referencedColumns), [[3], [0]])
    }

    func testSortAndLimitBecomeTopN() {
        let key = BoundSortKey(expr: col(0, "time", .timestamp), descending: true, nullsFirst: false)
        let plan = LogicalPlan.limit(.sort(scan(events), keys: [key]), limit: 20, offset: 5)
        XCTAssertEqual(run(TopNRewrite(), plan), """
            TopN [time DESC] limit 20 offset 5
              Scan events [time, action, actor, status]

            """)
        // LIMIT without a count (OFFSET only) stays a sort.
        let offsetOnly = LogicalPlan.limit(.sort(scan(events), keys: [key]), limit: nil, offset: 5)
        XCTAssertTrue(run(TopNRewrite(), offsetOnly).hasPrefix("Limit none offset 5\n  Sort"))
    }

    func testCheapConjunctsRunFirst() {
        let like = BoundExpr(.like(col(2, "actor", .varchar), pattern: str("%bot%"), caseInsensitive: true,
                                   negated: false, escape: nil), type: .boolean)
        let range = BoundExpr(.compare(.greaterEqual, col(3, "status", .integer), int(400)), type: .boolean)
        let plan = LogicalPlan.filter(scan(events), predicate: and(like, eq(col(1, "action", .varchar), str("pull")), range))
        XCTAssertEqual(run(FilterOrdering(), plan), """
            Filter ((action = 'pull') AND (status >= 400) AND (actor ILIKE '%bot%'))
              Scan events [time, action, actor, status]

            """)
    }

    func testVerifierCatchesBadColumnReferences() {
        let bad = LogicalPlan.filter(scan(allow), predicate: eq(col(5, "x", .varchar), str("a")))
        XCTAssertEqual(PlanVerifierProbe.problem(bad), "column x (#5) is out of range (2 columns)")
        let mistyped = LogicalPlan.filter(scan(allow), predicate: eq(col(0, "ip", .integer), int(1)))
        XCTAssertEqual(PlanVerifierProbe.problem(mistyped), "column ip (#0) is typed INTEGER but its input is VARCHAR")
        var optimizer = Optimizer()
        optimizer.passes = []
        XCTAssertThrowsError(try optimizer.optimize(bad, context: context)) { error in
            XCTAssertTrue("\(error)".contains("after binding"), "\(error)")
        }
    }

    func testPassesCanBeSwitchedOffAndAreTimed() throws {
        let plan = LogicalPlan.limit(.sort(scan(events), keys: [BoundSortKey(expr: col(0, "time", .timestamp),
                                                                             descending: false, nullsFirst: false)]),
                                     limit: 1, offset: 0)
        var optimizer = Optimizer()
        optimizer.disabled = ["top_n"]
        var timings: [Optimizer.Timing] = []
        let out = try optimizer.optimize(plan, context: context, timings: &timings)
        XCTAssertTrue(out.explainText.hasPrefix("Limit 1\n  Sort"))
        XCTAssertEqual(timings.map(\.pass), ["limit_constants", "constant_folding", "predicate_pushdown", "raw_paths", "filter_ordering", "window_top_k", "projection_pruning",
                                            "subquery_decorrelation", "subquery_partitioning", "semi_joins"])
    }
}

/// The verifier's answer for a plan, through the public optimizer with no passes.
enum PlanVerifierProbe {
    static func problem(_ plan: LogicalPlan) -> String? {
        var optimizer = Optimizer()
        optimizer.passes = []
        do {
            _ = try optimizer.optimize(plan, context: ExecutionContext(now: 0, cancellation: CancellationToken(),
                                                                        catalog: Catalog()))
            return nil
        } catch let error as PlanVerificationError {
            return error.detail
        } catch {
            return "\(error)"
        }
    }
}

// Pass `subquery_partitioning`: a correlated subquery left to run per outer value whose plan
// filters a scan by an equality with the outer row gets the strategy `partitioned`: after a
// few outer values, that scan's rows are split by key once and each value reads its own.

public struct SubqueryPartitioning: OptimizerPass {
    public let name = "subquery_partitioning"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        plan.transformUp { node in
            node.mapExpressions { expr in
                expr.rewrite { e in
                    guard case .subquery(let sub) = e.kind, case .perValue = sub.strategy,
                          Self.partitionedScan(of: sub.plan) != nil else { return e }
                    var out = e
                    out.kind = .subquery(sub.with(strategy: .partitioned(after: SubqueryDecorrelation.keyedAfter)))
                    return out
                }
            }
        }
    }

    /// The first scan of `plan` (in `transformUp` order) with a correlated equality among
    /// its filters: its position among the plan's scans, the scan, and the equalities.
    static func partitionedScan(of plan: LogicalPlan)
        -> (index: Int, scan: LogicalScan, inner: [BoundExpr], outer: [BoundExpr])? {
        var index = 0
        var found: (index: Int, scan: LogicalScan, inner: [BoundExpr], outer: [BoundExpr])?
        _ = plan.transformUp { node in
            guard case .scan(let scan) = node else { return node }
            defer { index += 1 }
            if found == nil {
                let pairs = scan.filters.compactMap(equality)
                if !pairs.isEmpty { found = (index, scan, pairs.map(\.inner), pairs.map(\.outer)) }
            }
            return node
        }
        return found
    }

    /// `inner = outer` with `inner` over the scan's columns and `outer` over parameters only.
    private static func equality(_ e: BoundExpr) -> (inner: BoundExpr, outer: BoundExpr)? {
        guard case .compare(.equal, let a, let b) = e.kind else { return nil }
        func isOuter(_ x: BoundExpr) -> Bool { x.containsParameter && x.isColumnFree && !x.containsSubquery }
        func isInner(_ x: BoundExpr) -> Bool { !x.containsParameter && !x.containsSubquery }
        if isOuter(b), isInner(a) { return (a, b) }
        if isOuter(a), isInner(b) { return (b, a) }
        return nil
    }
}

// How a subquery runs, chosen at plan time (the optimizer's subquery passes) and shown by
// EXPLAIN: once before the plan that holds it, or per distinct combination of outer values,
// whole, from one decorrelated run looked up by key, or over the rows of its key only.

public enum SubqueryStrategy: Sendable {
    /// Uncorrelated: runs once, before the plan that holds it, and becomes a constant or a set.
    case once
    /// The plan runs with each distinct combination of the parameters' values bound.
    case perValue
    /// Per value for the first `after` combinations; then `plan` runs once for all of them
    /// and each further combination looks its key up (pass `subquery_decorrelation`).
    case keyed(DecorrelatedPlan, after: Int)
    /// Per value for the first `after` combinations; then the first scan with a correlated
    /// equality is split by its key once and each combination reads its key's rows only
    /// (pass `subquery_partitioning`).
    case partitioned(after: Int)

    /// For EXPLAIN's subquery line.
    public var explainText: String {
        switch self {
        case .once: return "run once"
        case .perValue: return "per outer value"
        case .keyed(let d, let after):
            return "decorrelated after \(after) values, keyed by [" + d.outerSides.map(\.description).joined(separator: ", ") + "]"
        case .partitioned(let after): return "partitioned after \(after) values"
        }
    }
}

/// A correlated subquery's plan without its correlated equalities. Its output is the
/// subquery's own column (none for EXISTS), then one column per key: the inner sides of the
/// equalities, in the order of `outerSides`, which are the outer sides (expressions over
/// the parameters only). A row belongs to the outer values whose outer sides equal its keys.
public struct DecorrelatedPlan: Sendable {
    public var plan: LogicalPlan
    public var outerSides: [BoundExpr]
    /// Columns before the keys: 1 for a scalar or IN subquery, 0 for EXISTS.
    public var valueColumns: Int

    public init(plan: LogicalPlan, outerSides: [BoundExpr], valueColumns: Int) {
        self.plan = plan
        self.outerSides = outerSides
        self.valueColumns = valueColumns
    }
}

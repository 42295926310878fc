// Filter ordering: conjuncts run one after another, each over the rows the previous ones
// kept, so the cheap and selective ones go first — an equality before a range, a range
// before `IS NOT NULL`, a LIKE before a function call or a JSON path. The sort is stable: conjuncts of equal
// cost keep the order they were written in (a written guard such as `x <> 0` stays ahead
// of what it guards, which costs more anyway).

public struct FilterOrdering: OptimizerPass {
    public let name = "filter_ordering"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        plan.transformUp { node in
            switch node {
            case .scan(var scan):
                scan.filters = ordered(scan.filters.flatMap(\.conjuncts))
                return .scan(scan)
            case .filter(let input, let predicate):
                let parts = ordered(predicate.conjuncts)
                return .filter(input, predicate: BoundExpr.conjunction(parts) ?? predicate)
            default:
                return node
            }
        }
    }

    func ordered(_ conjuncts: [BoundExpr]) -> [BoundExpr] {
        conjuncts.enumerated()
            .map { (cost: FilterOrdering.cost($1), index: $0, expr: $1) }
            .sorted { ($0.cost, $0.index) < ($1.cost, $1.index) }
            .map(\.expr)
    }

    /// A rough price of evaluating `e` once per row, relative to comparing an integer.
    static func cost(_ e: BoundExpr) -> Int {
        let own: Int
        switch e.kind {
        case .constant, .column, .parameter: own = 0
        case .compare(let op, let a, _):
            // Cheap and, for equality, usually selective (on a dictionary string it is one
            // comparison per distinct value); `<>` keeps most rows; string ranges compare bytes.
            switch op {
            case .equal: own = 1
            case .notEqual: own = 3
            default: own = a.type.isString ? 4 : 2
            }
        case .isNull(_, let negated): own = negated ? 3 : 2
        case .isDistinctFrom, .not, .and, .or, .negate, .coalesce: own = 1
        case .inList(_, let items, _): own = 2 + items.count / 8
        case .inSet: own = 3
        case .arithmetic(let op, _, _): own = op == .concat ? 6 : 2
        case .cast(let x, _): own = x.type.isString ? 8 : 2
        case .like: own = 6
        case .caseWhen: own = 3
        case .call(let fn, _): own = fn.name.hasPrefix("json") || fn.name.hasPrefix("regexp") ? 40 : 10
        case .subquery(let sub):
            // A correlated subquery runs a plan per distinct outer value: last of all.
            own = sub.isCorrelated ? 100 : 5
        }
        return e.children.reduce(own) { $0 + cost($1) }
    }
}

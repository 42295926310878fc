// Pass `semi_joins`: a WHERE conjunct `x IN (SELECT …)`, `x NOT IN (SELECT …)`, `EXISTS (…)` or
// `NOT EXISTS (…)` becomes a semi or anti hash join of the filtered rows with the subquery's
// rows, so that the subquery is built once into a hash table and probed by every morsel of
// the pipeline, on dictionary codes or hashed keys, instead of running as a value set or per
// outer value. EXISTS / NOT EXISTS (and a correlated IN) join on the keys of their
// decorrelated plan (pass `subquery_decorrelation`); an uncorrelated IN on its one column.

import AQSyntax

public struct SemiJoinRewrite: OptimizerPass {
    public let name = "semi_joins"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        // A correlated subquery's own plan runs again for each outer value; a value set of an
        // uncorrelated IN inside it is made once for all runs, a join's build would be made
        // for each. Such plans keep their subqueries as they are.
        guard !SubqueryDecorrelation.containsParameter(plan) else { return plan }
        return plan.transformUp { node in
            switch node {
            case .filter(let input, let predicate):
                return Self.joining(input, predicate.conjuncts) { rest in
                    BoundExpr.conjunction(rest).map { LogicalPlan.filter(input, predicate: $0) } ?? input
                } ?? node
            case .scan(let scan):
                return Self.joining(node, scan.filters) { rest in
                    var s = scan
                    s.filters = rest
                    return .scan(s)
                } ?? node
            default:
                return node
            }
        }
    }

    /// `input` (whose rows the conjuncts test) with each conjunct that can be a join taken
    /// out (`base` makes the node that keeps the others) and joined above it, in order; nil
    /// when none can.
    private static func joining(_ input: LogicalPlan, _ conjuncts: [BoundExpr],
                                base: ([BoundExpr]) -> LogicalPlan) -> LogicalPlan? {
        var rest: [BoundExpr] = []
        var joins: [(right: LogicalPlan, kind: JoinType, keys: [(BoundExpr, BoundExpr)])] = []
        for c in conjuncts {
            if let j = join(for: c) { joins.append(j) } else { rest.append(c) }
        }
        guard !joins.isEmpty else { return nil }
        var plan = base(rest)
        let width = input.columnCount
        for j in joins {
            let equalities = j.keys.map { l, r in
                BoundExpr(.compare(.equal, l, ExpressionWalker.shiftColumns(r, by: width)), type: .boolean)
            }
            plan = .join(plan, j.right, kind: j.kind, condition: BoundExpr.conjunction(equalities))
        }
        return plan
    }

    /// The join that stands for `conjunct`: the subquery's plan, the kind, and the key pairs
    /// (over the tested rows, over the plan's columns); nil when it is not one of the forms.
    private static func join(for conjunct: BoundExpr) -> (right: LogicalPlan, kind: JoinType, keys: [(BoundExpr, BoundExpr)])? {
        var e = conjunct
        var negated = false
        while case .not(let x) = e.kind {
            negated.toggle()
            e = x
        }
        guard case .subquery(let sub) = e.kind else { return nil }
        switch (sub.kind, sub.strategy) {
        case (.inList(let probe, let notIn), .once):
            guard let key = inKey(probe, sub.plan, range: sub.range) else { return nil }
            let negative = notIn != negated
            return (sub.plan, negative ? .nullAwareAnti : .semi, [key])
        case (.inList(let probe, let notIn), .keyed(let d, _)):
            // NOT IN with correlation is NULL-aware per outer value: left to the subquery.
            guard notIn == negated, d.valueColumns == 1, let key = inKey(probe, d.plan, range: sub.range),
                  let keys = outerKeys(sub, d) else { return nil }
            return (d.plan, .semi, [key] + keys)
        case (.exists, .keyed(let d, _)):
            guard d.valueColumns == 0, let keys = outerKeys(sub, d) else { return nil }
            return (d.plan, negated ? .anti : .semi, keys)
        default:
            return nil
        }
    }

    /// `probe = plan's first column`, the column read as the probe's type (as a value set is).
    private static func inKey(_ probe: BoundExpr, _ plan: LogicalPlan, range: SourceRange?) -> (BoundExpr, BoundExpr)? {
        guard let column = plan.schema.first, probe.type != .null, column.type != .null,
              !probe.containsSubquery else { return nil }
        var inner = BoundExpr(.column(index: 0, name: column.name), type: column.type)
        if !JoinType.keysMatch(probe.type, column.type) {
            inner = BoundExpr(.cast(inner, isTry: false), type: probe.type, range: range)
        }
        return (probe, inner)
    }

    /// The decorrelated plan's keys: each outer side with the subquery's parameters put in
    /// (expressions over the tested rows), paired with its key column.
    private static func outerKeys(_ sub: BoundSubquery, _ d: DecorrelatedPlan) -> [(BoundExpr, BoundExpr)]? {
        let schema = d.plan.schema
        guard schema.count == d.valueColumns + d.outerSides.count else { return nil }
        var keys: [(BoundExpr, BoundExpr)] = []
        for (k, side) in d.outerSides.enumerated() {
            var failed = false
            let outer = side.rewrite { node in
                guard case .parameter(let index, _) = node.kind else { return node }
                guard index < sub.parameters.count else { failed = true; return node }
                return sub.parameters[index]
            }
            let c = d.valueColumns + k
            guard !failed, !outer.containsParameter, !outer.containsSubquery,
                  JoinType.keysMatch(outer.type, schema[c].type) else { return nil }
            keys.append((outer, BoundExpr(.column(index: c, name: schema[c].name), type: schema[c].type)))
        }
        return keys
    }
}

// Pass `subquery_decorrelation`: a correlated subquery whose parameters appear only in
// equalities `inner = f($p)` loses them; their inner sides become output columns (group keys
// under an aggregate), so one run gives the rows of every outer value, tagged with their key.
// The subquery's strategy becomes `keyed`: after a few outer values, that run replaces the rest.

public struct SubqueryDecorrelation: OptimizerPass {
    public let name = "subquery_decorrelation"

    /// Outer values a correlated subquery runs for, each whole, before it switches to its
    /// keyed or partitioned form: a few runs of a selective plan cost less than one run that
    /// keeps every key's rows. Tests set it to 0 to switch from the first value.
    nonisolated(unsafe) static var keyedAfter = 2

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        plan.transformUp { node in
            node.mapExpressions { expr in
                expr.rewrite { e in
                    guard case .subquery(let sub) = e.kind, case .perValue = sub.strategy,
                          let decorrelated = Self.decorrelate(sub), Self.keysNullWithoutOuterValues(decorrelated, sub, context)
                    else { return e }
                    var out = e
                    out.kind = .subquery(sub.with(strategy: .keyed(decorrelated, after: Self.keyedAfter)))
                    return out
                }
            }
        }
    }

    /// Whether a NULL outer value makes every key NULL, for a scalar subquery (not so for
    /// `coalesce($p, 0)`): a key nothing matches then gets the plan's value with NULL
    /// parameters, which is right only when those keys are NULL too.
    private static func keysNullWithoutOuterValues(_ decorrelated: DecorrelatedPlan, _ sub: BoundSubquery,
                                                   _ context: ExecutionContext) -> Bool {
        guard case .scalar = sub.kind else { return true }
        let nulls = [Value](repeating: .null, count: sub.parameters.count)
        return decorrelated.outerSides.allSatisfy { side in
            (try? ConstantEvaluator.evaluate(side.bindingParameters(nulls), context)) == .null
        }
    }

    /// The decorrelated form of `sub`, or nil when its shape is not one this rewrite knows:
    /// a parameter used other than in an equality, a LIMIT (but under EXISTS), a set
    /// operation, an outer join on the correlated side, a grouped aggregate.
    static func decorrelate(_ sub: BoundSubquery) -> DecorrelatedPlan? {
        let mode: Mode
        switch sub.kind {
        case .exists: mode = .exists
        case .inList: mode = .set
        case .scalar:
            // An ungrouped aggregate gives one row per key; other rows are counted per key,
            // since a key with two is an error.
            mode = hasUngroupedAggregate(sub.plan) ? .aggregate : .rows
        }
        var rewriter = Rewriter(mode: mode)
        guard let keyed = rewriter.key(sub.plan, setSemantics: mode == .exists || mode == .set),
              !keyed.keys.isEmpty else {
            return nil
        }
        let valueColumns = mode == .exists ? 0 : 1
        var exprs: [BoundExpr] = []
        let schema = keyed.plan.schema
        if valueColumns == 1 {
            let i = keyed.map(0)
            guard i < schema.count else { return nil }
            exprs.append(BoundExpr(.column(index: i, name: schema[i].name), type: schema[i].type))
        }
        exprs += keyed.keys
        let plan = LogicalPlan.project(keyed.plan, expressions: exprs, names: exprs.indices.map { "key\($0)" })
        // The rewrite must leave a consistent plan; if it ever did not, the subquery would
        // still run correctly per outer value.
        guard !containsParameter(plan), rewriter.outerSides.count == keyed.keys.count,
              PlanVerifier.problem(in: plan) == nil else { return nil }
        return DecorrelatedPlan(plan: plan, outerSides: rewriter.outerSides, valueColumns: valueColumns)
    }

    /// EXISTS, IN, a scalar that is one ungrouped aggregate, another scalar.
    enum Mode { case exists, set, aggregate, rows }

    /// Whether the plan, under projections, filters and sorts, is an aggregate without groups.
    private static func hasUngroupedAggregate(_ plan: LogicalPlan) -> Bool {
        switch plan {
        case .aggregate(_, let groups, _, _): return groups.isEmpty
        case .project(let x, _, _), .filter(let x, _), .sort(let x, _): return hasUngroupedAggregate(x)
        default: return false
        }
    }

    static func containsParameter(_ plan: LogicalPlan) -> Bool {
        plan.expressions.contains { $0.containsParameter } || plan.inputs.contains(where: containsParameter)
    }

    /// A node rewritten: its plan, the key expressions over its output, and where each of
    /// the original node's output columns went (nil: nowhere moved).
    struct Keyed {
        var plan: LogicalPlan
        var keys: [BoundExpr]
        var mapping: [Int]?

        func map(_ i: Int) -> Int { mapping.map { i < $0.count ? $0[i] : i } ?? i }
        func remap(_ e: BoundExpr) -> BoundExpr { mapping == nil ? e : e.remappingColumns(map) }
    }

    struct Rewriter {
        let mode: Mode
        /// The outer sides of the equalities taken out so far, in key order.
        var outerSides: [BoundExpr] = []

        init(mode: Mode) { self.mode = mode }

        /// `plan` keyed, or nil when it cannot be. `setSemantics`: only which rows exist
        /// matters above this node (not how many), so DISTINCT and a LIMIT may go.
        mutating func key(_ plan: LogicalPlan, setSemantics: Bool) -> Keyed? {
            if !SubqueryDecorrelation.containsParameter(plan) { return Keyed(plan: plan, keys: [], mapping: nil) }
            switch plan {
            case .scan(var scan):
                let filters = scan.filters
                guard let inner = split(filters, into: &scan.filters) else { return nil }
                return Keyed(plan: .scan(scan), keys: inner, mapping: nil)

            case .filter(let input, let predicate):
                guard let below = key(input, setSemantics: setSemantics) else { return nil }
                var rest: [BoundExpr] = []
                guard let inner = split(below.remap(predicate).conjuncts, into: &rest) else { return nil }
                let node = BoundExpr.conjunction(rest).map { LogicalPlan.filter(below.plan, predicate: $0) } ?? below.plan
                return Keyed(plan: node, keys: below.keys + inner, mapping: below.mapping)

            case .project(let input, let exprs, let names):
                guard let below = key(input, setSemantics: setSemantics) else { return nil }
                let mapped = exprs.map(below.remap)
                guard !mapped.contains(where: \.containsParameter) else { return nil }
                let keys = below.keys.enumerated().map { k, e in
                    BoundExpr(.column(index: mapped.count + k, name: "key\(k)"), type: e.type)
                }
                return Keyed(plan: .project(below.plan, expressions: mapped + below.keys,
                                            names: names + below.keys.indices.map { "key\($0)" }),
                             keys: keys, mapping: nil)

            case .aggregate(let input, let groups, let aggregates, let names):
                guard mode == .aggregate, groups.isEmpty, let below = key(input, setSemantics: false),
                      !below.keys.isEmpty else { return nil }
                let node = LogicalPlan.aggregate(below.plan, groups: [], aggregates: aggregates, names: names)
                    .mapExpressions(below.remap)
                guard case .aggregate(let x, _, let aggs, _) = node,
                      !node.expressions.contains(where: \.containsParameter) else { return nil }
                let k = below.keys.count
                let keyed = LogicalPlan.aggregate(x, groups: below.keys, aggregates: aggs,
                                                  names: (0..<k).map { "key\($0)" } + names)
                let keys = below.keys.enumerated().map { i, e in BoundExpr(.column(index: i, name: "key\(i)"), type: e.type) }
                return Keyed(plan: keyed, keys: keys, mapping: aggregates.indices.map { k + $0 })

            case .join(let left, let right, let kind, let condition):
                // Both sides of a FULL join are kept: neither may read the outer row.
                guard kind != .full, !kind.keepsLeftOnly else { return nil }
                guard let l = key(left, setSemantics: false) else { return nil }
                // The kept side of a LEFT join may be keyed; the other side must not read the outer row.
                guard let r = kind == .left && SubqueryDecorrelation.containsParameter(right) ? nil
                        : key(right, setSemantics: false) else { return nil }
                let newLeftWidth = l.plan.columnCount
                let mapping = (0..<left.columnCount).map(l.map) + (0..<right.columnCount).map { newLeftWidth + r.map($0) }
                func remap(_ e: BoundExpr) -> BoundExpr { e.remappingColumns { $0 < mapping.count ? mapping[$0] : $0 } }
                var rest: [BoundExpr] = []
                var inner: [BoundExpr] = []
                if let condition {
                    let conjuncts = remap(condition).conjuncts
                    if kind == .left {
                        guard !conjuncts.contains(where: \.containsParameter) else { return nil }
                        rest = conjuncts
                    } else {
                        guard let found = split(conjuncts, into: &rest) else { return nil }
                        inner = found
                    }
                }
                let rightKeys = r.keys.map { $0.remappingColumns { $0 + newLeftWidth } }
                let newKind: JoinType = rest.isEmpty && kind == .inner ? .cross : (rest.isEmpty ? kind : (kind == .left ? .left : .inner))
                return Keyed(plan: .join(l.plan, r.plan, kind: newKind, condition: BoundExpr.conjunction(rest)),
                             keys: l.keys + rightKeys + inner, mapping: mapping)

            case .distinct(let input):
                guard setSemantics else { return nil }
                return key(input, setSemantics: true)
            case .sort(let input, _):
                // Order does not matter to a set, and an aggregate without groups gives one row.
                return key(input, setSemantics: setSemantics)
            case .limit(let input, let limit, let offset):
                // EXISTS asks for one row; any LIMIT of one or more without OFFSET keeps it.
                guard mode == .exists, setSemantics, offset == 0, limit.map({ $0 >= 1 }) ?? true else { return nil }
                return key(input, setSemantics: true)
            case .limitClause, .topN, .window, .unnest, .unionAll, .setDifference, .series, .values, .empty:
                return nil
            }
        }

        /// Splits conjuncts into the correlated equalities (whose inner sides it returns and
        /// whose outer sides it records) and the rest; nil when a conjunct of the rest still
        /// reads a parameter.
        private mutating func split(_ conjuncts: [BoundExpr], into rest: inout [BoundExpr]) -> [BoundExpr]? {
            var inner: [BoundExpr] = []
            var kept: [BoundExpr] = []
            for c in conjuncts {
                if case .compare(.equal, let a, let b) = c.kind {
                    if isOuterSide(b), !a.containsParameter {
                        inner.append(a)
                        outerSides.append(b)
                        continue
                    }
                    if isOuterSide(a), !b.containsParameter {
                        inner.append(b)
                        outerSides.append(a)
                        continue
                    }
                }
                if c.containsParameter { return nil }
                kept.append(c)
            }
            rest = kept
            return inner
        }

        /// An expression of the outer row only: parameters, constants, no column, no subquery.
        private func isOuterSide(_ e: BoundExpr) -> Bool {
            e.containsParameter && e.isColumnFree && !e.containsSubquery
        }
    }
}

// Predicate pushdown: splits filters into conjuncts and moves each as close to the data as
// it can go: into scans (evaluated while reading), through projections (rewritten over
// their inputs), below sorts, DISTINCT and unions, onto the side of a join whose columns it
// reads (either side of an inner join, only the left side of a LEFT join), and below an
// aggregate when it reads group keys only, below a window when it reads only keys every
// window function partitions by. A predicate over both sides of a cross join
// becomes the condition of an inner join.

public struct PredicatePushdown: OptimizerPass {
    public let name = "predicate_pushdown"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        push(plan, [])
    }

    /// `plan` with `predicates` (over its output columns) applied as deep as they go.
    func push(_ plan: LogicalPlan, _ predicates: [BoundExpr]) -> LogicalPlan {
        switch plan {
        case .filter(let input, let p):
            return push(input, predicates + p.conjuncts)

        case .scan(var scan):
            scan.filters += predicates
            return .scan(scan)

        case .project(let input, let exprs, let names):
            let below = predicates.map { $0.substitutingColumns(exprs) }
            return .project(push(input, below), expressions: exprs, names: names)

        case .join(let left, let right, let kind, let condition):
            return pushIntoJoin(left, right, kind, condition, predicates)

        case .aggregate(let input, let groups, let aggregates, let names):
            var below: [BoundExpr] = []
            var above: [BoundExpr] = []
            for p in predicates {
                let refs = p.referencedColumns
                // Only predicates over group keys; a constant one must stay above, since an
                // aggregate without groups yields a row even from no input.
                if !refs.isEmpty, refs.allSatisfy({ $0 < groups.count }) {
                    below.append(p.substitutingColumns(groups))
                } else {
                    above.append(p)
                }
            }
            let node = LogicalPlan.aggregate(push(input, below), groups: groups, aggregates: aggregates, names: names)
            return filtered(node, above)

        case .window(let input, let functions, let names):
            // Only a predicate over columns every function partitions by keeps whole
            // partitions, so only it may go below: any other would change the frames.
            let width = input.columnCount
            var shared: Set<Int>?
            for f in functions {
                let keys = Set(f.partitionBy.compactMap { e -> Int? in
                    if case .column(let i, _) = e.kind { return i }
                    return nil
                })
                shared = shared.map { $0.intersection(keys) } ?? keys
            }
            let partitionKeys = shared ?? []
            var below: [BoundExpr] = []
            var above: [BoundExpr] = []
            for p in predicates {
                let refs = p.referencedColumns
                if !refs.isEmpty, refs.allSatisfy({ $0 < width && partitionKeys.contains($0) }) {
                    below.append(p)
                } else {
                    above.append(p)
                }
            }
            return filtered(.window(push(input, below), functions: functions, names: names), above)

        case .unnest(let input, let lists, let names):
            // A predicate over the input's columns keeps or drops all of a row's copies.
            let width = input.columnCount
            let below = predicates.filter { p in p.referencedColumns.allSatisfy { $0 < width } && !p.referencedColumns.isEmpty }
            let above = predicates.filter { p in !(p.referencedColumns.allSatisfy { $0 < width } && !p.referencedColumns.isEmpty) }
            return filtered(.unnest(push(input, below), lists: lists, names: names), above)
        case .sort(let input, let keys):
            return .sort(push(input, predicates), keys: keys)
        case .distinct(let input):
            return .distinct(push(input, predicates))
        case .unionAll(let inputs):
            return .unionAll(inputs.map { push($0, predicates) })
        case .setDifference(let l, let r, let intersect, let all):
            // σ(A − B) = σ(A) − σ(B) and σ(A ∩ B) = σ(A) ∩ σ(B), with or without ALL.
            return .setDifference(push(l, predicates), push(r, predicates), intersect: intersect, all: all)

        case .limit, .limitClause, .topN, .series, .values, .empty:
            return filtered(plan.mapInputs { push($0, []) }, predicates)
        }
    }

    private func pushIntoJoin(_ left: LogicalPlan, _ right: LogicalPlan, _ kind: JoinType, _ condition: BoundExpr?,
                              _ predicates: [BoundExpr]) -> LogicalPlan {
        let leftCount = left.columnCount
        var toLeft: [BoundExpr] = []
        var toRight: [BoundExpr] = []
        var onJoin: [BoundExpr] = []
        var above: [BoundExpr] = []
        func side(_ p: BoundExpr) -> (left: Bool, right: Bool) {
            let refs = p.referencedColumns
            return (refs.contains { $0 < leftCount }, refs.contains { $0 >= leftCount })
        }
        // WHERE conjuncts.
        for p in predicates {
            let s = side(p)
            if kind == .full {
                above.append(p)
            } else if !s.right {
                toLeft.append(p)
            } else if kind == .left {
                above.append(p)
            } else if !s.left {
                toRight.append(p)
            } else {
                onJoin.append(p)
            }
        }
        // ON conjuncts: for a LEFT join only those over the right side may move (they
        // choose which right rows match); the rest decide matching and stay. A FULL join
        // keeps the rows of both sides, so nothing moves into or out of it.
        for p in condition?.conjuncts ?? [] {
            let s = side(p)
            if kind == .full || kind.keepsLeftOnly {
                // A semi or anti join's ON decides which rows match: it stays whole.
                onJoin.append(p)
            } else if kind == .left {
                if s.right && !s.left { toRight.append(p) } else { onJoin.append(p) }
            } else if !s.right && s.left {
                toLeft.append(p)
            } else if s.right && !s.left {
                toRight.append(p)
            } else {
                onJoin.append(p)
            }
        }
        let rightPredicates = toRight.map { $0.remappingColumns { $0 - leftCount } }
        let newKind: JoinType = kind == .cross && !onJoin.isEmpty ? .inner : kind
        let node = LogicalPlan.join(push(left, toLeft), push(right, rightPredicates), kind: newKind,
                                    condition: BoundExpr.conjunction(onJoin))
        return filtered(node, above)
    }

    /// `plan` under a filter of `predicates`, if any.
    private func filtered(_ plan: LogicalPlan, _ predicates: [BoundExpr]) -> LogicalPlan {
        guard let p = BoundExpr.conjunction(predicates) else { return plan }
        return .filter(plan, predicate: p)
    }
}

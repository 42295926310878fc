// Generic traversal of plans: a node's inputs and expressions, replaced one level at a
// time. Optimizer passes and the verifier are written on top of these.

extension LogicalPlan {
    /// The node's inputs, in order.
    public var inputs: [LogicalPlan] {
        switch self {
        case .scan, .series, .values, .empty: return []
        case .filter(let x, _), .project(let x, _, _), .aggregate(let x, _, _, _), .window(let x, _, _), .unnest(let x, _, _), .sort(let x, _),
             .limit(let x, _, _), .limitClause(let x, _, _), .topN(let x, _, _, _), .distinct(let x):
            return [x]
        case .join(let l, let r, _, _), .setDifference(let l, let r, _, _): return [l, r]
        case .unionAll(let xs): return xs
        }
    }

    /// The node with its inputs replaced by `f` of each.
    public func mapInputs(_ f: (LogicalPlan) throws -> LogicalPlan) rethrows -> LogicalPlan {
        switch self {
        case .scan, .series, .values, .empty: return self
        case .filter(let x, let p): return .filter(try f(x), predicate: p)
        case .project(let x, let e, let n): return .project(try f(x), expressions: e, names: n)
        case .aggregate(let x, let g, let a, let n): return .aggregate(try f(x), groups: g, aggregates: a, names: n)
        case .window(let x, let fs, let n): return .window(try f(x), functions: fs, names: n)
        case .unnest(let x, let l, let n): return .unnest(try f(x), lists: l, names: n)
        case .sort(let x, let k): return .sort(try f(x), keys: k)
        case .limit(let x, let l, let o): return .limit(try f(x), limit: l, offset: o)
        case .limitClause(let x, let l, let o): return .limitClause(try f(x), limit: l, offset: o)
        case .topN(let x, let k, let l, let o): return .topN(try f(x), keys: k, limit: l, offset: o)
        case .distinct(let x): return .distinct(try f(x))
        case .join(let l, let r, let kind, let c): return .join(try f(l), try f(r), kind: kind, condition: c)
        case .setDifference(let l, let r, let i, let a): return .setDifference(try f(l), try f(r), intersect: i, all: a)
        case .unionAll(let xs): return .unionAll(try xs.map(f))
        }
    }

    /// The node with every expression it holds (not its inputs') replaced by `f` of it.
    public func mapExpressions(_ f: (BoundExpr) throws -> BoundExpr) rethrows -> LogicalPlan {
        func key(_ k: BoundSortKey) throws -> BoundSortKey {
            BoundSortKey(expr: try f(k.expr), descending: k.descending, nullsFirst: k.nullsFirst)
        }
        switch self {
        case .scan(var s):
            s.filters = try s.filters.map(f)
            return .scan(s)
        case .series(var s):
            s.arguments = try s.arguments.map(f)
            return .series(s)
        case .values(let rows, let schema): return .values(rows: try rows.map { try $0.map(f) }, schema: schema)
        case .filter(let x, let p): return .filter(x, predicate: try f(p))
        case .project(let x, let e, let n): return .project(x, expressions: try e.map(f), names: n)
        case .aggregate(let x, let g, let aggs, let n):
            let mapped = try aggs.map { a -> BoundAggregate in
                var a = a
                a.arguments = try a.arguments.map(f)
                a.filter = try a.filter.map(f)
                a.orderBy = try a.orderBy.map(key)
                return a
            }
            return .aggregate(x, groups: try g.map(f), aggregates: mapped, names: n)
        case .join(let l, let r, let kind, let c): return .join(l, r, kind: kind, condition: try c.map(f))
        case .window(let x, let fs, let n): return .window(x, functions: try fs.map { try $0.mapExpressions(f) }, names: n)
        case .unnest(let x, let l, let n): return .unnest(x, lists: try l.map(f), names: n)
        case .sort(let x, let k): return .sort(x, keys: try k.map(key))
        case .topN(let x, let k, let l, let o): return .topN(x, keys: try k.map(key), limit: l, offset: o)
        case .limitClause(let x, let l, let o): return .limitClause(x, limit: try l.map(f), offset: try o.map(f))
        case .limit, .distinct, .unionAll, .setDifference, .empty: return self
        }
    }

    /// Every expression the node holds, in order.
    public var expressions: [BoundExpr] {
        var out: [BoundExpr] = []
        _ = mapExpressions { out.append($0); return $0 }
        return out
    }

    /// The plan with `f` applied bottom-up: inputs first, then the rebuilt node.
    public func transformUp(_ f: (LogicalPlan) throws -> LogicalPlan) rethrows -> LogicalPlan {
        try f(try mapInputs { try $0.transformUp(f) })
    }
}

// Walking and rewriting bound expressions: children, column references, substitution.
// The binder and every optimizer pass use these, so each pass stays a few lines long.

import AQSyntax

extension BoundExpr {
    /// This expression with `f` applied to each direct child. A subquery's plan is not
    /// entered (it has its own input); its parameters and an IN-subquery's probe are children.
    public func mapChildren(_ f: (BoundExpr) throws -> BoundExpr) rethrows -> BoundExpr {
        var out = self
        switch kind {
        case .constant, .column, .parameter:
            return self
        case .cast(let x, let isTry): out.kind = .cast(try f(x), isTry: isTry)
        case .call(let fn, let args): out.kind = .call(fn, try args.map(f))
        case .compare(let op, let a, let b): out.kind = .compare(op, try f(a), try f(b))
        case .arithmetic(let op, let a, let b): out.kind = .arithmetic(op, try f(a), try f(b))
        case .negate(let x): out.kind = .negate(try f(x))
        case .and(let xs): out.kind = .and(try xs.map(f))
        case .or(let xs): out.kind = .or(try xs.map(f))
        case .not(let x): out.kind = .not(try f(x))
        case .isNull(let x, let negated): out.kind = .isNull(try f(x), negated: negated)
        case .isDistinctFrom(let a, let b, let negated): out.kind = .isDistinctFrom(try f(a), try f(b), negated: negated)
        case .inList(let x, let list, let negated): out.kind = .inList(try f(x), try list.map(f), negated: negated)
        case .inSet(let x, let set, let negated): out.kind = .inSet(try f(x), set, negated: negated)
        case .like(let x, let pattern, let ci, let negated, let escape):
            out.kind = .like(try f(x), pattern: try f(pattern), caseInsensitive: ci, negated: negated,
                             escape: try escape.map(f))
        case .caseWhen(let whens, let elseResult):
            out.kind = .caseWhen(try whens.map { (try f($0.condition), try f($0.result)) },
                                 elseResult: try elseResult.map(f))
        case .coalesce(let xs): out.kind = .coalesce(try xs.map(f))
        case .subquery(let sub):
            var kind = sub.kind
            if case .inList(let probe, let negated) = sub.kind {
                kind = .inList(probe: try f(probe), negated: negated)
            } else if !sub.isCorrelated {
                return self
            }
            out.kind = .subquery(sub.with(kind: kind, parameters: try sub.parameters.map(f)))
        }
        return out
    }

    /// Direct children, in order.
    public var children: [BoundExpr] {
        var out: [BoundExpr] = []
        _ = mapChildren { out.append($0); return $0 }
        return out
    }

    /// Calls `visit` on this expression and every descendant, parents first.
    public func forEachNode(_ visit: (BoundExpr) -> Void) {
        visit(self)
        for child in children { child.forEachNode(visit) }
    }

    /// Rewrites bottom-up: children first, then `f` on the rebuilt node.
    public func rewrite(_ f: (BoundExpr) throws -> BoundExpr) rethrows -> BoundExpr {
        try f(try mapChildren { try $0.rewrite(f) })
    }

    /// Input column positions this expression reads.
    public var referencedColumns: Set<Int> {
        var out = Set<Int>()
        forEachNode { if case .column(let i, _) = $0.kind { out.insert(i) } }
        return out
    }

    /// Whether the expression reads no input column (it may still call functions).
    public var isColumnFree: Bool { referencedColumns.isEmpty }

    /// Whether the expression contains a subquery (which runs before the plan).
    public var containsSubquery: Bool {
        var found = false
        forEachNode { if case .subquery = $0.kind { found = true } }
        return found
    }

    /// The expression with each column reference `i` replaced by column `map(i)`.
    public func remappingColumns(_ map: (Int) -> Int) -> BoundExpr {
        rewrite { e in
            guard case .column(let i, let name) = e.kind else { return e }
            var out = e
            out.kind = .column(index: map(i), name: name)
            return out
        }
    }

    /// The expression with each column reference `i` replaced by `expressions[i]`
    /// (pushing a predicate below the projection that computed its inputs).
    public func substitutingColumns(_ expressions: [BoundExpr]) -> BoundExpr {
        rewrite { e in
            guard case .column(let i, _) = e.kind, i < expressions.count else { return e }
            return expressions[i]
        }
    }

    /// The conjuncts of an AND tree (the expression itself when it is not an AND).
    public var conjuncts: [BoundExpr] {
        if case .and(let xs) = kind { return xs.flatMap(\.conjuncts) }
        return [self]
    }

    /// The AND of `predicates`, or nil for none.
    public static func conjunction(_ predicates: [BoundExpr]) -> BoundExpr? {
        if predicates.count <= 1 { return predicates.first }
        return BoundExpr(.and(predicates.flatMap(\.conjuncts)), type: .boolean)
    }

    /// A constant of a type.
    public static func constant(_ value: Value, _ type: DataType, range: SourceRange? = nil) -> BoundExpr {
        BoundExpr(.constant(value), type: type, range: range)
    }

    /// The constant value, if this is a constant.
    public var constantValue: Value? {
        if case .constant(let v) = kind { return v }
        return nil
    }
}

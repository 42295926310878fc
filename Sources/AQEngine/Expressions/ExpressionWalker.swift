// Walking bound expressions during execution: which input columns an expression reads
// (so a scan gathers only those), and rewriting children (subquery substitution).

enum ExpressionWalker {
    /// `expr` with `transform` applied to every direct child.
    static func mapChildren(_ expr: BoundExpr, _ transform: (BoundExpr) throws -> BoundExpr) rethrows -> BoundExpr {
        var out = expr
        switch expr.kind {
        case .constant, .column, .parameter:
            return expr
        case .cast(let x, let isTry): out.kind = .cast(try transform(x), isTry: isTry)
        case .call(let f, let args): out.kind = .call(f, try args.map(transform))
        case .compare(let op, let a, let b): out.kind = .compare(op, try transform(a), try transform(b))
        case .arithmetic(let op, let a, let b): out.kind = .arithmetic(op, try transform(a), try transform(b))
        case .negate(let x): out.kind = .negate(try transform(x))
        case .and(let xs): out.kind = .and(try xs.map(transform))
        case .or(let xs): out.kind = .or(try xs.map(transform))
        case .not(let x): out.kind = .not(try transform(x))
        case .isNull(let x, let negated): out.kind = .isNull(try transform(x), negated: negated)
        case .isDistinctFrom(let a, let b, let negated):
            out.kind = .isDistinctFrom(try transform(a), try transform(b), negated: negated)
        case .inList(let x, let list, let negated):
            out.kind = .inList(try transform(x), try list.map(transform), negated: negated)
        case .inSet(let x, let set, let negated): out.kind = .inSet(try transform(x), set, negated: negated)
        case .like(let x, let pattern, let ci, let negated, let escape):
            out.kind = .like(try transform(x), pattern: try transform(pattern), caseInsensitive: ci,
                             negated: negated, escape: try escape.map(transform))
        case .caseWhen(let branches, let elseResult):
            out.kind = .caseWhen(try branches.map { (try transform($0.condition), try transform($0.result)) },
                                 elseResult: try elseResult.map(transform))
        case .coalesce(let xs): out.kind = .coalesce(try xs.map(transform))
        case .subquery(let s):
            // The subquery's plan has its own input; an IN probe and the parameters of a
            // correlated subquery read this input.
            var kind = s.kind
            if case .inList(let probe, let negated) = s.kind {
                kind = .inList(probe: try transform(probe), negated: negated)
            } else if !s.isCorrelated {
                return expr
            }
            out.kind = .subquery(s.with(kind: kind, parameters: try s.parameters.map(transform)))
        }
        return out
    }

    /// Calls `visit` on `expr` and every expression under it (not inside subquery plans).
    static func forEach(_ expr: BoundExpr, _ visit: (BoundExpr) -> Void) {
        visit(expr)
        _ = mapChildren(expr) { child in
            forEach(child, visit)
            return child
        }
    }

    /// Input column positions that `expr` reads.
    static func columns(of expr: BoundExpr) -> Set<Int> {
        var out = Set<Int>()
        forEach(expr) { e in
            if case .column(let index, _) = e.kind { out.insert(index) }
        }
        return out
    }

    /// Whether `expr` contains an unresolved subquery.
    static func containsSubquery(_ expr: BoundExpr) -> Bool {
        var found = false
        forEach(expr) { e in
            if case .subquery = e.kind { found = true }
        }
        return found
    }

    /// Whether `expr` may be evaluated morsel by morsel on worker threads: it holds no
    /// unresolved subquery and no call whose value is not a function of its arguments
    /// (`nextval` advances a sequence, so rows must take its values in the order of one serial
    /// pass; and a morsel may be run twice, see `MorselRunner`).
    static func runsOnWorkers(_ expr: BoundExpr) -> Bool {
        var ok = true
        forEach(expr) { e in
            switch e.kind {
            case .subquery: ok = false
            case .call(let function, _) where !function.foldable: ok = false
            default: break
            }
        }
        return ok
    }

    /// `batch` with only the columns in `keep` present; the others are replaced by
    /// placeholder NULL vectors so that an expression can be evaluated without copying them.
    static func narrowed(_ batch: Batch, keeping keep: Set<Int>, gather selection: [Int32]?) -> Batch {
        let n = selection?.count ?? batch.count
        var columns: [Vector] = []
        columns.reserveCapacity(batch.columns.count)
        for (i, column) in batch.columns.enumerated() {
            if keep.contains(i) {
                columns.append(selection.map { column.gather($0) } ?? column)
            } else {
                columns.append(Vector(type: column.type, storage: .null(count: n)))
            }
        }
        return Batch(columns: columns, count: n)
    }
}

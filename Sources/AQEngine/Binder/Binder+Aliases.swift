// Select-list aliases used in WHERE, HAVING and ORDER BY expressions, and in later items of
// the select list, as DuckDB allows: `SELECT x + 1 AS y … WHERE y > 1`, `HAVING n > 10` after
// `count(*) AS n`, `SELECT a AS b, b + 1 AS c`. A name that is a column of the FROM clause
// means that column; otherwise, if it is an alias, the alias's expression is put in its
// place before binding.

import AQSyntax

extension Binder {
    /// `e` with each bare name that is not a FROM column but is a select-list alias replaced
    /// by that item's expression. Subqueries are left alone (they have scopes of their own).
    func substitutingAliases(_ e: Expr, _ aliases: [String: Expr], scope: BindScope) -> Expr {
        guard !aliases.isEmpty else { return e }
        return substitute(e, aliases, scope, depth: 0)
    }

    private func substitute(_ e: Expr, _ aliases: [String: Expr], _ scope: BindScope, depth: Int) -> Expr {
        // The parser caps tree depth; this guard only keeps a malformed tree from recursing forever.
        guard depth < Binder.maxDepth else { return e }
        func s(_ x: Expr) -> Expr { substitute(x, aliases, scope, depth: depth + 1) }
        var out = e
        switch e.kind {
        case .column(let parts):
            guard parts.count == 1, !scope.hasColumn(named: parts[0].name),
                  let aliased = aliases[parts[0].name.lowercased()] else { return e }
            // The alias's own expression is taken as written: an alias does not expand twice.
            return aliased
        case .literal, .star, .exists, .subquery, .parameter:
            return e
        case .unary(let op, let x): out.kind = .unary(op, s(x))
        case .binary(let op, let a, let b): out.kind = .binary(op, s(a), s(b))
        case .between(let x, let lo, let hi, let negated): out.kind = .between(s(x), low: s(lo), high: s(hi), negated: negated)
        case .inList(let x, let items, let negated): out.kind = .inList(s(x), items.map(s), negated: negated)
        case .inSubquery(let x, let q, let negated): out.kind = .inSubquery(s(x), q, negated: negated)
        case .isNull(let x, let negated): out.kind = .isNull(s(x), negated: negated)
        case .isDistinctFrom(let a, let b, let negated): out.kind = .isDistinctFrom(s(a), s(b), negated: negated)
        case .isBoolean(let x, let value, let negated): out.kind = .isBoolean(s(x), value: value, negated: negated)
        case .like(let x, let p, let ci, let negated, let esc):
            out.kind = .like(s(x), pattern: s(p), caseInsensitive: ci, negated: negated, escape: esc.map(s))
        case .caseWhen(let operand, let whens, let otherwise):
            out.kind = .caseWhen(operand: operand.map(s),
                                 whens: whens.map { WhenClause(condition: s($0.condition), result: s($0.result)) },
                                 elseResult: otherwise.map(s))
        case .cast(let x, let type, let isTry): out.kind = .cast(s(x), type, isTry: isTry)
        case .interval(let x, let unit): out.kind = .interval(s(x), unit: unit)
        case .list(let items): out.kind = .list(items.map(s))
        case .function(var call):
            call.arguments = call.arguments.map(s)
            call.filter = call.filter.map(s)
            call.orderBy = call.orderBy.map { OrderItem(expr: s($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
            if var over = call.over {
                over.partitionBy = over.partitionBy.map(s)
                over.orderBy = over.orderBy.map { OrderItem(expr: s($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
                call.over = over
            }
            out.kind = .function(call)
        }
        return out
    }
}

extension Binder {
    /// The select list with each item's references to aliases of earlier items replaced by
    /// those items' expressions (themselves already resolved, so chains work). An item whose
    /// expression changes keeps the name it was written with.
    func resolvingLateralAliases(_ items: [SelectItem], scope: BindScope) -> [SelectItem] {
        var aliases: [String: Expr] = [:]
        var repeated = Set<String>()
        var out: [SelectItem] = []
        for item in items {
            guard case .expression(let e, let alias) = item else {
                out.append(item)
                continue
            }
            var resolved = e
            var name = alias
            if !aliases.isEmpty {
                resolved = substitutingAliases(e, aliases, scope: scope)
                if name == nil, resolved.dump != e.dump {
                    name = Identifier(name: lateralName(e), quoted: true, range: e.range)
                }
            }
            if let alias {
                let key = alias.name.lowercased()
                if aliases[key] != nil || repeated.contains(key) {
                    repeated.insert(key)
                    aliases[key] = nil
                } else {
                    aliases[key] = resolved
                }
            }
            out.append(.expression(resolved, alias: name))
        }
        return out
    }

    /// The name of an unaliased item as written: a column's name, else its text.
    private func lateralName(_ e: Expr) -> String {
        if case .column(let parts) = e.kind, let last = parts.last { return last.name }
        return text(e.range)
    }
}

extension BindScope {
    /// Whether a column of this scope (not an enclosing one) is called `name`.
    func hasColumn(named name: String) -> Bool {
        columns.contains { BindScope.same($0.name, name) }
    }
}

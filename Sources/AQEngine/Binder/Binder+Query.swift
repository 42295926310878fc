// Binding a query: WITH, the body (SELECT, VALUES, set operations, nested queries),
// then ORDER BY, LIMIT and OFFSET. A SELECT body binds its own ORDER BY (Binder+Select),
// since it may sort by columns it does not output.

import AQSyntax

extension Binder {
    func bindQuery(_ query: Query, outer: BindScope?) throws -> LogicalPlan {
        try nested(query.range) {
            ctes.append([:])
            defer { ctes.removeLast() }
            for cte in query.with {
                guard ctes[ctes.count - 1][cte.name.name.lowercased()] == nil else {
                    throw BindError.duplicateName(.withName, cte.name.name, range: cte.name.range)
                }
                if query.recursive, let binding = try bindRecursiveCTE(cte, outer: outer) {
                    ctes[ctes.count - 1][cte.name.name.lowercased()] = binding
                    continue
                }
                let plan = try bindQuery(cte.query, outer: outer)
                let names = try renamed(plan.schema.map(\.name), by: cte.columnNames, range: cte.name.range)
                ctes[ctes.count - 1][cte.name.name.lowercased()] = CTEBinding(plan: plan, names: names)
            }
            var plan: LogicalPlan
            if case .select(let select) = query.body {
                plan = try bindSelect(select, orderBy: query.orderBy, outer: outer)
            } else {
                plan = try bindBody(query.body, outer: outer)
                if !query.orderBy.isEmpty {
                    plan = try bindOutputOrder(plan, query.orderBy, outer: outer, branches: query.body)
                }
            }
            if query.limit != nil || query.offset != nil {
                let limit = try query.limit.map { try constantCount($0, "LIMIT") }
                let offset = try query.offset.map { try constantCount($0, "OFFSET") }
                plan = .limitClause(plan, limit: limit, offset: offset)
            }
            return plan
        }
    }

    func bindBody(_ body: QueryBody, outer: BindScope?) throws -> LogicalPlan {
        switch body {
        case .select(let select):
            return try bindSelect(select, orderBy: [], outer: outer)
        case .nested(let query):
            return try bindQuery(query, outer: outer)
        case .values(let rows, let range):
            return try bindValues(rows, range: range, outer: outer)
        case .setOperation(let op, let all, let leftBody, let rightBody, let range):
            var left = try bindBody(leftBody, outer: outer)
            var right = try bindBody(rightBody, outer: outer)
            let l = left.schema, r = right.schema
            guard l.count == r.count else {
                throw BindError.columnCountMismatch(.setOperation(op.rawValue), expected: l.count, found: r.count,
                                                    range: range)
            }
            let types = zip(l, r).map { Binder.setOperationType($0.type, $1.type) }
            left = castColumns(left, to: types)
            right = castColumns(right, to: types)
            switch op {
            case .union:
                var inputs: [LogicalPlan] = []
                for side in [left, right] {
                    if case .unionAll(let nested) = side, all { inputs += nested } else { inputs.append(side) }
                }
                let union = LogicalPlan.unionAll(inputs)
                return all ? union : .distinct(union)
            case .except, .intersect:
                return .setDifference(left, right, intersect: op == .intersect, all: all)
            }
        }
    }

    /// `plan` with its columns cast to `types` where they differ (names kept).
    func castColumns(_ plan: LogicalPlan, to types: [DataType]) -> LogicalPlan {
        let schema = plan.schema
        guard zip(schema, types).contains(where: { $0.type != $1 }) else { return plan }
        if case .project(let input, let exprs, let names) = plan {
            // Cast inside the projection: `NULL AS x` becomes a typed NULL, not a cast of one.
            return .project(input, expressions: zip(exprs, types).map { coerce($0, to: $1) }, names: names)
        }
        let exprs = schema.enumerated().map { i, c in
            coerce(BoundExpr(.column(index: i, name: c.name), type: c.type), to: types[i])
        }
        return .project(plan, expressions: exprs, names: schema.map(\.name))
    }

    /// `VALUES (…), (…)`: constant rows, each column of its values' common type, or of
    /// `types` when given (INSERT casts values to the columns they go to).
    func bindValues(_ rows: [[Expr]], range: SourceRange, outer: BindScope?,
                    types: [DataType]? = nil) throws -> LogicalPlan {
        let ctx = ExprContext(scope: BindScope(parent: outer), clause: "VALUES")
        var bound = try rows.map { row in
            try row.enumerated().map { i, e in
                let b = try bindExpr(e, ctx)
                guard let types, i < types.count else { return b }
                return coerce(b, to: types[i])
            }
        }
        guard let width = bound.first?.count else { return .values(rows: [], schema: []) }
        if let bad = rows.firstIndex(where: { $0.count != width }) {
            let at = rows[bad].first.map { first in rows[bad].last.map { first.range.union($0.range) } ?? first.range } ?? range
            throw BindError.columnCountMismatch(.valuesRow, expected: width, found: rows[bad].count, range: at)
        }
        var schema: [ColumnSchema] = []
        for column in 0..<width {
            let t = try commonType(bound.map { $0[column] }, in: "VALUES")
            for r in bound.indices { bound[r][column] = coerce(bound[r][column], to: t) }
            schema.append(ColumnSchema(name: "col\(column)", type: t))
        }
        return .values(rows: bound, schema: schema)
    }

    /// ORDER BY over a query's output columns (set operations, VALUES, nested queries):
    /// positions, output names, or expressions of them. Over a set operation, as in DuckDB,
    /// an item that is none of these may name or repeat a select item of any branch
    /// (`SELECT a AS k … UNION SELECT b AS l … ORDER BY l`): it sorts by that column.
    func bindOutputOrder(_ plan: LogicalPlan, _ items: [OrderItem], outer: BindScope?,
                         branches: QueryBody? = nil) throws -> LogicalPlan {
        let schema = plan.schema
        let scope = BindScope(qualifier: nil, schema: schema, parent: outer)
        let ctx = ExprContext(scope: scope, clause: "ORDER BY")
        let keys = try expandingOrderByAll(items, count: schema.count).map { item -> BoundSortKey in
            let expr: BoundExpr
            if let k = try position(item.expr, count: schema.count, "ORDER BY") {
                expr = BoundExpr(.column(index: k, name: schema[k].name), type: schema[k].type, range: item.expr.range)
            } else {
                do {
                    expr = try bindExpr(item.expr, ctx)
                } catch let error as BindError {
                    guard let branches, let k = Binder.branchColumn(item.expr, in: branches) else { throw error }
                    expr = BoundExpr(.column(index: k, name: schema[k].name), type: schema[k].type, range: item.expr.range)
                }
            }
            return BoundSortKey(expr: expr, descending: item.descending,
                                nullsFirst: item.nullsFirst ?? settings.nullOrder.nullsFirst(descending: item.descending))
        }
        return .sort(plan, keys: keys)
    }

    /// The column of a set operation's output that a select item of one of its branches
    /// gives, the item named by `e` (its alias) or written as `e`; nil when none is.
    static func branchColumn(_ e: Expr, in body: QueryBody) -> Int? {
        switch body {
        case .select(let select):
            let text = e.dump
            for (k, item) in select.items.enumerated() {
                guard case .expression(let x, let alias) = item else { return nil }
                if case .column(let parts) = e.kind, parts.count == 1, let alias,
                   alias.name.lowercased() == parts[0].name.lowercased() { return k }
                if x.dump == text { return k }
            }
            return nil
        case .nested(let query):
            return branchColumn(e, in: query.body)
        case .values:
            return nil
        case .setOperation(_, _, let left, let right, _):
            return branchColumn(e, in: left) ?? branchColumn(e, in: right)
        }
    }

    /// ORDER BY with `ALL` (kept as a `*` item) replaced by the positions of every output
    /// column, each with the item's direction.
    func expandingOrderByAll(_ items: [OrderItem], count: Int) -> [OrderItem] {
        items.flatMap { item -> [OrderItem] in
            guard case .star(qualifier: nil) = item.expr.kind, count > 0 else { return [item] }
            return (1...count).map { k in
                OrderItem(expr: Expr(.literal(.integer(String(k))), range: item.expr.range),
                          descending: item.descending, nullsFirst: item.nullsFirst)
            }
        }
    }

    /// A select-list position written as an integer literal (`ORDER BY 2`), 0-based, or nil
    /// when the expression is not a bare integer.
    func position(_ e: Expr, count: Int, _ clause: String) throws -> Int? {
        if clause == "ORDER BY", !settings.orderByNonIntegerLiteral, case .literal(let literal) = e.kind {
            switch literal {
            case .string, .double:
                // As DuckDB: a constant sorts nothing, so it is most likely a mistake.
                throw BindError.misplaced(.nonIntegerOrderLiteral, range: e.range)
            default:
                break
            }
        }
        guard case .literal(.integer(let digits)) = e.kind else { return nil }
        guard let k = Int(digits), k >= 1, k <= count else {
            throw BindError.positionOutOfRange(clause: clause, position: digits, count: count, range: e.range)
        }
        return k - 1
    }

    /// A LIMIT or OFFSET: a constant expression, cast to INTEGER, carrying the clause's range.
    /// The `limit_constants` pass evaluates it.
    func constantCount(_ e: Expr, _ clause: String) throws -> BoundExpr {
        let bound = try bindExpr(e, ExprContext(scope: BindScope(parent: nil), clause: clause))
        guard bound.isColumnFree, !bound.containsSubquery else {
            throw BindError.notConstant(.clause(clause), range: e.range)
        }
        var count = coerce(bound, to: .integer)
        count.range = e.range
        return count
    }
}

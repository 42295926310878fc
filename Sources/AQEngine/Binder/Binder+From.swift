// Binding the FROM clause: tables of the catalog, WITH names, subqueries with aliases and
// column aliases, and joins (INNER, LEFT, RIGHT, FULL, CROSS, comma, SEMI, ANTI) with their ON
// conditions.

import AQSyntax

extension Binder {
    /// The plan of a FROM item and the names it makes visible.
    func bindTableReference(_ ref: TableReference, outer: BindScope?) throws -> (LogicalPlan, BindScope) {
        try nested(ref.range) {
            switch ref {
            case .table(let name, let alias, _):
                let qualifier = alias?.name ?? name.name
                if let cte = lookupCTE(name.name) {
                    let schema = zip(cte.names, cte.plan.schema).map { ColumnSchema(name: $0, type: $1.type) }
                    return (cte.plan, BindScope(qualifier: qualifier, schema: schema, parent: outer))
                }
                if let view = catalog.view(named: name.name) {
                    let (plan, names) = try bindView(view, name: name)
                    let schema = zip(names, plan.schema).map { ColumnSchema(name: $0, type: $1.type) }
                    return (plan, BindScope(qualifier: qualifier, schema: schema, parent: outer))
                }
                guard let table = catalog.table(named: name.name) else {
                    if name.name.lowercased() == "events" {
                        throw BindError.noEvents(statement: "the query", range: name.range)
                    }
                    let known = catalog.tableNames + catalog.viewNames + ctes.flatMap { Array($0.keys) }
                    throw BindError.unknownTable(name.name, suggestion: nearestName(to: name.name, in: known),
                                                 range: name.range)
                }
                let scan = LogicalScan(table: table, columns: Array(table.columns.indices), alias: qualifier)
                return (.scan(scan), BindScope(qualifier: qualifier, schema: table.columns, parent: outer))

            case .subquery(let query, let alias, let columnNames, let range):
                let plan = try bindQuery(query, outer: outer)
                let names = try renamed(plan.schema.map(\.name), by: columnNames, range: range)
                let schema = zip(names, plan.schema).map { ColumnSchema(name: $0, type: $1.type) }
                return (plan, BindScope(qualifier: alias?.name, schema: schema, parent: outer))

            case .function(let call, let alias, let columnNames, let range):
                return try bindTableFunction(call, alias: alias, columnNames: columnNames, range: range, outer: outer)

            case .join(let kind, let leftRef, let rightRef, let on, let range) where kind == .semi || kind == .anti:
                return try semiJoin(anti: kind == .anti, leftRef, rightRef, on: on, range: range, outer: outer)

            case .join(let kind, let leftRef, let rightRef, let on, let range):
                let (left, leftScope) = try bindTableReference(leftRef, outer: outer)
                let (right, rightScope) = try bindTableReference(rightRef, outer: outer)
                let leftNames = Set(leftScope.qualifiers.map { $0.lowercased() })
                if let dup = rightScope.qualifiers.first(where: { leftNames.contains($0.lowercased()) }) {
                    throw BindError.duplicateName(.tableAlias, dup, range: rightRef.range)
                }
                let scope = BindScope.joined(leftScope, rightScope, parent: outer)
                var condition: BoundExpr?
                if let on {
                    let c = try bindExpr(on, ExprContext(scope: scope, clause: "JOIN conditions"))
                    condition = try requireBoolean(c, "a JOIN condition")
                } else if kind != .cross {
                    throw BindError.misplaced(.joinWithoutOn(kind: kind.rawValue), range: range)
                }
                if kind == .right {
                    return (rightJoin(left, right, condition: condition), scope)
                }
                let type: JoinType
                switch kind {
                case .inner: type = .inner
                case .left: type = .left
                case .full: type = .full
                case .cross, .right, .semi, .anti: type = .cross
                }
                return (.join(left, right, kind: type, condition: condition), scope)
            }
        }
    }

    /// `a SEMI JOIN b ON c` is `a WHERE EXISTS (SELECT 1 FROM b WHERE c)`, `ANTI` the same with
    /// NOT EXISTS, as DuckDB defines them: only a's columns, each row of a at most once, and a
    /// row whose c is NULL for every row of b kept by ANTI. c sees b's names first, then a's.
    private func semiJoin(anti: Bool, _ leftRef: TableReference, _ rightRef: TableReference, on: Expr?,
                          range: SourceRange, outer: BindScope?) throws -> (LogicalPlan, BindScope) {
        let (left, leftScope) = try bindTableReference(leftRef, outer: outer)
        let (_, rightScope) = try bindTableReference(rightRef, outer: outer)
        let leftNames = Set(leftScope.qualifiers.map { $0.lowercased() })
        if let dup = rightScope.qualifiers.first(where: { leftNames.contains($0.lowercased()) }) {
            throw BindError.duplicateName(.tableAlias, dup, range: rightRef.range)
        }
        guard let on else {
            throw BindError.misplaced(.joinWithoutOn(kind: anti ? "ANTI" : "SEMI"), range: range)
        }
        let one = Expr(.literal(.integer("1")), range: on.range)
        let select = Select(items: [.expression(one, alias: nil)], from: rightRef, whereClause: on, range: range)
        var exists = Expr(.exists(Query(body: .select(select), range: range)), range: range)
        if anti { exists = Expr(.unary(.not, exists), range: range) }
        let predicate = try bindExpr(exists, ExprContext(scope: leftScope, clause: "JOIN conditions"))
        return (.filter(left, predicate: predicate), leftScope)
    }

    /// `a RIGHT JOIN b ON c`: `b LEFT JOIN a ON c`, its columns put back in the order a, b.
    private func rightJoin(_ a: LogicalPlan, _ b: LogicalPlan, condition: BoundExpr?) -> LogicalPlan {
        let aSchema = a.schema, bSchema = b.schema
        let na = aSchema.count, nb = bSchema.count
        // In the swapped join, b's columns come first.
        let swapped = condition?.remappingColumns { $0 < na ? $0 + nb : $0 - na }
        let join = LogicalPlan.join(b, a, kind: .left, condition: swapped)
        var exprs: [BoundExpr] = []
        for (k, c) in aSchema.enumerated() { exprs.append(BoundExpr(.column(index: nb + k, name: c.name), type: c.type)) }
        for (k, c) in bSchema.enumerated() { exprs.append(BoundExpr(.column(index: k, name: c.name), type: c.type)) }
        return .project(join, expressions: exprs, names: (aSchema + bSchema).map(\.name))
    }

    /// A view's query bound now, in its own text and without the caller's WITH names, and
    /// its output names. An error inside it is reported at the view's name.
    func bindView(_ view: View, name: Identifier) throws -> (LogicalPlan, [String]) {
        let key = view.name.lowercased()
        if viewsInUse.contains(key) { throw BindError.viewRefersToItself(view.name, range: name.range) }
        let binder = Binder(catalog: catalog, source: view.source, now: now)
        binder.settings = settings
        binder.userFunctions = userFunctions
        binder.viewsInUse = viewsInUse + [key]
        binder.runPlan = runPlan
        binder.depth = depth
        let plan: LogicalPlan
        do {
            plan = try binder.bind(view.query)
        } catch let error as BindError {
            if case .viewRefersToItself = error { throw error }
            throw BindError.viewDoesNotBind(view.name, reason: error.message, range: name.range)
        }
        var names = plan.schema.map(\.name)
        for (i, n) in view.columnNames.enumerated() where i < names.count { names[i] = n }
        return (plan, names)
    }

    /// Output names after a column alias list `AS t(a, b)`: the first names replaced.
    func renamed(_ names: [String], by aliases: [Identifier], range: SourceRange) throws -> [String] {
        guard aliases.count <= names.count else {
            throw BindError.columnCountMismatch(.aliases, expected: names.count, found: aliases.count, range: range)
        }
        var out = names
        for (i, a) in aliases.enumerated() { out[i] = a.name }
        return out
    }

    /// The innermost WITH binding called `name`.
    func lookupCTE(_ name: String) -> CTEBinding? {
        for frame in ctes.reversed() {
            if let found = frame[name.lowercased()] { return found }
        }
        return nil
    }
}

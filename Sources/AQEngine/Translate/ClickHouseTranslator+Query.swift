// Queries: WITH, set operations, SELECT with its clauses, FROM items and ORDER BY.

import AQSyntax

extension ClickHouseTranslator {
    func query(_ q: Query, _ outer: Scope) throws -> String {
        try queryWithNames(q, outer).sql
    }

    /// The SQL of a query and its output column names (nil where not known).
    func queryWithNames(_ q: Query, _ outer: Scope) throws -> (sql: String, names: [String?]) {
        var with: [String] = []
        ctes.append([:])
        defer { ctes.removeLast() }
        for cte in q.with {
            guard cte.columnNames.isEmpty else {
                throw untranslatable("a WITH query's column list", "ClickHouse names a WITH query's columns from its SELECT; use aliases there",
                                     cte.name.range)
            }
            guard !q.recursive else {
                throw untranslatable("WITH RECURSIVE", "aq does not translate recursive queries yet", cte.name.range)
            }
            let (sql, names) = try queryWithNames(cte.query, Scope(parent: nil))
            ctes[ctes.count - 1][cte.name.name.lowercased()] = names.contains(where: { $0 == nil }) ? nil : names.compactMap { $0 }
            with.append("\(identifier(cte.name.name)) AS (\n\(sql)\n)")
        }
        let prefix = with.isEmpty ? "" : "WITH " + with.joined(separator: ",\n") + "\n"
        if case .select(let s) = q.body {
            let (sql, names) = try select(s, outer, orderBy: q.orderBy, limit: q.limit, offset: q.offset)
            return (prefix + sql, names)
        }
        let (body, names) = try queryBody(q.body, outer)
        guard !q.orderBy.isEmpty || q.limit != nil || q.offset != nil else { return (prefix + body, names) }
        // ClickHouse would sort only the last SELECT of a set operation: sort around it.
        let scope = Scope(parent: outer)
        scope.items = [Scope.Item(qualifier: "_u", columns: names.contains(where: { $0 == nil }) ? nil : names.compactMap { $0 })]
        var sql = prefix + "SELECT * FROM (\n\(body)\n) AS _u"
        sql += try orderAndLimit(q.orderBy, q.limit, q.offset, scope, outputs: names)
        return (sql, names)
    }

    func queryBody(_ body: QueryBody, _ outer: Scope) throws -> (sql: String, names: [String?]) {
        switch body {
        case .select(let s):
            return try select(s, outer, orderBy: [], limit: nil, offset: nil)
        case .nested(let q):
            let (sql, names) = try queryWithNames(q, outer)
            return ("(\n\(sql)\n)", names)
        case .setOperation(let op, let all, let l, let r, _):
            let (left, names) = try queryBody(l, outer)
            let (right, _) = try queryBody(r, outer)
            return ("\(left)\n\(op.rawValue) \(all ? "ALL" : "DISTINCT")\n\(right)", names)
        case .values(let rows, _):
            let scope = Scope(parent: outer)
            let selects = try rows.enumerated().map { i, row -> String in
                "SELECT " + (try row.enumerated().map { c, e in
                    try expr(e, scope) + (i == 0 ? " AS col\(c)" : "")
                }.joined(separator: ", "))
            }
            return (selects.joined(separator: "\nUNION ALL\n"), (rows.first ?? []).indices.map { "col\($0)" })
        }
    }

    func select(_ s: Select, _ outer: Scope, orderBy: [OrderItem], limit: Expr?, offset: Expr?) throws -> (sql: String, names: [String?]) {
        let scope = Scope(parent: outer)
        var fromSQL = ""
        if let from = s.from { fromSQL = "\nFROM " + (try tableReference(from, scope)) }
        var items: [String] = []
        var names: [String?] = []
        for item in s.items {
            switch item {
            case .expression(let e, let alias):
                var sql = try expr(e, scope)
                var name = alias?.name
                if name == nil, case .column(let parts) = e.kind, let last = parts.last { name = last.name }
                if let name { sql += " AS " + identifier(name) }
                items.append(sql)
                names.append(name)
            case .star(let qualifier, let exclude, let replace, _):
                var sql = qualifier.map { identifier($0.name) + ".*" } ?? "*"
                if !exclude.isEmpty { sql += " EXCEPT (" + exclude.map { identifier($0.name) }.joined(separator: ", ") + ")" }
                if !replace.isEmpty {
                    sql += " REPLACE (" + (try replace.map { try expr($0.expr, scope) + " AS " + identifier($0.column.name) }
                        .joined(separator: ", ")) + ")"
                }
                items.append(sql)
                let excluded = Set(exclude.map { $0.name.lowercased() })
                if let columns = scope.columns(qualifier: qualifier?.name) {
                    names += columns.filter { !excluded.contains($0.lowercased()) }.map { Optional($0) }
                } else {
                    names.append(nil)
                }
            }
        }
        var sql = "SELECT "
        if s.distinct {
            sql += "DISTINCT "
            if !s.distinctOn.isEmpty {
                sql += "ON (" + (try s.distinctOn.map { try expr($0, scope) }.joined(separator: ", ")) + ") "
            }
        }
        sql += items.joined(separator: ", ") + fromSQL
        if let w = s.whereClause { sql += "\nWHERE " + (try expr(w, scope)) }
        switch s.groupBy {
        case .all?: sql += "\nGROUP BY ALL"
        case .expressions(let keys)?: sql += "\nGROUP BY " + (try keys.map { try expr($0, scope) }.joined(separator: ", "))
        case nil: break
        }
        if let h = s.having { sql += "\nHAVING " + (try expr(h, scope)) }
        if !s.windows.isEmpty {
            sql += "\nWINDOW " + (try s.windows.map { identifier($0.name.name) + " AS (" + (try windowSpec($0.spec, scope)) + ")" }
                .joined(separator: ", "))
        }
        if let qualify = s.qualify { sql += "\nQUALIFY " + (try expr(qualify, scope)) }
        sql += try orderAndLimit(orderBy, limit, offset, scope, outputs: names)
        return (sql, names)
    }

    /// ORDER BY (an output name first, as aq resolves it; NULLs last unless told) and LIMIT.
    func orderAndLimit(_ orderBy: [OrderItem], _ limit: Expr?, _ offset: Expr?, _ scope: Scope,
                       outputs: [String?]) throws -> String {
        var sql = ""
        if !orderBy.isEmpty {
            let outputNames = Set(outputs.compactMap { $0?.lowercased() })
            sql += "\nORDER BY " + (try orderBy.map { item in
                var key: String
                if case .column(let parts) = item.expr.kind, parts.count == 1, outputNames.contains(parts[0].name.lowercased()) {
                    key = identifier(parts[0].name)
                } else {
                    key = try expr(item.expr, scope)
                }
                key += item.descending ? " DESC" : " ASC"
                key += (item.nullsFirst ?? false) ? " NULLS FIRST" : " NULLS LAST"
                return key
            }.joined(separator: ", "))
        }
        if let limit { sql += "\nLIMIT " + (try expr(limit, scope)) }
        if let offset { sql += (limit == nil ? "\nLIMIT 18446744073709551615" : "") + " OFFSET " + (try expr(offset, scope)) }
        return sql
    }

    /// A FROM item; its columns join the scope.
    func tableReference(_ ref: TableReference, _ scope: Scope) throws -> String {
        switch ref {
        case .table(let name, let alias, _):
            let lower = name.name.lowercased()
            var columns: [String]?
            if let cte = ctes.reversed().first(where: { $0[lower] != nil }) {
                columns = cte[lower] ?? nil
            } else {
                columns = tables[lower]?.map(\.name)
            }
            scope.items.append(Scope.Item(qualifier: alias?.name ?? name.name, columns: columns))
            return identifier(name.name) + (alias.map { " AS " + identifier($0.name) } ?? "")
        case .subquery(let q, let alias, let columnNames, let range):
            guard columnNames.isEmpty else {
                throw untranslatable("a subquery's column list", "name the columns inside the subquery instead", range)
            }
            let (sql, names) = try queryWithNames(q, Scope(parent: scope.parent))
            let qualifier = alias?.name ?? "_s\(scope.items.count)"
            scope.items.append(Scope.Item(qualifier: qualifier,
                                          columns: names.contains(where: { $0 == nil }) ? nil : names.compactMap { $0 }))
            return "(\n\(sql)\n) AS " + identifier(qualifier)
        case .join(let kind, let l, let r, let on, _):
            let left = try tableReference(l, scope)
            let right = try tableReference(r, scope)
            let word: String
            switch kind {
            case .inner: word = "INNER JOIN"
            case .left: word = "LEFT JOIN"
            case .right: word = "RIGHT JOIN"
            case .full: word = "FULL OUTER JOIN"
            case .cross: word = "CROSS JOIN"
            case .semi: word = "LEFT SEMI JOIN"
            case .anti: word = "LEFT ANTI JOIN"
            }
            guard let on else { return "\(left)\n\(word) \(right)" }
            return "\(left)\n\(word) \(right) ON \(try expr(on, scope))"
        case .function(let call, _, _, let range):
            throw untranslatable("table function \(call.name.name)()", "write it with ClickHouse's numbers()", range)
        }
    }
}

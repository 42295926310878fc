// Binding one SELECT: FROM, WHERE, GROUP BY / HAVING / aggregates, the select list, DISTINCT
// and ORDER BY (which may use select-list positions and aliases, or expressions the list
// does not show: those ride along as hidden columns and are projected away after the sort).

import AQSyntax

/// A select-list entry after `*` is expanded.
private enum SelectEntry {
    case expression(Expr, name: String)
    /// A column that `*` or `t.*` stands for.
    case column(ScopeColumn, range: SourceRange)

    var range: SourceRange {
        switch self {
        case .expression(let e, _): return e.range
        case .column(_, let r): return r
        }
    }
}

extension Binder {
    func bindSelect(_ select: Select, orderBy: [OrderItem], outer: BindScope?) throws -> LogicalPlan {
        var plan: LogicalPlan
        let scope: BindScope
        if let from = select.from {
            (plan, scope) = try bindTableReference(from, outer: outer)
        } else {
            plan = .values(rows: [[]], schema: [])
            scope = BindScope(parent: outer)
        }
        let items = resolvingLateralAliases(select.items, scope: scope)
        let aliasExprs = selectAliases(items)
        if let w = select.whereClause {
            let predicate = try bindExpr(substitutingAliases(w, aliasExprs, scope: scope),
                                         ExprContext(scope: scope, clause: "WHERE"))
            plan = .filter(plan, predicate: try requireBoolean(predicate, "WHERE"))
        }

        let entries = try expand(items, scope: scope, hasFrom: select.from != nil)
        let aliases = entries.map { entry -> String? in
            if case .expression(_, let name) = entry { return name }
            if case .column(let c, _) = entry { return c.name }
            return nil
        }
        let grouped = select.groupBy != nil || select.having != nil
            || entries.contains { if case .expression(let e, _) = $0 { return containsAggregate(e, scope) }; return false }
            || orderBy.contains { containsAggregate($0.expr, scope) }
            || (select.qualify.map { containsAggregate($0, scope) } ?? false)

        var ctx = ExprContext(scope: scope, clause: "SELECT")
        let windowing = Windowing(named: select.windows)
        ctx.windowing = windowing
        let unnesting = Unnesting()
        ctx.unnesting = unnesting
        var grouping: Grouping?
        if grouped {
            let g = Grouping(groups: try bindGroups(select.groupBy, entries, aliases: aliases, scope: scope))
            grouping = g
            ctx.grouping = g
        }

        // The select list, over the aggregate's output when grouped.
        var exprs = try entries.map { entry -> BoundExpr in
            switch entry {
            case .expression(let e, _): return try bindExpr(e, ctx)
            case .column(let c, let range): return try bindColumn(c, range: range, ctx)
            }
        }
        let names = entries.map { entry -> String in
            switch entry {
            case .expression(_, let name): return name
            case .column(let c, _): return c.name
            }
        }
        var having: BoundExpr?
        if let h = select.having {
            var hctx = ctx
            hctx.windowing = nil
            hctx.unnesting = nil
            hctx.clause = "HAVING"
            having = try requireBoolean(try bindExpr(substitutingAliases(h, aliasExprs, scope: scope), hctx), "HAVING")
        }

        // ORDER BY: a position or output name refers to the select list; any other
        // expression is matched against the list, or added as a hidden column.
        var octx = ctx
        octx.clause = "ORDER BY"
        let plainDistinct = select.distinct && select.distinctOn.isEmpty
        var keys: [BoundSortKey] = []
        for item in expandingOrderByAll(orderBy, count: names.count) {
            let index: Int
            if let k = try position(item.expr, count: exprs.count, "ORDER BY") {
                index = k
            } else if let k = try outputName(item.expr, names, exprs) {
                index = k
            } else {
                let bound = try bindExpr(substitutingAliases(item.expr, aliasExprs, scope: scope), octx)
                if let k = exprs.firstIndex(where: { $0.structuralKey == bound.structuralKey }) {
                    index = k
                } else {
                    exprs.append(bound)
                    index = exprs.count - 1
                }
            }
            let key = BoundExpr(.column(index: index, name: index < names.count ? names[index] : hiddenName(exprs[index])),
                                type: exprs[index].type, range: item.expr.range)
            let nullsFirst = item.nullsFirst ?? settings.nullOrder.nullsFirst(descending: item.descending)
            keys.append(BoundSortKey(expr: key, descending: item.descending, nullsFirst: nullsFirst))
        }

        // DISTINCT ON keys, found like ORDER BY items (hidden columns when not selected).
        // A plain DISTINCT that sorts by something it does not select is, as in DuckDB,
        // DISTINCT ON the whole select list; each distinct row sorts by the values of its
        // first row in the input (not the first in the sort order, as DuckDB).
        var dctx = ctx
        dctx.clause = "DISTINCT ON"
        let sortsByHidden = plainDistinct && exprs.count > names.count
        var onColumns: [Int] = sortsByHidden ? Array(names.indices) : []
        for e in select.distinctOn {
            if let k = try position(e, count: names.count, "DISTINCT ON") ?? outputName(e, names, exprs) {
                onColumns.append(k)
                continue
            }
            let bound = try bindExpr(substitutingAliases(e, aliasExprs, scope: scope), dctx)
            if let k = exprs.firstIndex(where: { $0.structuralKey == bound.structuralKey }) {
                onColumns.append(k)
            } else {
                exprs.append(bound)
                onColumns.append(exprs.count - 1)
            }
        }

        var qualify: BoundExpr?
        if let q = select.qualify {
            var qctx = ctx
            qctx.unnesting = nil
            qctx.clause = "QUALIFY"
            qualify = try requireBoolean(try bindExpr(substitutingAliases(q, aliasExprs, scope: scope), qctx), "QUALIFY")
            if windowing.functions.isEmpty {
                throw BindError.qualifyWithoutWindow(range: q.range)
            }
        }

        if let grouping {
            plan = .aggregate(plan, groups: grouping.groups, aggregates: grouping.aggregates, names: grouping.names)
            if let having { plan = .filter(plan, predicate: having) }
        }
        if !windowing.functions.isEmpty {
            let width = plan.columnCount
            plan = .window(plan, functions: windowing.functions, names: windowing.functions.map(\.description))
            exprs = exprs.map { Windowing.placed($0, inputWidth: width) }
            if let q = qualify { plan = .filter(plan, predicate: Windowing.placed(q, inputWidth: width)) }
        }
        if !unnesting.lists.isEmpty {
            let width = plan.columnCount
            let lists = unnesting.lists.map { Windowing.placed($0, inputWidth: width - windowing.functions.count) }
            plan = .unnest(plan, lists: lists, names: lists.map { "unnest(\($0))" })
            exprs = exprs.map { Unnesting.placed($0, inputWidth: width) }
        }
        let hidden = exprs.count - names.count
        let allNames = names + exprs[names.count...].map(hiddenName)
        plan = .project(plan, expressions: exprs, names: allNames)
        if !onColumns.isEmpty {
            plan = firstRowOfEach(plan, on: onColumns, order: sortsByHidden ? [] : keys)
        } else if select.distinct {
            plan = .distinct(plan)
        }
        if !keys.isEmpty { plan = .sort(plan, keys: keys) }
        if hidden > 0 {
            let visible = names.indices.map { i in
                BoundExpr(.column(index: i, name: names[i]), type: exprs[i].type)
            }
            plan = .project(plan, expressions: visible, names: names)
        }
        return plan
    }

    /// `DISTINCT ON`: of the rows of `plan` with equal `on` columns, the first in `order`
    /// (input order among ties). An aggregate grouped by those columns takes each column's
    /// `first` in that order, and a projection restores the column layout.
    private func firstRowOfEach(_ plan: LogicalPlan, on: [Int], order: [BoundSortKey]) -> LogicalPlan {
        let schema = plan.schema
        let column = { (i: Int) in BoundExpr(.column(index: i, name: schema[i].name), type: schema[i].type) }
        let firsts = schema.indices.map { i in
            BoundAggregate(function: .first, arguments: [column(i)], orderBy: order, type: schema[i].type)
        }
        let groupNames = on.map { "on\($0)" }
        let grouped = LogicalPlan.aggregate(plan, groups: on.map(column), aggregates: firsts,
                                            names: groupNames + schema.map(\.name))
        let restored = schema.indices.map { i in
            BoundExpr(.column(index: on.count + i, name: schema[i].name), type: schema[i].type)
        }
        return .project(grouped, expressions: restored, names: schema.map(\.name))
    }

    /// The select item an ORDER BY name refers to (`ORDER BY n` after `count(*) AS n`), or nil
    /// when the expression is not a bare name of the select list.
    private func outputName(_ e: Expr, _ names: [String], _ exprs: [BoundExpr]) throws -> Int? {
        guard case .column(let parts) = e.kind, parts.count == 1 else { return nil }
        let matches = names.indices.filter { BindScope.same(names[$0], parts[0].name) }
        guard var first = matches.first else { return nil }
        // `SELECT i, i % 2 AS i … ORDER BY i`: as in DuckDB, the item that renames something
        // else wins over the column that merely has the name.
        let renaming = matches.filter { k in
            if case .column(_, let name) = exprs[k].kind, BindScope.same(name, parts[0].name) { return false }
            return true
        }
        if !renaming.isEmpty, renaming.count < matches.count,
           Set(renaming.map { exprs[$0].structuralKey }).count == 1 {
            first = renaming[0]
        } else if Set(matches.map { exprs[$0].structuralKey }).count > 1 {
            throw BindError.ambiguousColumn(parts[0].name, range: e.range)
        }
        return first
    }

    /// The name of a column ORDER BY adds to the select list: the column's own name when
    /// it is one, else the expression's text.
    private func hiddenName(_ e: BoundExpr) -> String {
        if case .column(_, let name) = e.kind { return name }
        return e.description
    }

    /// A column `*` stands for, bound like a written column (so GROUP BY rules apply).
    private func bindColumn(_ c: ScopeColumn, range: SourceRange, _ ctx: ExprContext) throws -> BoundExpr {
        let plain = BoundExpr(.column(index: c.index, name: c.name), type: c.type, range: range)
        guard let grouping = ctx.grouping else { return plain }
        guard let i = grouping.column(ofGroup: plain) else {
            throw BindError.notGrouped(column: c.name, range: range)
        }
        return BoundExpr(.column(index: i, name: c.name), type: c.type, range: range)
    }

    /// The select list with `*`, `t.*`, `* EXCLUDE (…)` and `* REPLACE (…)` expanded, and each
    /// item named.
    private func expand(_ items: [SelectItem], scope: BindScope, hasFrom: Bool) throws -> [SelectEntry] {
        var out: [SelectEntry] = []
        for item in items {
            switch item {
            case .expression(let e, let alias):
                out.append(.expression(e, name: alias?.name ?? defaultName(e)))
            case .star(let qualifier, let exclude, let replace, let range):
                guard hasFrom else { throw BindError.misplaced(.starWithoutFrom, range: range) }
                if let q = qualifier, !scope.hasQualifier(q.name) {
                    throw BindError.unknownTable(q.name, suggestion: nearestName(to: q.name, in: scope.qualifiers), range: q.range)
                }
                let columns = scope.columns(of: qualifier?.name)
                for x in exclude where !columns.contains(where: { BindScope.same($0.name, x.name) }) {
                    throw BindError.unknownColumn(x.name, suggestion: nearestName(to: x.name, in: columns.map(\.name)),
                                                  range: x.range)
                }
                let kept = columns.filter { c in !exclude.contains { BindScope.same($0.name, c.name) } }
                if kept.isEmpty { throw BindError.misplaced(.excludeLeavesNothing, range: range) }
                try checkReplacements(replace, columns: columns, exclude: exclude)
                out += kept.map { c in
                    if let r = replace.first(where: { BindScope.same($0.column.name, c.name) }) {
                        return .expression(r.expr, name: c.name)
                    }
                    return .column(c, range: range)
                }
            }
        }
        return out
    }

    /// The columns of `* REPLACE (…)`: each one of the star's, not excluded, named once.
    private func checkReplacements(_ replace: [StarReplacement], columns: [ScopeColumn],
                                   exclude: [Identifier]) throws {
        for (i, r) in replace.enumerated() {
            let name = r.column
            if exclude.contains(where: { BindScope.same($0.name, name.name) }) {
                throw BindError.excludedAndReplaced(name.name, range: name.range)
            }
            if replace[..<i].contains(where: { BindScope.same($0.column.name, name.name) }) {
                throw BindError.replacedTwice(name.name, range: name.range)
            }
            if !columns.contains(where: { BindScope.same($0.name, name.name) }) {
                throw BindError.unknownColumn(name.name, suggestion: nearestName(to: name.name, in: columns.map(\.name)),
                                              range: name.range)
            }
        }
    }

    /// Select-list expressions by their explicit alias (lower case); a name given twice
    /// stands for neither.
    private func selectAliases(_ items: [SelectItem]) -> [String: Expr] {
        var out: [String: Expr] = [:]
        var repeated = Set<String>()
        for case .expression(let e, let alias?) in items {
            let key = alias.name.lowercased()
            if out[key] != nil { repeated.insert(key) }
            out[key] = e
        }
        for key in repeated { out[key] = nil }
        return out
    }

    /// The name of an unaliased select item: a column's name, else the text as written.
    private func defaultName(_ e: Expr) -> String {
        if case .column(let parts) = e.kind, let last = parts.last { return last.name }
        return text(e.range)
    }

    /// The group keys: expressions, select-list positions, output aliases, or `GROUP BY ALL`
    /// (every select item without an aggregate).
    private func bindGroups(_ groupBy: GroupBy?, _ entries: [SelectEntry], aliases: [String?],
                            scope: BindScope) throws -> [BoundExpr] {
        let ctx = ExprContext(scope: scope, clause: "GROUP BY")
        func bindEntry(_ entry: SelectEntry) throws -> BoundExpr {
            switch entry {
            case .expression(let e, _):
                if containsAggregate(e, scope) {
                    throw BindError.misplaced(.groupByAggregate, range: e.range)
                }
                return try bindExpr(e, ctx)
            case .column(let c, let range):
                return BoundExpr(.column(index: c.index, name: c.name), type: c.type, range: range)
            }
        }
        var groups: [BoundExpr] = []
        switch groupBy {
        case nil:
            break
        case .all:
            for entry in entries {
                if case .expression(let e, _) = entry, containsAggregate(e, scope) || containsWindow(e) { continue }
                groups.append(try bindEntry(entry))
            }
        case .expressions(let exprs):
            for e in exprs {
                if let k = try position(e, count: entries.count, "GROUP BY") {
                    groups.append(try bindEntry(entries[k]))
                    continue
                }
                // A name that is not a column of FROM but is an output alias groups by that item.
                if case .column(let parts) = e.kind, parts.count == 1,
                   scope.columns(of: nil).allSatisfy({ !BindScope.same($0.name, parts[0].name) }),
                   let k = aliases.firstIndex(where: { $0.map { BindScope.same($0, parts[0].name) } ?? false }) {
                    groups.append(try bindEntry(entries[k]))
                    continue
                }
                groups.append(try bindExpr(e, ctx))
            }
        }
        return groups
    }
}

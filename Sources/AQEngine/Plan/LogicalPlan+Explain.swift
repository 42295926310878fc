// EXPLAIN: the plan as an indented tree, one operator per line, its inputs below it.
//
//     TopN [count_star() DESC] limit 20
//       Aggregate groups=[action] aggs=[count_star()]
//         Scan events [action, time] filters=[(time >= TIMESTAMP '2024-04-12 00:00:00')]

extension LogicalPlan {
    /// The lines of the tree; a subquery's plan follows the operator that uses it, after a
    /// line that says how it runs (`SubqueryStrategy`).
    public var explainLines: [String] {
        var out: [String] = []
        appendExplain(to: &out, indent: 0)
        return out
    }

    /// The whole tree as text, lines ending in newlines.
    public var explainText: String { explainLines.map { $0 + "\n" }.joined() }

    private func appendExplain(to out: inout [String], indent: Int) {
        let pad = String(repeating: "  ", count: indent)
        out.append(pad + explainHeader)
        var subqueries: [BoundSubquery] = []
        for e in expressions {
            e.forEachNode { if case .subquery(let s) = $0.kind { subqueries.append(s) } }
        }
        for (i, s) in subqueries.enumerated() {
            out.append(pad + "  Subquery #\(i + 1) (\(s.strategy.explainText))")
            s.plan.appendExplain(to: &out, indent: indent + 2)
        }
        for input in inputs { input.appendExplain(to: &out, indent: indent + 1) }
    }

    /// The operator's own line.
    public var explainHeader: String {
        func list<T: CustomStringConvertible>(_ xs: [T]) -> String { "[" + xs.map(\.description).joined(separator: ", ") + "]" }
        switch self {
        case .scan(let scan):
            let name = scan.alias.lowercased() == scan.table.name.lowercased()
                ? scan.table.name : "\(scan.table.name) AS \(scan.alias)"
            var line = "Scan \(name) " + list(scan.columns.map { BoundExpr.quotedName(scan.table.columns[$0].name) })
            if !scan.filters.isEmpty { line += " filters=" + list(scan.filters) }
            let shredded = scan.paths.filter { scan.table.paths[$0.column]?[$0.path] != nil }
            let text = scan.paths.filter { scan.table.paths[$0.column]?[$0.path] == nil }
            if !shredded.isEmpty { line += " sub-columns=" + list(shredded.map { $0.name(scan.table) }) }
            if !text.isEmpty { line += " text-paths=" + list(text.map { $0.name(scan.table) }) }
            return line
        case .series(let s):
            return "Series \(s.function)(" + s.arguments.map(\.description).joined(separator: ", ") + ") "
                + list([BoundExpr.quotedName(s.column.name)])
        case .values(let rows, let schema):
            return "Values \(rows.count) row\(rows.count == 1 ? "" : "s") " + list(schema.map { BoundExpr.quotedName($0.name) })
        case .filter(_, let predicate):
            return "Filter \(predicate)"
        case .project(_, let exprs, let names):
            let items = zip(exprs, names).map { e, n -> String in
                let text = e.description
                return text == BoundExpr.quotedName(n) ? text : "\(text) AS \(BoundExpr.quotedName(n))"
            }
            return "Project " + list(items)
        case .aggregate(_, let groups, let aggregates, _):
            return "Aggregate groups=" + list(groups) + " aggs=" + list(aggregates)
        case .window(_, let functions, _):
            return "Window " + list(functions) + " (" + BoundWindowFunction.strategy(of: functions) + ")"
        case .unnest(_, let lists, _):
            return "Unnest " + list(lists)
        case .join(_, _, let kind, let condition):
            return "Join \(kind.rawValue)" + (condition.map { " on \($0)" } ?? "")
        case .sort(_, let keys):
            return "Sort " + list(keys)
        case .limit(_, let limit, let offset):
            return "Limit " + (limit.map(String.init) ?? "none") + (offset > 0 ? " offset \(offset)" : "")
        case .limitClause(_, let limit, let offset):
            return "Limit " + (limit.map { "\($0)" } ?? "none") + (offset.map { " offset \($0)" } ?? "")
        case .topN(_, let keys, let limit, let offset):
            return "TopN " + list(keys) + " limit \(limit)" + (offset > 0 ? " offset \(offset)" : "")
        case .distinct:
            return "Distinct"
        case .unionAll:
            return "UnionAll"
        case .setDifference(_, _, let intersect, let all):
            return (intersect ? "Intersect" : "Except") + (all ? " ALL" : "")
        case .empty(let schema):
            return "Empty " + list(schema.map { BoundExpr.quotedName($0.name) })
        }
    }
}

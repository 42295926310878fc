// TIMELINE and SUMMARY as the SELECTs they stand for (Binder+EventStatements), written for
// ClickHouse. ClickHouse keeps no load order, so TIMELINE's ties on time have no fixed order.

import AQSyntax

extension ClickHouseTranslator {
    func eventPredicate(_ q: EventQuery, _ scope: Scope) throws -> String {
        var predicate = "(\(try expr(q.filter, scope)))"
        switch q.window {
        case nil: break
        case .since(let d):
            predicate += " AND events.time >= (now64(9, 'UTC') - \(try expr(d, scope)))"
        case .between(let from, let to):
            predicate += " AND events.time >= \(try timeBound(from, scope)) AND events.time < \(try timeBound(to, scope))"
        }
        return predicate
    }

    private func timeBound(_ e: Expr, _ scope: Scope) throws -> String {
        if case .literal(.string(let s)) = e.kind { return "parseDateTime64BestEffort(\(string(s)), 9, 'UTC')" }
        return try expr(e, scope)
    }

    private func eventsScope() -> Scope {
        let scope = Scope(parent: nil)
        scope.items = [Scope.Item(qualifier: "events", columns: tables["events"]?.map(\.name) ?? EventColumn.allCases.map(\.name))]
        return scope
    }

    func timeline(_ q: EventQuery) throws -> String {
        let scope = eventsScope()
        var sql = "SELECT " + Binder.timelineColumns.map { "events.\($0) AS \($0)" }.joined(separator: ", ")
            + "\nFROM events\nWHERE " + (try eventPredicate(q, scope)) + "\nORDER BY time ASC NULLS LAST"
        if let limit = q.limit { sql += "\nLIMIT " + (try expr(limit, scope)) }
        return sql
    }

    func summary(_ q: EventQuery) throws -> String {
        let scope = eventsScope()
        let predicate = try eventPredicate(q, scope)
        func part(_ action: String, order: Int, grouped: Bool) -> String {
            "SELECT \(action) AS action, count() AS events, count(DISTINCT events.source_ip) AS source_ips, "
                + "count(DISTINCT events.actor) AS actors, min(events.time) AS first_seen, max(events.time) AS last_seen, "
                + "\(order) AS summary_order\nFROM events\nWHERE \(predicate)" + (grouped ? "\nGROUP BY events.action" : "")
        }
        return "SELECT " + Binder.summaryColumns.joined(separator: ", ") + "\nFROM (\n"
            + part("events.action", order: 0, grouped: true) + "\nUNION ALL\n" + part("'total'", order: 1, grouped: false)
            + "\n) AS summary\nORDER BY summary_order ASC, events DESC, action ASC NULLS LAST"
    }
}

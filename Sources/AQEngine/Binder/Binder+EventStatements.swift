// TIMELINE and SUMMARY: the binder turns each into the SELECT over `events` it stands for
// (so EXPLAIN shows it, and the filter's errors point into the filter as in a WHERE):
//
//     TIMELINE f SINCE d LIMIT n  =  SELECT time, provider, …, success FROM events
//                                    WHERE (f) AND time >= ago(d) ORDER BY time LIMIT n
//     SUMMARY f                   =  per action: count(*), count(DISTINCT source_ip),
//                                    count(DISTINCT actor), min(time), max(time); then `total`

import AQSyntax

extension Binder {
    /// The columns of a TIMELINE, in order.
    public static let timelineColumns = ["time", "provider", "action", "repository", "tag", "digest", "actor",
                                         "source_ip", "network", "success"]

    /// The columns of a SUMMARY, in order.
    public static let summaryColumns = ["action", "events", "source_ips", "actors", "first_seen", "last_seen"]

    /// `TIMELINE filter [window] [LIMIT n]` as its SELECT, bound.
    public func bindTimeline(_ q: EventQuery) throws -> LogicalPlan {
        try bind(timelineQuery(q))
    }

    /// `SUMMARY filter [window]` as its SELECT, bound.
    public func bindSummary(_ q: EventQuery) throws -> LogicalPlan {
        try bind(summaryQuery(q))
    }

    /// The SELECT a TIMELINE stands for.
    func timelineQuery(_ q: EventQuery) throws -> Query {
        let b = SyntaxBuilder(range: q.keywordRange)
        let predicate = try eventPredicate(q, statement: "TIMELINE")
        let select = Select(items: Binder.timelineColumns.map { .expression(b.column($0), alias: nil) },
                            from: b.events, whereClause: predicate, range: q.keywordRange)
        return Query(body: .select(select), orderBy: [OrderItem(expr: b.column("time"), nullsFirst: false)],
                     limit: q.limit, range: q.keywordRange)
    }

    /// The SELECT a SUMMARY stands for: the per-action rows and the total, sorted by a
    /// hidden key that puts the total last.
    func summaryQuery(_ q: EventQuery) throws -> Query {
        let b = SyntaxBuilder(range: q.keywordRange)
        let predicate = try eventPredicate(q, statement: "SUMMARY")
        func part(_ action: Expr, order: Int, grouped: Bool) -> QueryBody {
            let measures: [(Expr, String)] = [
                (action, "action"),
                (b.call("count", star: true), "events"),
                (b.call("count", [b.column("source_ip")], distinct: true), "source_ips"),
                (b.call("count", [b.column("actor")], distinct: true), "actors"),
                (b.call("min", [b.column("time")]), "first_seen"),
                (b.call("max", [b.column("time")]), "last_seen"),
                (b.integer(order), "summary_order"),
            ]
            return .select(Select(items: measures.map { .expression($0.0, alias: b.name($0.1)) }, from: b.events,
                                  whereClause: predicate,
                                  groupBy: grouped ? .expressions([b.column("action")]) : nil,
                                  range: q.keywordRange))
        }
        let both = QueryBody.setOperation(.union, all: true,
                                          part(b.column("action"), order: 0, grouped: true),
                                          part(b.string("total"), order: 1, grouped: false), range: q.keywordRange)
        let inner = Query(body: both, range: q.keywordRange)
        let outer = Select(items: Binder.summaryColumns.map { .expression(b.column($0), alias: nil) },
                           from: .subquery(inner, alias: b.name("summary"), columnNames: [], range: q.keywordRange),
                           range: q.keywordRange)
        return Query(body: .select(outer),
                     orderBy: [OrderItem(expr: b.column("summary_order")),
                               OrderItem(expr: b.column("events"), descending: true),
                               OrderItem(expr: b.column("action"), nullsFirst: false)],
                     range: q.keywordRange)
    }

    /// `(filter) AND <window>`, after checking that the filter is BOOLEAN and the window
    /// is in order.
    private func eventPredicate(_ q: EventQuery, statement: String) throws -> Expr {
        guard catalog.table(named: "events") != nil else {
            throw BindError.noEvents(statement: statement, range: q.keywordRange)
        }
        let b = SyntaxBuilder(range: q.keywordRange)
        // The filter alone first: its own errors, then its type.
        let probe = Select(items: [.expression(q.filter, alias: nil)], from: b.events, range: q.filter.range)
        let type = try bind(Query(body: .select(probe), range: q.filter.range)).schema[0].type
        guard type == .boolean || type == .null else {
            throw BindError.filterNotBoolean(statement: statement, type: type, range: q.filter.range)
        }
        let time = b.column("time")
        switch q.window {
        case nil:
            return q.filter
        case .since(let d):
            return b.and(q.filter, b.compare(.greaterEqual, time, b.call("ago", [d])))
        case .between(let from, let to):
            let start = try windowBound(from)
            let end = try windowBound(to)
            if let start, let end, end < start {
                throw BindError.windowEndsBeforeStart(from: TimeMath.formatTimestamp(start),
                                                      to: TimeMath.formatTimestamp(end),
                                                      range: from.range.union(to.range))
            }
            return b.and(b.and(q.filter, b.compare(.greaterEqual, time, from)), b.compare(.less, time, to))
        }
    }

    /// A window bound as a time (nil for NULL); it must be a constant that reads as one.
    private func windowBound(_ e: Expr) throws -> Int64? {
        let bound = try bindConstantExpression(e)
        guard bound.isColumnFree, !bound.containsSubquery else {
            throw BindError.notConstant(.clause("a window bound"), range: e.range)
        }
        let time = coerce(bound, to: .timestamp)
        guard [.varchar, .timestamp, .date, .null].contains(bound.type) else {
            throw BindError.typeMismatch("a window bound must be a TIMESTAMP, not \(bound.type)", range: e.range)
        }
        switch try ConstantEvaluator.evaluate(time, constantContext) {
        case .timestamp(let t): return t
        default: return nil
        }
    }
}

/// Syntax nodes for a rewritten statement, every one carrying the statement keyword's range.
private struct SyntaxBuilder {
    let range: SourceRange

    func name(_ n: String) -> Identifier { Identifier(name: n, range: range) }
    func column(_ n: String) -> Expr { Expr(.column([name(n)]), range: range) }
    func string(_ s: String) -> Expr { Expr(.literal(.string(s)), range: range) }
    func integer(_ i: Int) -> Expr { Expr(.literal(.integer(String(i))), range: range) }
    var events: TableReference { .table(name: name("events"), alias: nil, range: range) }

    func call(_ f: String, _ args: [Expr] = [], star: Bool = false, distinct: Bool = false) -> Expr {
        Expr(.function(FunctionCall(name: name(f), arguments: args, star: star, distinct: distinct)), range: range)
    }

    func compare(_ op: BinaryOperator, _ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op, a, b), range: range) }

    func and(_ a: Expr, _ b: Expr) -> Expr { Expr(.binary(.and, a, b), range: range) }
}

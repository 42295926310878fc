// The binder: turns a query's syntax tree into a typed logical plan. It resolves names
// against the catalog, WITH names and FROM aliases, types every expression and inserts casts.
// Queries: Binder+Query, Binder+Select, Binder+From; expressions: Binder+Expressions,
// Binder+Functions, Binder+Literals, Binder+Types.

import AQSyntax

/// Binds the queries of one statement. Not reused across statements: `now` is the statement's.
public final class Binder {
    let catalog: Catalog
    let source: Source
    /// The statement's `now()` (UTC nanoseconds), for `ago()` and constant LIMITs.
    let now: Int64
    /// The session's settings (where NULLs sort when ORDER BY does not say).
    public var settings = SessionSettings()
    /// Values of `$name` and `getvariable('name')`, by lower-case name.
    public var variables: [String: Value] = [:]
    /// Functions the embedding program registered.
    public var userFunctions = UserFunctions()
    /// WITH names in scope, innermost frame last.
    var ctes: [[String: CTEBinding]] = []
    /// Nesting of queries and expressions, capped so no input can exhaust the stack. The
    /// parser already caps a tree's depth (`Parser.maxTreeDepth`); this is the binder's own
    /// guard, above it, for trees built some other way.
    var depth = 0
    /// Views being bound, innermost last: a view that names itself is an error, not a loop.
    var viewsInUse: [String] = []
    /// Optimizes and runs a plan to its rows: how a recursive WITH query is evaluated while
    /// the statement is bound. nil where statements are not run.
    public var runPlan: ((LogicalPlan) throws -> [Batch])?
    static let maxDepth = Parser.maxTreeDepth + 100

    public init(catalog: Catalog, source: Source, now: Int64) {
        self.catalog = catalog
        self.source = source
        self.now = now
    }

    /// Binds a top-level query (of SELECT, EXPLAIN, CREATE TABLE AS, INSERT … SELECT).
    public func bind(_ query: Query) throws -> LogicalPlan {
        try bindQuery(query, outer: nil)
    }

    /// Binds a standalone expression over no columns (INSERT values, LIMIT).
    public func bindConstantExpression(_ expr: Expr) throws -> BoundExpr {
        try bindExpr(expr, ExprContext(scope: BindScope(parent: nil), clause: "VALUES"))
    }

    /// An execution context for evaluating constants at bind time.
    var constantContext: ExecutionContext {
        ExecutionContext(now: now, cancellation: CancellationToken(), catalog: catalog)
    }

    /// Runs `body` one level deeper, failing cleanly past the cap.
    func nested<T>(_ range: SourceRange, _ body: () throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Binder.maxDepth { throw BindError.nestedTooDeeply(range: range) }
        return try body()
    }

    /// The text of a range of the statement (for naming unaliased select items).
    func text(_ range: SourceRange) -> String {
        var t = source.text(range)
        while let f = t.first, f == " " || f == "\n" || f == "\t" || f == "\r" { t.removeFirst() }
        while let l = t.last, l == " " || l == "\n" || l == "\t" || l == "\r" { t.removeLast() }
        return t
    }
}

/// A WITH name: its bound plan and output column names.
struct CTEBinding {
    var plan: LogicalPlan
    var names: [String]
}

/// Where an expression is bound: the names it sees, the clause it sits in (for the message
/// when an aggregate is not allowed there), and, after GROUP BY, the grouping it must obey.
struct ExprContext {
    var scope: BindScope
    var clause: String
    var grouping: Grouping?
    /// Where window functions may stand (the select list, ORDER BY, QUALIFY): their collector.
    var windowing: Windowing?
    /// Where unnest may stand (the select list, ORDER BY): its collector.
    var unnesting: Unnesting?

    init(scope: BindScope, clause: String, grouping: Grouping? = nil) {
        self.scope = scope
        self.clause = clause
        self.grouping = grouping
    }

    /// The same scope, outside any grouping (the arguments of an aggregate; group keys).
    func plain(_ clause: String) -> ExprContext {
        ExprContext(scope: scope, clause: clause)
    }
}

/// The groups and aggregates of a grouped SELECT. Expressions bound under it refer to the
/// aggregate's output: group `i` is column `i`, aggregate `j` is column `groups.count + j`.
final class Grouping {
    let groups: [BoundExpr]
    private var groupIndex: [String: Int] = [:]
    private(set) var aggregates: [BoundAggregate] = []
    private var aggregateIndex: [String: Int] = [:]

    init(groups: [BoundExpr]) {
        self.groups = groups
        for (i, g) in groups.enumerated() where groupIndex[g.structuralKey] == nil {
            groupIndex[g.structuralKey] = i
        }
    }

    /// The output column of a group equal to `expr`, if there is one.
    func column(ofGroup expr: BoundExpr) -> Int? { groupIndex[expr.structuralKey] }

    /// The output column of `aggregate`, adding it if it is new.
    func column(of aggregate: BoundAggregate) -> Int {
        let key = aggregate.structuralKey
        if let j = aggregateIndex[key] { return groups.count + j }
        aggregates.append(aggregate)
        aggregateIndex[key] = aggregates.count - 1
        return groups.count + aggregates.count - 1
    }

    /// Names of the aggregate node's output columns.
    var names: [String] { groups.map(\.description) + aggregates.map(\.description) }
}

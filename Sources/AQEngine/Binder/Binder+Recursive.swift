// WITH RECURSIVE: a WITH query `anchor UNION [ALL] step` whose step names the query itself.
// It is evaluated while the statement is bound, into a table that the query then scans:
// the anchor's rows first, then the step again and again over the rows the round before
// added, until a round adds none (UNION drops rows already seen). A query that keeps adding
// rows is stopped after `maxRecursionRounds` rounds with an error at its name.

import AQSyntax

extension Binder {
    /// Rounds a recursive WITH query may take before it is stopped.
    public static let maxRecursionRounds = 100_000

    /// The binding of a recursive WITH query, or nil when `cte` does not name itself (it is
    /// then an ordinary one).
    func bindRecursiveCTE(_ cte: CommonTableExpression, outer: BindScope?) throws -> CTEBinding? {
        let query = cte.query
        guard case .setOperation(.union, let all, let anchorBody, let stepBody, _) = query.body,
              query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil,
              Binder.names(cte.name.name, in: stepBody) else { return nil }
        guard let run = runPlan else { throw BindError.recursionUnavailable(range: cte.name.range) }
        let anchor = try bindBody(anchorBody, outer: outer)
        let names = try renamed(anchor.schema.map(\.name), by: cte.columnNames, range: cte.name.range)
        let types = anchor.schema.map { $0.type == .null ? DataType.integer : $0.type }
        let schema = zip(names, types).map { ColumnSchema(name: $0, type: $1) }
        let work = Table(name: cte.name.name, columns: schema)
        let result = Table(name: cte.name.name, columns: schema)
        let key = cte.name.name.lowercased()
        let workScan = LogicalScan(table: work, columns: Array(schema.indices), alias: cte.name.name)
        ctes[ctes.count - 1][key] = CTEBinding(plan: .scan(workScan), names: names)
        var step = try bindBody(stepBody, outer: outer)
        guard step.schema.count == schema.count else {
            throw BindError.recursiveColumnCount(cte.name.name, anchor: schema.count, step: step.schema.count,
                                                 range: cte.name.range)
        }
        step = castColumns(step, to: types)
        let seen = all ? nil : KeyTable(types: types)

        /// Makes `batches` the working rows (less those seen before, for UNION); the count kept.
        func keep(_ batches: [Batch]) -> Int {
            work.truncate()
            var kept = 0
            for batch in batches where batch.count > 0 {
                var rows = Binder.stored(batch, as: types)
                if let seen {
                    var next = Int(seen.count)
                    var fresh: [Int32] = []
                    // New keys get consecutive ids: a row is new when its id is the next one.
                    for (row, id) in seen.findOrInsert(rows.columns, count: rows.count).enumerated() where Int(id) == next {
                        fresh.append(Int32(row))
                        next += 1
                    }
                    if fresh.isEmpty { continue }
                    if fresh.count < rows.count { rows = rows.gather(fresh) }
                }
                work.append(rows)
                result.append(rows)
                kept += rows.count
            }
            return kept
        }

        var added = keep(try run(castColumns(anchor, to: types)))
        var rounds = 0
        while added > 0 {
            rounds += 1
            if rounds > Binder.maxRecursionRounds {
                throw BindError.recursionLimit(cte.name.name, rounds: Binder.maxRecursionRounds, range: cte.name.range)
            }
            added = keep(try run(step))
        }
        let scan = LogicalScan(table: result, columns: Array(schema.indices), alias: cte.name.name)
        return CTEBinding(plan: .scan(scan), names: names)
    }

    /// A batch as a table of `types` stores it (a column of bare NULLs typed).
    private static func stored(_ batch: Batch, as types: [DataType]) -> Batch {
        var columns = batch.columns
        for i in columns.indices where i < types.count {
            if case .null = columns[i].storage {
                columns[i] = Vector.nulls(type: types[i], count: batch.count)
            } else {
                columns[i].type = types[i]
            }
        }
        return Batch(columns: columns, count: batch.count)
    }

    /// Whether a FROM clause of `body` (or of a query nested in one) names `name`.
    static func names(_ name: String, in body: QueryBody) -> Bool {
        switch body {
        case .select(let select):
            return select.from.map { names(name, in: $0) } ?? false
        case .setOperation(_, _, let l, let r, _):
            return names(name, in: l) || names(name, in: r)
        case .nested(let query):
            return names(name, in: query)
        case .values:
            return false
        }
    }

    /// The same for a query, its WITH entries included.
    private static func names(_ name: String, in query: Query) -> Bool {
        query.with.contains { names(name, in: $0.query) } || names(name, in: query.body)
    }

    private static func names(_ name: String, in ref: TableReference) -> Bool {
        switch ref {
        case .table(let n, _, _): return BindScope.same(n.name, name)
        case .subquery(let q, _, _, _): return names(name, in: q)
        case .join(_, let l, let r, _, _): return names(name, in: l) || names(name, in: r)
        case .function: return false
        }
    }
}

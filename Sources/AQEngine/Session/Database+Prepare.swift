// The pipeline, top to bottom, in one place: a statement's syntax tree is bound to a
// logical plan, the optimizer rewrites it, the executor runs it into batches of columns.
// (The text was parsed by `Database.execute`.)

import AQSyntax
import Glibc

extension Database {
    /// A statement's context: `now()` fixed once, its cancellation token, the session's
    /// thread count, the parameters bound to it.
    func context(cancellation: CancellationToken, parameters: [String: Value] = [:]) -> ExecutionContext {
        let context = ExecutionContext(now: Database.currentTime(), cancellation: cancellation, catalog: catalog,
                                       threads: settings.threads)
        context.parameters = parameters
        return context
    }

    /// Whether a statement only reads (and may run beside other readers).
    static func onlyReads(_ statement: Statement) -> Bool {
        switch statement.kind {
        case .query, .timeline, .summary, .explain, .explainAnalyze, .showTables, .describe, .showSources: return true
        default: return false
        }
    }

    /// Runs one parsed statement to its whole result (a query's rows are collected; `Rows`
    /// streams them instead). The caller holds the lock.
    func run(_ statement: Statement, source: Source, context: ExecutionContext) throws -> StatementResult {
        switch statement.kind {
        case .load, .insert, .createTable, .copy: try materializeTables()
        default: break
        }
        switch statement.kind {
        case .query, .timeline, .summary:
            guard let plan = try prepare(statement, source: source, context: context) else { break }
            var result = try execute(plan, context: context)
            result.notes = coverageNotes(plan, context: context)
            return result
        case .explain(let inner):
            guard let plan = try prepare(inner, source: source, context: context) else {
                throw BindError.misplaced(.explainNonQuery, range: inner.range)
            }
            return Database.textRows(column: "plan", plan.explainLines)
        case .explainAnalyze(let inner):
            guard let plan = try prepare(inner, source: source, context: context) else {
                throw BindError.misplaced(.explainNonQuery, range: inner.range)
            }
            return Database.textRows(column: "plan", try Executor.analyze(plan, context))
        case .createTable(let create):
            return try createTable(create, source: source, context: context)
        case .insert(let insert):
            return try insertInto(insert, statement: statement, source: source, context: context)
        case .dropTable(let name, let ifExists):
            return try dropTable(name, ifExists: ifExists)
        case .createView(let create):
            return try createView(create, source: source, context: context)
        case .dropView(let name, let ifExists):
            return try dropView(name, ifExists: ifExists)
        case .createSequence(let create):
            return try createSequence(create)
        case .dropSequence(let name, let ifExists):
            return try dropSequence(name, ifExists: ifExists)
        case .showTables:
            return Database.textRows(column: "name", (catalog.tableNames + catalog.viewNames).sorted())
        case .describe(let name):
            return try describe(name)
        case .load(let load):
            return try runLoad(load)
        case .open(let path, let pathRange):
            do {
                return try openUnlocked(path: path)
            } catch let error as StoreFileError {
                throw StoreFileError.at(error, range: pathRange)
            }
        case .save(let path, let pathRange):
            do {
                return try saveUnlocked(path: path)
            } catch let error as StoreFileError {
                guard let pathRange else { throw error }
                throw StoreFileError.at(error, range: pathRange)
            }
        case .set(let setting):
            try settings.apply(setting)
            return StatementResult(message: "")
        case .setVariable(let name, let value):
            try setVariable(name, value, source: source, context: context)
            return StatementResult(message: "")
        case .showSources:
            return try showSources()
        case .copy(let copy):
            return try self.copy(copy, source: source, context: context)
        case .explainClickHouse(let inner):
            return Database.textRows(column: "clickhouse", try clickHouseSQL(of: inner, source: source).split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        case .explainClickHouseDDL(let location):
            return Database.textRows(column: "clickhouse", clickHouseDDL(location: location).split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        case .showRawPaths(let table):
            return try showRawPaths(table)
        }
        return StatementResult(message: "")
    }

    /// The optimized plan of a statement that reads rows (a query, TIMELINE, SUMMARY), or
    /// nil for any other statement.
    func prepare(_ statement: Statement, source: Source, context: ExecutionContext) throws -> LogicalPlan? {
        let bound: LogicalPlan
        switch statement.kind {
        case .query(let query): bound = try binder(source, context).bind(query)
        case .timeline(let q): bound = try binder(source, context).bindTimeline(q)
        case .summary(let q): bound = try binder(source, context).bindSummary(q)
        default: return nil
        }
        return try optimize(bound, context: context)
    }

    /// A binder for one statement, with the session's settings and variables.
    func binder(_ source: Source, _ context: ExecutionContext) -> Binder {
        let binder = Binder(catalog: catalog, source: source, now: context.now)
        binder.settings = settings
        binder.variables = context.parameters.isEmpty ? variables : variables.merging(context.parameters) { $1 }
        binder.userFunctions = userFunctions
        binder.runPlan = { [unowned self] plan in
            try context.cancellation.check()
            return try Executor.run(try self.optimize(plan, context: context), context)
        }
        return binder
    }

    /// Syntax tree → bound plan → optimized plan.
    func prepare(_ query: Query, source: Source, context: ExecutionContext) throws -> LogicalPlan {
        try optimize(try binder(source, context).bind(query), context: context)
    }

    /// A binder for one statement, with the session's settings and a way to run plans
    /// (for WITH RECURSIVE), each run checking for cancellation first.
    func optimize(_ plan: LogicalPlan, context: ExecutionContext) throws -> LogicalPlan {
        try optimizer.optimize(plan, context: context)
    }

    /// Optimized plan → rows.
    func execute(_ plan: LogicalPlan, context: ExecutionContext) throws -> StatementResult {
        let batches = try Executor.run(plan, context)
        return StatementResult(columns: plan.schema, batches: batches)
    }

    /// A one-column VARCHAR result (SHOW TABLES, EXPLAIN).
    static func textRows(column: String, _ lines: [String]) -> StatementResult {
        textTable([column], lines.map { [$0] })
    }

    /// A result of VARCHAR columns from rows of optional strings (nil is NULL).
    static func textTable(_ columns: [String], _ rows: [[String?]]) -> StatementResult {
        var batches: [Batch] = []
        var start = 0
        while start < rows.count {
            let end = min(start + Batch.capacity, rows.count)
            var builders = columns.map { _ in VectorBuilder(type: .varchar) }
            for row in rows[start..<end] {
                for c in columns.indices { builders[c].append(row[c].map { .varchar($0) } ?? .null) }
            }
            batches.append(Batch(columns: builders.map { $0.build() }, count: end - start))
            start = end
        }
        return StatementResult(columns: columns.map { ColumnSchema(name: $0, type: .varchar) }, batches: batches)
    }

    /// UTC nanoseconds now.
    static func currentTime() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

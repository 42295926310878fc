// What the loaded logs cover: SHOW SOURCES (files, rows, skipped records, first and last
// event time per provider and format), the note after a query whose time window reaches
// outside that, and SET VARIABLE for the `$name` parameters.

import AQSyntax

/// The loaded events of one provider and format: how many, and the time they span.
struct SourceCoverage {
    var provider: String
    var format: String
    var rows: Int
    /// UTC nanoseconds; nil when no row of the source has a time.
    var first: Int64?
    var last: Int64?
}

extension Database {
    /// `SET VARIABLE name = expression`: the expression runs once, as `SELECT expression`
    /// would, and its value is kept.
    func setVariable(_ name: Identifier, _ value: Expr, source: Source, context: ExecutionContext) throws {
        let select = Select(items: [.expression(value, alias: nil)], range: value.range)
        let plan = try prepare(Query(body: .select(select), range: value.range), source: source, context: context)
        let result = try execute(plan, context: context)
        variables[name.name] = result.rowCount == 0 ? .null : result.value(row: 0, column: 0)
    }

    /// `SHOW SOURCES`: one row per provider and format, or a message when nothing is loaded.
    func showSources() throws -> StatementResult {
        let coverage = try sourceCoverage()
        if coverage.isEmpty && loadedFiles.isEmpty {
            let store = storePath.map { " (store: \($0)" + (storeHash.map { ", content hash \(ContentHash.text($0))" } ?? "") + ")" } ?? ""
            return StatementResult(message: "nothing loaded\(store): load audit logs with LOAD 'path' (or aq --load PATH)")
        }
        var keys = coverage.map { [$0.provider, $0.format] }
        for file in loadedFiles where !file.format.isEmpty {
            let key = [AuditLogFormat(rawValue: file.format)?.provider ?? "", file.format]
            if !keys.contains(key) { keys.append(key) }
        }
        keys.sort { $0.lexicographicallyPrecedes($1) }
        let names = ["provider", "format", "files", "rows", "skipped", "first_time", "last_time"]
        let types: [DataType] = [.varchar, .varchar, .integer, .integer, .integer, .timestamp, .timestamp]
        var builders = types.map { VectorBuilder(type: $0) }
        for key in keys {
            let files = loadedFiles.filter { $0.format == key[1] }
            let c = coverage.first { [$0.provider, $0.format] == key }
            let row: [Value] = [.varchar(key[0]), .varchar(key[1]), .integer(Int64(files.count)),
                                .integer(Int64(c?.rows ?? 0)), .integer(Int64(files.reduce(0) { $0 + $1.skipped })),
                                c?.first.map { .timestamp($0) } ?? .null, c?.last.map { .timestamp($0) } ?? .null]
            for (i, v) in row.enumerated() { builders[i].append(v) }
        }
        let columns = zip(names, types).map { ColumnSchema(name: $0, type: $1) }
        var result = StatementResult(columns: columns, batches: [Batch(columns: builders.map { $0.build() }, count: keys.count)])
        if let storePath { result.notes.append("store: \(storePath)" + (storeHash.map { " (content hash \(ContentHash.text($0)))" } ?? "")) }
        return result
    }

    /// Rows and time span per provider and format of `events`, sorted by both; computed once
    /// per size of the table.
    func sourceCoverage() throws -> [SourceCoverage] {
        guard let events = catalog.table(named: "events") else { return [] }
        let cached = coverageLock.locked { coverageCache }
        if let cached, cached.table === events, cached.rows == events.rowCount { return cached.coverage }
        let result = try nestedQuery("SELECT provider, format, count(*), min(time), max(time) FROM events "
                                     + "GROUP BY provider, format ORDER BY provider, format")
        let coverage = result.rows.map { row -> SourceCoverage in
            func text(_ v: Value) -> String { if case .varchar(let s) = v { return s } else { return "" } }
            func time(_ v: Value) -> Int64? { if case .timestamp(let t) = v { return t } else { return nil } }
            var rows = 0
            if case .integer(let n) = row[2] { rows = Int(n) }
            return SourceCoverage(provider: text(row[0]), format: text(row[1]), rows: rows,
                                  first: time(row[3]), last: time(row[4]))
        }
        coverageLock.locked { coverageCache = CoverageCache(table: events, rows: events.rowCount, coverage: coverage) }
        return coverage
    }

    /// The note for a query whose time window on `events` reaches outside what is loaded
    /// (none when the window is inside every source, or the query has no time window).
    func coverageNotes(_ plan: LogicalPlan, context: ExecutionContext) -> [String] {
        let now = context.now
        guard let events = catalog.table(named: "events"),
              let window = TimeWindow.find(in: plan, events: events, context: context),
              let coverage = try? sourceCoverage() else { return [] }
        let outside = coverage.filter { c in
            guard let first = c.first, let last = c.last else { return false }
            return !window.isInside(first: first, last: last)
        }
        guard !outside.isEmpty else { return [] }
        let covers = outside.map { c -> String in
            guard let first = c.first, let last = c.last else { return "" }
            let days = TimeWindow.day(last) - TimeWindow.day(first) + 1
            return "\(c.provider)/\(c.format) covers \(TimeWindow.date(first)) to \(TimeWindow.date(last))"
                + " (\(Database.count(Int(days), "day")))"
        }
        return ["note: asked for \(window.describe(now: now)); " + covers.joined(separator: "; ")]
    }
}

/// Remembers the coverage of one state of `events`.
struct CoverageCache {
    var table: Table
    var rows: Int
    var coverage: [SourceCoverage]
}

/// The time window a plan asks `events` for: `time >= lower`, `time < upper` (either may be
/// open), read from the constant comparisons on `time` in a scan's filters.
struct TimeWindow {
    var lower: Int64?
    /// Exclusive.
    var upper: Int64?

    static let dayNanos: Int64 = 86_400_000_000_000
    static let hourNanos: Int64 = 3_600_000_000_000

    /// The window of the first scan of `events` in `plan` that compares `time` with a
    /// constant, or nil.
    static func find(in plan: LogicalPlan, events: Table, context: ExecutionContext) -> TimeWindow? {
        var found: TimeWindow?
        func visit(_ p: LogicalPlan) {
            guard found == nil else { return }
            switch p {
            case .scan(let scan) where scan.table === events:
                guard let time = scan.columns.firstIndex(of: EventColumn.time.rawValue) else { return }
                found = window(scan.filters.flatMap(\.conjuncts), time: time, context: context)
            case .filter(.scan(let scan), let predicate) where scan.table === events:
                guard let time = scan.columns.firstIndex(of: EventColumn.time.rawValue) else { return }
                found = window(scan.filters.flatMap(\.conjuncts) + predicate.conjuncts, time: time, context: context)
            default:
                p.inputs.forEach(visit)
            }
        }
        visit(plan)
        return found
    }

    /// The bounds that conjuncts `time op constant` set, or nil when there are none.
    private static func window(_ conjuncts: [BoundExpr], time: Int, context: ExecutionContext) -> TimeWindow? {
        var w = TimeWindow()
        for c in conjuncts {
            guard case .compare(var op, var a, var b) = c.kind else { continue }
            if case .column(time, _) = b.kind { swap(&a, &b); op = op.flipped }
            guard case .column(time, _) = a.kind, b.isColumnFree, !b.containsSubquery, !b.containsParameter,
                  let value = try? ConstantEvaluator.evaluate(b, context),
                  case .timestamp(let t) = value else { continue }
            switch op {
            case .greaterEqual: w.lower = max(w.lower ?? t, t)
            case .greater: w.lower = max(w.lower ?? t + 1, t + 1)
            case .less: w.upper = min(w.upper ?? t, t)
            case .lessEqual: w.upper = min(w.upper ?? t + 1, t + 1)
            case .equal:
                w.lower = max(w.lower ?? t, t)
                w.upper = min(w.upper ?? t + 1, t + 1)
            case .notEqual: break
            }
        }
        return w.lower == nil && w.upper == nil ? nil : w
    }

    /// Whether the window lies within the days from `first` to `last`.
    func isInside(first: Int64, last: Int64) -> Bool {
        let from = TimeWindow.day(first), to = TimeWindow.day(last)
        if let lower, TimeWindow.day(lower) < from || TimeWindow.day(lower) > to { return false }
        if let upper, TimeWindow.day(upper - 1) > to || TimeWindow.day(upper - 1) < from { return false }
        return true
    }

    /// `30 days before 2024-03-10`, `2024-03-01 to 2024-03-20`, `times before 2024-03-01`.
    func describe(now: Int64) -> String {
        switch (lower, upper) {
        case (let l?, nil):
            let span = now - l
            if span > 0 && span % TimeWindow.dayNanos == 0 {
                return "\(Database.count(Int(span / TimeWindow.dayNanos), "day")) before \(TimeWindow.date(now))"
            }
            if span > 0 && span % TimeWindow.hourNanos == 0 {
                return "\(Database.count(Int(span / TimeWindow.hourNanos), "hour")) before \(TimeWindow.moment(now))"
            }
            return "times from \(TimeWindow.moment(l))"
        case (let l?, let u?):
            return "\(TimeWindow.moment(l)) to \(TimeWindow.moment(u))"
        case (nil, let u?):
            return "times before \(TimeWindow.moment(u))"
        case (nil, nil):
            return "any time"
        }
    }

    /// Days since 1970-01-01 (floor).
    static func day(_ t: Int64) -> Int64 {
        t >= 0 ? t / dayNanos : (t - dayNanos + 1) / dayNanos
    }

    static func date(_ t: Int64) -> String { TimeMath.formatDate(day(t)) }

    /// A date when the time is midnight, else the timestamp.
    static func moment(_ t: Int64) -> String {
        t % dayNanos == 0 ? date(t) : TimeMath.formatTimestamp(t)
    }
}

extension Database {
    /// `SHOW RAW PATHS [FROM table]`: per JSON column with sub-columns, each path that a
    /// query reads from a sub-column (`json_extract_string(raw, '$.path')`), with the kinds
    /// of its values, the rows that hold it and the share of the table's chunks that have it
    /// (the other chunks answer from the text).
    func showRawPaths(_ name: Identifier?) throws -> StatementResult {
        let table = try name.map(existingTable) ?? catalog.table(named: Table.eventsName)
        guard let table else {
            return StatementResult(message: "nothing loaded: load audit logs with LOAD 'path' (or aq --load PATH)")
        }
        var rows: [[Value]] = []
        for c in table.paths.keys.sorted() {
            for (path, summary) in (table.paths[c] ?? [:]).sorted(by: { $0.key < $1.key }) {
                rows.append([.varchar(table.columns[c].name), .varchar(path.text),
                             .varchar(summary.kinds.sorted().joined(separator: ", ")),
                             .integer(Int64(summary.rows)),
                             .double(table.chunkCount == 0 ? 0 : Double(summary.chunks) / Double(table.chunkCount))])
            }
        }
        let names = ["column", "path", "types", "rows", "chunk_share"]
        let types: [DataType] = [.varchar, .varchar, .varchar, .integer, .double]
        var builders = types.map { VectorBuilder(type: $0) }
        for row in rows { for (i, v) in row.enumerated() { builders[i].append(v) } }
        let columns = zip(names, types).map { ColumnSchema(name: $0, type: $1) }
        return StatementResult(columns: columns, batches: [Batch(columns: builders.map { $0.build() }, count: rows.count)])
    }
}

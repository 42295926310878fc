// The engine's public face: a database holds tables and runs statements through the pipeline
// of Database+Prepare (parse → bind → optimize → execute), each as a `Rows` (Rows.swift).

import AQSyntax

/// An in-memory aq database.
///
/// Thread safety: a database may be used from many threads at once. Statements that only read
/// (queries, EXPLAIN, DESCRIBE, SHOW) run side by side; a statement that changes something
/// (LOAD, CREATE, INSERT, SET, …), an `Appender`'s flush, `createFunction` and `close` run
/// alone. A `Rows`, `PreparedStatement` or `Appender` is used by one thread at a time (only
/// `Rows.cancel()` and `Database.interrupt()` may be called from any thread). The properties
/// `settings`, `optimizer`, `threads`, `variables` and `loadProgress` are set before the
/// database is shared; while it is shared, `SET` statements change settings.
///
///     let db = Database()
///     let result = try db.query("SELECT 1 + 1 AS two")
///     result.value(row: 0, column: 0)   // .integer(2)
public final class Database: @unchecked Sendable {
    public let catalog = Catalog()
    /// Set by the shell's Ctrl-C handler; the running statement stops with `cancelled`.
    public let cancellation = CancellationToken()
    /// Called during long loads with progress, for a terminal progress bar.
    public var loadProgress: ((LoadProgress) -> Void)?
    /// The optimizer's passes; tests and EXPLAIN experiments may switch some off.
    public var optimizer = Optimizer()
    /// Settings changed by `SET` (where NULLs sort by default).
    public var settings = SessionSettings()
    /// Values of `$name` and `getvariable('name')` by lower-case name: from `SET VARIABLE`,
    /// the command line's `--param name=value`, or an embedding program.
    public var variables: [String: Value] = [:]
    /// The files each `LOAD` into `events` read, in order, for SHOW SOURCES.
    var loadedFiles: [FileLoadReport] = []
    /// The `events` table whose rows the records' `firstRow`s number (Database+LoadedRows).
    weak var rowsTable: Table?
    /// The store file opened or saved last (`SAVE` without a name writes there).
    var storePath: String?
    /// The content hash of `storePath` as last opened or saved (nil for a version 1 file).
    var storeHash: UInt64?
    /// The time span of each source in `events`, for the coverage note (Database+Sources).
    var coverageCache: CoverageCache?
    let coverageLock = PlainMutex()
    /// Shared by statements that read, held alone by statements that write.
    let lock = ReadWriteLock()
    /// The time and row limits (the memory limit is `settings.memoryLimit`).
    var timeLimit: Double?
    var resultRowLimit: Int?
    /// Functions registered by the embedding program.
    var userFunctions = UserFunctions()
    var isClosed = false
    /// The cancellation tokens of statements running now, for `interrupt()`.
    let running = RunningStatements()

    /// How many threads a query runs on (`SET threads = n`); 1 runs every query on the
    /// calling thread. Values are clamped to 1 … `SessionSettings.maxThreads`.
    public var threads: Int {
        get { settings.threads }
        set { settings.threads = Swift.min(Swift.max(1, newValue), SessionSettings.maxThreads) }
    }

    /// An empty database, with `limits` on every statement (see `Limits`).
    public init(limits: Limits = Limits()) {
        settings.memoryLimit = limits.memory
        timeLimit = limits.time
        resultRowLimit = limits.resultRows
    }

    /// The limits every statement runs under: memory (the same budget as
    /// `SET memory_limit`), time and result rows. A statement may narrow them
    /// (`PreparedStatement.limits`).
    public var limits: Limits {
        get { lock.reading { Limits(memory: settings.memoryLimit, time: timeLimit, resultRows: resultRowLimit) } }
        set {
            lock.writing {
                settings.memoryLimit = newValue.memory
                timeLimit = newValue.time
                resultRowLimit = newValue.resultRows
            }
        }
    }

    /// Runs every statement of `source` in order, calling `onResult` after each, and stops at
    /// the first error, which it throws as an `AQError` (statements before it have taken
    /// effect).
    public func execute(_ source: Source, onResult: (StatementResult) throws -> Void) throws {
        try stream(source) { rows in try onResult(try rows.collect()) }
    }

    /// Runs every statement of `source` in order, handing each to `each` as a `Rows` to read
    /// while it runs (a query's rows are made as they are read, so a result larger than
    /// memory can be written out batch by batch), and stops at the first error. The memory
    /// watch and Ctrl-C cover `each` too.
    public func stream(_ source: Source, each: (Rows) throws -> Void) throws {
        for parsed in Parser.parseScript(source) {
            switch parsed {
            case .error(let error):
                throw AQError(error, source: source)
            case .statement(let statement):
                try watchingMemory {
                    let rows = try Rows(database: self, statement: statement, source: source, parameters: [:],
                                        limits: Limits())
                    try each(rows)
                }
            }
        }
    }

    /// Runs `sql` (one or more statements) and returns the last statement's result.
    @discardableResult
    public func query(_ sql: String) throws -> StatementResult {
        var last = StatementResult(message: "")
        try execute(Source(sql)) { last = $0 }
        return last
    }

    /// Prepares one statement to run many times with different parameters: the text is
    /// parsed once; `$name`, `$1` and `?` in it are bound by `PreparedStatement.query`.
    public func prepare(_ sql: String) throws -> PreparedStatement {
        try PreparedStatement(database: self, source: Source(sql))
    }

    /// Loads audit logs into `events`, reporting progress to `loadProgress`: the one way in
    /// for the `LOAD` statement and the shell's `--load` and `.load`. `describe(_:)` words
    /// the report. Past the memory limit, nothing is loaded and the error says so.
    @discardableResult
    ///
    /// Files an earlier load (or the opened store) read are passed over and counted in the
    /// report's `passedOver` (unchanged, touched: `KnownFiles`), unless `force` is set. A file
    /// read again (changed since, or `force`) replaces the rows it gave before
    /// (`report.replaced`, Database+LoadedRows), when which rows those are is known.
    public func load(path: String, format: String? = nil, force: Bool = false) throws -> LoadReport {
        try writing { try loadUnlocked(path: path, format: format, force: force) }
    }

    func loadUnlocked(path: String, format: String?, force: Bool = false) throws -> LoadReport {
        let base = catalog.table(named: Table.eventsName)?.rowCount ?? 0
        // Where each earlier file's rows are is known: a changed file (or any, with FORCE) is
        // read again and its earlier rows are replaced.
        let replacing = knowsRowsOfLoadedFiles
        do {
            var report = try watchingMemory {
                try keepingConstraints {
                    try withinMemoryLimit(settings.memoryLimit) {
                        try AuditLogLoader.load(path: path, format: format, into: catalog, cancellation: cancellation,
                                                maxFileBytes: memoryWatchLimit,
                                                known: force ? [] : loadedFiles.compactMap { f in f.identity.map { ($0, f.rows) } },
                                                readingChanged: replacing, progress: loadProgress)
                    }
                }
            }
            // A touched file's record takes its new modification time, so that the next load
            // passes over it without reading it again.
            for now in report.passedOver.touched {
                for i in loadedFiles.indices where loadedFiles[i].identity?.canonicalPath == now.canonicalPath {
                    loadedFiles[i].identity = now
                }
            }
            recordLoaded(report.files, from: base)
            if replacing { report.replaced = replaceEarlierRows(of: report.files) }
            report.gone = goneFiles(under: path)
            return report
        } catch let stopped as LoadStopped {
            // What was read before the stop stays loaded, and is a source like any other: a
            // file read whole replaces the rows it gave before. A file the stop cut short
            // (a gzip stream that breaks off) whose earlier rows are known keeps those, and
            // not its part read now, so that nothing already loaded is lost.
            let kept = stopped.kept.filter { $0.rows > 0 }
            recordLoaded(kept, from: base)
            if replacing {
                let known = Set(loadedFiles.dropLast(kept.count).compactMap { $0.identity?.canonicalPath })
                // (The cut file has no identity: it is not recorded as read.)
                if let cut = kept.last, cut.linesRead != nil,
                   known.contains(InputPaths.resolved(cut.path) ?? cut.path),
                   let first = loadedFiles.last?.firstRow {
                    catalog.table(named: Table.eventsName)?.removeRows([first..<first + cut.rows])
                    loadedFiles.removeLast()
                    _ = replaceEarlierRows(of: Array(kept.dropLast()))
                } else {
                    _ = replaceEarlierRows(of: kept)
                }
            }
            throw stopped
        }
    }

    /// The most memory a statement or load may make the process take: `memory_limit`, else
    /// `MemorySize.defaultLimit` (a share of the machine's memory). A single file a load reads
    /// may not take more either.
    var memoryWatchLimit: Int { settings.memoryLimit.map { Swift.min($0, MemorySize.defaultLimit) } ?? MemorySize.defaultLimit }

    /// Runs `body` under the memory watch: past `MemorySize.defaultLimit` held, or past
    /// `memory_limit` of growth, the running statements stop with `limitExceeded(.memory)`.
    func watchingMemory<T>(_ body: () throws -> T) rethrows -> T {
        try MemoryWatch.during(ceiling: MemorySize.defaultLimit, growth: settings.memoryLimit, token: cancellation, body)
    }

    /// Sets `$name` (as `SET VARIABLE name = value` does); a string stays a string.
    public func setVariable(_ name: String, _ value: Value) {
        lock.writing { variables[name.lowercased()] = value }
    }

    /// Names the shell completes: tables and views with their columns, in catalog order, and
    /// every callable function.
    public var completionNames: CompletionNames {
        lock.reading {
            let tables = catalog.allTables.map { (name: $0.name, columns: $0.columns.map(\.name)) }
                + catalog.allViews.map { (name: $0.name, columns: $0.columns.map(\.name)) }
            return CompletionNames(tables: tables, functions: (Binder.functionNames + userFunctions.names).sorted())
        }
    }

    /// Stops every statement of this database that is running now (from any thread): each
    /// fails with `cancelled`. Statements started afterwards run as usual.
    public func interrupt() {
        running.cancelAll()
    }

    /// Closes the database: running statements are interrupted, the tables are dropped, and
    /// every later call on it, its prepared statements, results and appenders fails with
    /// `the database is closed`. Closing twice does nothing.
    public func close() {
        interrupt()
        lock.writing {
            isClosed = true
            for name in catalog.tableNames { catalog.remove(named: name) }
            for name in catalog.viewNames { catalog.removeView(named: name) }
        }
    }

    /// Runs `body` holding the lock alone, after checking the database is open.
    func writing<T>(_ body: () throws -> T) throws -> T {
        try lock.writing {
            guard !isClosed else { throw AQError.api(.databaseClosed) }
            return try body()
        }
    }
}

/// The cancellation tokens of the statements running now.
final class RunningStatements: @unchecked Sendable {
    private let mutex = PlainMutex()
    private var tokens: [ObjectIdentifier: CancellationToken] = [:]

    func add(_ token: CancellationToken) { mutex.locked { tokens[ObjectIdentifier(token)] = token } }
    func remove(_ token: CancellationToken) { mutex.locked { _ = tokens.removeValue(forKey: ObjectIdentifier(token)) } }
    func cancelAll() { mutex.locked { for token in tokens.values { token.cancel() } } }
}

/// The names completion offers: a snapshot of the catalog and the function library.
public struct CompletionNames: Sendable {
    /// Tables and their columns, in catalog order.
    public var tables: [(name: String, columns: [String])]
    public var functions: [String]

    public init(tables: [(name: String, columns: [String])] = [], functions: [String] = []) {
        self.tables = tables
        self.functions = functions
    }
}

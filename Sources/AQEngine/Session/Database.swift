// The engine's public face: a database holds tables and runs statements, one after another,
// through the pipeline of Database+Prepare (parse → bind → optimize → execute).

import AQSyntax

/// An in-memory aq database. Not thread-safe: one statement at a time (only `cancellation`
/// may be used from another thread).
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
    /// The time span of each source in `events`, for the coverage note (Database+Sources).
    var coverageCache: CoverageCache?
    /// Whether a statement or load is running under the memory watch.
    private var memoryWatched = false

    /// How many threads a query runs on (`SET threads = n`); 1 runs every query on the
    /// calling thread. Values are clamped to 1 … `SessionSettings.maxThreads`.
    public var threads: Int {
        get { settings.threads }
        set { settings.threads = Swift.min(Swift.max(1, newValue), SessionSettings.maxThreads) }
    }

    public init() {}

    /// Runs every statement of `source` in order, calling `onResult` after each, and stops at
    /// the first error, which it throws as an `AQError` (statements before it have taken
    /// effect).
    public func execute(_ source: Source, onResult: (StatementResult) throws -> Void) throws {
        for parsed in Parser.parseScript(source) {
            switch parsed {
            case .error(let error):
                throw AQError(error, source: source)
            case .statement(let statement):
                let result: StatementResult
                do {
                    result = try watchingMemory { try DeepStack.run { try run(statement, source: source) } }
                } catch let error as AQError {
                    throw error
                } catch let error as any Diagnostic {
                    throw AQError(error, source: source)
                } catch {
                    throw AQError(ExecutionError.failed("\(error)", range: statement.range), source: source)
                }
                try onResult(result)
            }
        }
    }

    /// Runs `sql` and returns the last statement's result.
    @discardableResult
    public func query(_ sql: String) throws -> StatementResult {
        var last = StatementResult(message: "")
        try execute(Source(sql)) { last = $0 }
        return last
    }

    /// Loads audit logs into `events`, reporting progress to `loadProgress`: the one way in
    /// for the `LOAD` statement and the shell's `--load` and `.load`. `describe(_:)` words
    /// the report.
    @discardableResult
    public func load(path: String, format: String? = nil) throws -> LoadReport {
        do {
            let report = try watchingMemory {
                try keepingConstraints {
                    try AuditLogLoader.load(path: path, format: format, into: catalog, cancellation: cancellation,
                                            maxFileBytes: settings.memoryLimit > 0 ? settings.memoryLimit : Int.max,
                                            progress: loadProgress)
                }
            }
            loadedFiles += report.files
            return report
        } catch let stopped as LoadStopped {
            // What was read before the stop stays loaded, and is a source like any other.
            loadedFiles += stopped.kept.filter { $0.rows > 0 }
            throw stopped
        }
    }

    /// Runs `body` under the memory limit (`settings.memoryLimit`), once: a load inside a
    /// statement is watched by the statement's watch.
    func watchingMemory<T>(_ body: () throws -> T) rethrows -> T {
        guard !memoryWatched else { return try body() }
        memoryWatched = true
        defer { memoryWatched = false }
        return try MemoryWatch.during(limit: settings.memoryLimit, token: cancellation, body)
    }

    /// Sets `$name` (as `SET VARIABLE name = value` does); a string stays a string.
    public func setVariable(_ name: String, _ value: Value) {
        variables[name.lowercased()] = value
    }

    /// Opens a saved store: the one way in for the `OPEN` statement and `aq FILE.aqdb`.
    /// Saved stores are not supported yet, so it always says so.
    public func open(path: String) throws {
        throw ExecutionError.failed("saved stores (SAVE/OPEN) are not supported yet", range: nil)
    }

    /// Names the shell completes: tables and views with their columns, in catalog order, and
    /// every callable function.
    public var completionNames: CompletionNames {
        let tables = catalog.allTables.map { (name: $0.name, columns: $0.columns.map(\.name)) }
            + catalog.allViews.map { (name: $0.name, columns: $0.columns.map(\.name)) }
        return CompletionNames(tables: tables, functions: Binder.functionNames)
    }
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

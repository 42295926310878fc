// A statement running: the one way every statement runs, from the shell's scripts and from an
// embedding program alike. A query's rows stream out a batch at a time; any other statement
// has run to its end when its `Rows` is made.

import AQSyntax

/// The result of a statement, read as it is computed: batches of columns (`nextBatch()`),
/// rows (`next()`, or `for try await row in rows`), rows decoded into a `Decodable` type
/// (`next(as:)`), or everything at once (`collect()`).
///
/// A `Rows` holds no lock between calls: other statements, writers too, run while it is
/// open, and it goes on reading the tables as they were when it started. It is read by one
/// thread at a time; `cancel()` may be called from any thread, and the read in progress or
/// the next one then fails with `cancelled`, as does every read after an error.
public final class Rows {
    /// The result's columns (empty for a statement that returns no rows).
    public let columns: [ColumnSchema]
    /// What a statement that returns no rows says (`loaded 1,204 rows into events …`).
    public let message: String?
    /// Remarks about the rows (a time window reaching past the loaded logs).
    public let notes: [String]

    private let database: Database
    private let source: Source
    private let token: CancellationToken
    private let limits: Limits
    private var plan: RunningPlan?
    /// Batches already computed and not yet read (a statement's whole result, or the first
    /// batch of a query, pulled when it started).
    private var ready: [Batch]
    private var delivered = 0
    private var failure: AQError?
    private var names: ColumnNames?
    /// The batch `next()` reads rows from, and its next row.
    private var current: Batch?
    private var row = 0

    /// Starts `statement`: binds it with `parameters`, plans it and runs it up to its first
    /// batch of rows (a statement that returns no rows runs to its end).
    init(database: Database, statement: Statement, source: Source, parameters: [String: Value],
         limits: Limits) throws {
        self.database = database
        self.source = source
        let base = database.lock.reading { Limits(memory: database.settings.memoryLimit, time: database.timeLimit,
                                                  resultRows: database.resultRowLimit) }
        let limits = base.overridden(by: limits)
        self.limits = limits
        let token = CancellationToken(parent: database.cancellation, seconds: limits.time)
        self.token = token
        database.running.add(token)
        let reads = Database.onlyReads(statement)
        let started: (columns: [ColumnSchema], plan: RunningPlan?, ready: [Batch], message: String?, notes: [String])
        do {
            started = try Rows.lockFor(database, reads: reads) {
                guard !database.isClosed else { throw AQError.api(.databaseClosed) }
                return try DeepStack.run {
                    let context = database.context(cancellation: token, parameters: parameters)
                    if let plan = try database.prepare(statement, source: source, context: context) {
                        let running = try Executor.open(plan, context)
                        let first = try running.next().map { $0.detached() }
                        return (plan.schema, first == nil ? nil : running, first.map { [$0] } ?? [], nil,
                                database.coverageNotes(plan, context: context))
                    }
                    let result = reads
                        ? try database.run(statement, source: source, context: context)
                        : try database.withinMemoryLimit(limits.memory) {
                            try database.run(statement, source: source, context: context)
                        }
                    return (result.columns, nil, result.batches, result.kind == .message ? result.message : nil, result.notes)
                }
            }
        } catch {
            database.running.remove(token)
            throw Rows.wrap(error, source: source, statement: statement)
        }
        columns = started.columns
        plan = started.plan
        ready = started.ready
        message = started.message
        notes = started.notes
        if plan == nil { database.running.remove(token) }
        if let limit = limits.resultRows, ready.reduce(0, { $0 + $1.count }) > limit {
            fail(AQError(ExecutionError.limitExceeded(.resultRows(limit: limit)), source: source))
            throw failure ?? AQError.api(.noStatement)
        }
    }

    deinit {
        if plan != nil { database.running.remove(token) }
    }

    private static func lockFor<T>(_ database: Database, reads: Bool, _ body: () throws -> T) throws -> T {
        reads ? try database.lock.reading(body) : try database.lock.writing(body)
    }

    /// Any error as an `AQError` pointing into the statement's text.
    static func wrap(_ error: Error, source: Source, statement: Statement?) -> AQError {
        if let error = error as? AQError { return error }
        if let error = error as? any Diagnostic { return AQError(error, source: source) }
        return AQError(ExecutionError.failed("\(error)", range: statement?.range), source: source)
    }

    /// Stops the statement: the read in progress (from another thread) or the next one fails
    /// with `cancelled`.
    public func cancel() { token.cancel() }

    /// The next batch of rows (1 … `Batch.capacity` of them), or nil after the last. Throws
    /// the statement's error — `cancelled` after `cancel()`, a limit passed, an error a row
    /// raised — and the same error on every later call.
    public func nextBatch() throws -> Batch? {
        if let failure { throw failure }
        current = nil
        let batch: Batch
        if !ready.isEmpty {
            batch = ready.removeFirst()
        } else {
            guard let plan else { return nil }
            do {
                try token.check()
                let next = try database.lock.reading { () -> Batch? in
                    guard !database.isClosed else { throw AQError.api(.databaseClosed) }
                    return try DeepStack.run { try plan.next().map { $0.detached() } }
                }
                guard let next else {
                    finish()
                    return nil
                }
                batch = next
            } catch {
                fail(Rows.wrap(error, source: source, statement: nil))
                throw failure ?? AQError.api(.noStatement)
            }
        }
        delivered += batch.count
        if let limit = limits.resultRows, delivered > limit {
            fail(AQError(ExecutionError.limitExceeded(.resultRows(limit: limit)), source: source))
            throw failure ?? AQError.api(.noStatement)
        }
        return batch
    }

    /// The next row, or nil after the last.
    public func next() throws -> Row? {
        while true {
            if let batch = current, row < batch.count {
                row += 1
                return Row(batch: batch, index: row - 1, names: columnNames)
            }
            guard let batch = try nextBatch() else { return nil }
            current = batch
            row = 0
        }
    }

    /// The next row decoded as `T` (its properties named as the columns), or nil after the last.
    public func next<T: Decodable>(as type: T.Type) throws -> T? {
        try next()?.decode(type)
    }

    /// Every remaining row decoded as `T`.
    public func all<T: Decodable>(as type: T.Type) throws -> [T] {
        var out: [T] = []
        while let value = try next(as: type) { out.append(value) }
        return out
    }

    /// Every remaining batch, as one result. Held results count against the memory limit.
    public func collect() throws -> StatementResult {
        var batches: [Batch] = []
        var bytes = 0
        let memory = limits.memory
        let stored = memory == nil ? 0 : database.lock.reading { database.catalog.byteSize }
        while let batch = try nextBatch() {
            batches.append(batch)
            if let memory {
                bytes += batch.byteSize
                if stored + bytes > memory {
                    fail(AQError(ExecutionError.limitExceeded(.memory(limit: memory, needed: stored + bytes)), source: source))
                    throw failure ?? AQError.api(.noStatement)
                }
            }
        }
        var result = message.map { StatementResult(message: $0) } ?? StatementResult(columns: columns, batches: batches)
        result.notes = notes
        return result
    }

    private var columnNames: ColumnNames {
        if let names { return names }
        let made = ColumnNames(columns)
        names = made
        return made
    }

    private func finish() {
        if plan != nil { database.running.remove(token) }
        plan = nil
    }

    private func fail(_ error: AQError) {
        failure = error
        ready = []
        finish()
    }
}

extension Rows: AsyncSequence {
    public typealias Element = Row

    /// Reads the rows from async code; cancelling the task cancels the statement.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let rows: Rows

        public mutating func next() async throws -> Row? {
            let rows = self.rows
            return try await withTaskCancellationHandler {
                if Task.isCancelled { rows.cancel() }
                return try rows.next()
            } onCancel: {
                rows.cancel()
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rows: self) }
}

extension Batch {
    /// This batch with every string column's dictionary replaced by a snapshot of it, so its
    /// strings stay readable while a writer adds to the table's dictionaries.
    func detached() -> Batch {
        var out = self
        for i in out.columns.indices {
            if case .string(.dictionary(let codes, let dictionary)) = out.columns[i].storage {
                out.columns[i].storage = .string(.dictionary(codes: codes, dictionary: dictionary.snapshot()))
            }
        }
        return out
    }
}

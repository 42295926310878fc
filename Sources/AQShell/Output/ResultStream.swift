// A statement's result as the output formats read it: batch by batch while the statement
// runs (the engine's `Rows`), or from batches already held (a `StatementResult`).

import AQEngine

/// A result read one batch at a time. Reading a running statement's batches may throw its
/// error (a limit passed, Ctrl-C, an error a row raised) after earlier batches were written.
/// The batches read are kept (up to `keptByteLimit` bytes) for `.chart`.
public final class ResultStream {
    public let kind: StatementResult.Kind
    public let columns: [ColumnSchema]
    /// For `.message`, the text to show.
    public let message: String?
    /// Remarks to show after the rows (the coverage note).
    public let notes: [String]
    private let next: () throws -> Batch?
    private var kept: [Batch] = []
    private var keptBytes = 0
    private var overflowed = false

    /// The most bytes of rows kept for `.chart` after a result is written; a larger result
    /// is written as it is read and not kept.
    public static let keptByteLimit = 4 << 20

    /// The batches of a running statement, read as they are made.
    public init(_ rows: Rows) {
        kind = rows.message == nil ? .rows : .message
        columns = rows.columns
        message = rows.message
        notes = rows.notes
        next = { try rows.nextBatch() }
    }

    /// The batches of a result already held.
    public init(_ result: StatementResult) {
        kind = result.kind
        columns = result.columns
        message = result.message
        notes = result.notes
        var index = 0
        let batches = result.batches
        next = {
            guard index < batches.count else { return nil }
            index += 1
            return batches[index - 1]
        }
    }

    /// The next batch, or nil after the last.
    public func nextBatch() throws -> Batch? {
        guard let batch = try next() else { return nil }
        if !overflowed {
            keptBytes += batch.byteSize
            if keptBytes > ResultStream.keptByteLimit {
                overflowed = true
                kept = []
            } else {
                kept.append(batch)
            }
        }
        return batch
    }

    /// Every remaining batch, held as one result (for the formats that must see every row
    /// before writing the first: a chart).
    public func collect() throws -> StatementResult {
        var batches: [Batch] = []
        while let batch = try nextBatch() { batches.append(batch) }
        var result = StatementResult(columns: columns, batches: batches)
        result.notes = notes
        return result
    }

    /// The rows read so far as a result, or nil when they were more than `keptByteLimit`.
    public var keptResult: StatementResult? {
        guard !overflowed else { return nil }
        var result = StatementResult(columns: columns, batches: kept)
        result.notes = notes
        return result
    }
}

/// Every row of a result, in order: (batch, row within the batch). With `sink`, it stops
/// early, between batches, when writing to it is interrupted (Ctrl-C, a closed pipe).
func forEachRow(_ result: ResultStream, stoppingAt sink: OutputSink? = nil, _ body: (Batch, Int) -> Void) throws {
    while let batch = try result.nextBatch() {
        for row in 0..<batch.count { body(batch, row) }
        if sink?.isInterrupted == true { return }
    }
}

/// Every row of a result already held, in order: (batch, row within the batch).
func forEachRow(_ result: StatementResult, _ body: (Batch, Int) -> Void) {
    for batch in result.batches {
        for row in 0..<batch.count { body(batch, row) }
    }
}

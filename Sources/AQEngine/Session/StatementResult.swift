// What a statement gives back: rows in columns, or a message (for LOAD, CREATE, …).

public struct StatementResult: Sendable {
    public enum Kind: Sendable {
        /// A query's rows (also SHOW TABLES, DESCRIBE, EXPLAIN).
        case rows
        /// A statement that changed something and says what: `loaded 1,204 rows …`.
        case message
    }

    public var kind: Kind
    public var columns: [ColumnSchema]
    /// The rows, batch by batch; every batch has one vector per column.
    public var batches: [Batch]
    /// For `.message`, the text to show; for `.rows`, an optional note.
    public var message: String?
    /// Remarks to show after the rows, such as a time window reaching past the loaded logs
    /// (`note: asked for 30 days before …`); the shell prints them on standard error in scripts.
    public var notes: [String] = []

    public init(columns: [ColumnSchema], batches: [Batch]) {
        self.kind = .rows
        self.columns = columns
        self.batches = batches
        self.message = nil
    }

    public init(message: String) {
        self.kind = .message
        self.columns = []
        self.batches = []
        self.message = message
    }

    public var rowCount: Int { batches.reduce(0) { $0 + $1.count } }

    /// The value at a row and column: for embedding and tests (O(batches) per call).
    public func value(row: Int, column: Int) -> Value {
        var r = row
        for batch in batches {
            if r < batch.count { return batch.columns[column].value(at: r) }
            r -= batch.count
        }
        return .null
    }

    /// Every row as values, in order.
    public var rows: [[Value]] {
        var out: [[Value]] = []
        out.reserveCapacity(rowCount)
        for batch in batches {
            for r in 0..<batch.count { out.append(batch.columns.map { $0.value(at: r) }) }
        }
        return out
    }
}

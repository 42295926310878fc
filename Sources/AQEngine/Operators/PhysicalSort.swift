// ORDER BY: collects its whole input, sorts row positions by the keys (stable, NULL
// placement per key) and returns the rows in that order, a batch at a time. A large input is
// sorted in parts on the statement's threads, then merged (ties by position either way).

final class PhysicalSort: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let keys: [BoundSortKey]
    private let context: ExecutionContext
    private var sorted: SortedRows?

    init(_ input: PhysicalOperator, keys: [BoundSortKey], _ context: ExecutionContext) {
        self.input = input
        self.keys = keys
        self.types = input.types
        self.context = context
    }

    func next() throws -> Batch? {
        if sorted == nil {
            var rows = SortBuffer(types: types, keys: keys)
            while let batch = try input.next() {
                try context.cancellation.check()
                try rows.append(batch, context)
            }
            sorted = try rows.sorted(limit: nil, offset: 0, threads: context.threads)
        }
        return sorted?.next()
    }
}

/// Rows and their evaluated sort keys, gathered until the input ends.
struct SortBuffer {
    let types: [DataType]
    let keys: [BoundSortKey]
    private var data: BatchCollection
    private var keyData: BatchCollection

    init(types: [DataType], keys: [BoundSortKey]) {
        self.types = types
        self.keys = keys
        data = BatchCollection(types: types)
        keyData = BatchCollection(types: keys.map(\.expr.type))
    }

    var count: Int { data.count }

    mutating func append(_ batch: Batch, _ context: ExecutionContext) throws {
        guard batch.count > 0 else { return }
        let keyColumns = try keys.map { try ExpressionEvaluator.evaluate($0.expr, batch, context) }
        data.append(batch)
        keyData.append(Batch(columns: keyColumns, count: batch.count))
    }

    /// Appends rows whose keys are already evaluated.
    mutating func append(_ batch: Batch, keys keyBatch: Batch) {
        data.append(batch)
        keyData.append(keyBatch)
    }

    var directions: [(descending: Bool, nullsFirst: Bool)] { keys.map { ($0.descending, $0.nullsFirst) } }

    /// The rows in order, from `offset`, at most `limit` of them.
    func sorted(limit: Int?, offset: Int, threads: Int = 1) throws -> SortedRows {
        let columns = data.combined()
        let keyColumns = keyData.combined()
        let ordering = RowOrdering(keyColumns, directions: directions, count: count)
        var order = try ordering.sortedIndices(threads: threads)
        let start = Swift.min(offset, order.count)
        let end = limit.map { Swift.min(order.count, start + $0) } ?? order.count
        if start > 0 || end < order.count { order = Array(order[start..<end]) }
        return SortedRows(columns: columns, keyColumns: keyColumns, order: order)
    }
}

/// Sorted rows: the collected columns and the order to read them in.
struct SortedRows {
    let columns: [Vector]
    let keyColumns: [Vector]
    let order: [Int32]
    private var position = 0

    init(columns: [Vector], keyColumns: [Vector], order: [Int32]) {
        self.columns = columns
        self.keyColumns = keyColumns
        self.order = order
    }

    mutating func next() -> Batch? {
        guard position < order.count else { return nil }
        let end = Swift.min(position + Batch.capacity, order.count)
        let rows = Array(order[position..<end])
        position = end
        return Batch(columns: columns.map { $0.gather(rows) }, count: rows.count)
    }

    /// Every remaining row with its keys, as one batch each (for top-N compaction).
    func all() -> (data: Batch, keys: Batch) {
        (Batch(columns: columns.map { $0.gather(order) }, count: order.count),
         Batch(columns: keyColumns.map { $0.gather(order) }, count: order.count))
    }
}

// The physical operator interface: a pull-based iterator of batches, as in DuckDB's
// `DataChunk` pipeline. Every operator owns its inputs and returns non-empty batches.

/// A running operator. `next()` returns the next batch of 1 … `Batch.capacity` rows, or nil
/// when the operator is exhausted (and from then on always nil).
protocol PhysicalOperator: AnyObject {
    /// The types of the columns of every batch this operator returns.
    var types: [DataType] { get }
    func next() throws -> Batch?
}

extension PhysicalOperator {
    /// Pulls every remaining batch.
    func drain() throws -> [Batch] {
        var out: [Batch] = []
        while let batch = try next() { out.append(batch) }
        return out
    }
}

/// Cuts a long run of rows into batches of at most `Batch.capacity` rows, for operators
/// that materialize their whole result (aggregate, sort) before returning it.
struct BatchSlicer {
    private let columns: [Vector]
    private let count: Int
    private var position = 0

    init(columns: [Vector], count: Int) {
        self.columns = columns
        self.count = count
    }

    mutating func next() -> Batch? {
        guard position < count else { return nil }
        let end = Swift.min(position + Batch.capacity, count)
        let range = position..<end
        let batch: Batch
        if range.count == count {
            batch = Batch(columns: columns, count: count)
        } else {
            batch = Batch(columns: columns.map { $0.slice(range) }, count: range.count)
        }
        position = end
        return batch
    }
}

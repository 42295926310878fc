// ORDER BY … LIMIT n [OFFSET m] without sorting everything: keeps the best n + m rows seen
// so far; once it has them, a new row enters only if it sorts before the current last
// one (a tie does not: the earlier row wins, as in a stable sort).

final class PhysicalTopN: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let keys: [BoundSortKey]
    private let limit: Int
    private let offset: Int
    private let context: ExecutionContext
    private var result: SortedRows?

    init(_ input: PhysicalOperator, keys: [BoundSortKey], limit: Int, offset: Int, _ context: ExecutionContext) {
        self.input = input
        self.keys = keys
        self.limit = Swift.max(0, limit)
        self.offset = Swift.max(0, offset)
        self.types = input.types
        self.context = context
    }

    func next() throws -> Batch? {
        if result == nil { result = try consume() }
        return result?.next()
    }

    private func consume() throws -> SortedRows {
        let keep = limit + offset
        var buffer = SortBuffer(types: types, keys: keys)
        guard keep > 0 else { return buffer.sorted(limit: 0, offset: 0) }
        /// The keys of the current last kept row, once `keep` rows are kept.
        var boundary: [Vector]?
        let directions = buffer.directions
        while let batch = try input.next() {
            try context.cancellation.check()
            var keyColumns = try keys.map { try ExpressionEvaluator.evaluate($0.expr, batch, context) }
            var rows = batch
            if let boundary {
                // Row 0 is the boundary; row i + 1 is row i of the batch.
                let joined = zip(boundary, keyColumns).map { Vector.concatenate([$0, $1], type: $0.type) }
                let ordering = RowOrdering(joined, directions: directions, count: batch.count + 1)
                var selected: [Int32] = []
                for i in 0..<batch.count where ordering.compareKeys(i + 1, 0) < 0 { selected.append(Int32(i)) }
                if selected.isEmpty { continue }
                if selected.count < batch.count {
                    rows = batch.gather(selected)
                    keyColumns = keyColumns.map { $0.gather(selected) }
                }
            }
            buffer.append(rows, keys: Batch(columns: keyColumns, count: rows.count))
            if buffer.count >= keep + Batch.capacity || (boundary == nil && buffer.count >= keep) {
                let best = buffer.sorted(limit: keep, offset: 0).all()
                buffer = SortBuffer(types: types, keys: keys)
                buffer.append(best.data, keys: best.keys)
                if best.data.count == keep {
                    boundary = best.keys.columns.map { $0.gather([Int32(keep - 1)]) }
                }
            }
        }
        return buffer.sorted(limit: limit, offset: offset)
    }
}

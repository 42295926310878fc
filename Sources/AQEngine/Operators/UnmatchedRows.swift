// The tail of a FULL JOIN: the right rows that matched no left row, NULL in the left
// columns, given in batches once the left input is done.

struct UnmatchedRows {
    private let rows: [Int32]
    private let leftTypes: [DataType]
    private let right: [Vector]
    private var position = 0

    init(matched: [Bool], leftTypes: [DataType], right: [Vector]) {
        var rows: [Int32] = []
        for (r, m) in matched.enumerated() where !m { rows.append(Int32(r)) }
        self.rows = rows
        self.leftTypes = leftTypes
        self.right = right
    }

    /// The next batch of unmatched rows, or nil when all were given.
    mutating func next() -> Batch? {
        guard position < rows.count else { return nil }
        let end = Swift.min(position + Batch.capacity, rows.count)
        let picked = Array(rows[position..<end])
        position = end
        let nulls = leftTypes.map { Vector.nulls(type: $0, count: picked.count) }
        return Batch(columns: nulls + right.map { $0.gather(picked) }, count: picked.count)
    }
}

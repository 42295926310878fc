// CROSS joins and joins without an equality between the two sides: every left row is
// paired with every right row (the right input held in memory), a block of at most a batch
// of pairs at a time, and the condition keeps the pairs it is true for. A LEFT JOIN pads
// unmatched left rows; a FULL JOIN also, and then gives the right rows that matched
// nothing, padded on the left. Memory beyond the right input stays within a few batches,
// however many pairs one left batch makes (2,048 × 100,000 rows is 204.8 million).

final class PhysicalNestedLoopJoin: PhysicalOperator {
    let types: [DataType]
    private let left: PhysicalOperator
    private let right: PhysicalOperator
    private let isLeftJoin: Bool
    private let isFullJoin: Bool
    private let condition: BoundExpr?
    private let context: ExecutionContext

    private var rightColumns: [Vector]?
    private var rightCount = 0
    /// The left batch being paired, and the next pair to make: (left row, right row).
    private var leftBatch: Batch?
    private var nextLeftRow = 0
    private var nextRightRow = 0
    /// Whether each row of `leftBatch` has matched a right row (for the LEFT JOIN padding).
    private var leftMatched: [Bool] = []
    /// Pairs kept and not yet returned, all from `leftBatch`.
    private var pending = JoinPairs()
    private var pendingPosition = 0
    private var rightMatched: [Bool] = []
    private var unmatchedRight: UnmatchedRows?

    init(left: PhysicalOperator, right: PhysicalOperator, kind: JoinType, condition: BoundExpr?,
         _ context: ExecutionContext) {
        self.left = left
        self.right = right
        self.isLeftJoin = kind == .left || kind == .full
        self.isFullJoin = kind == .full
        self.condition = condition
        self.types = left.types + right.types
        self.context = context
    }

    func next() throws -> Batch? {
        if rightColumns == nil {
            var data = BatchCollection(types: right.types)
            while let batch = try right.next() {
                try context.cancellation.check()
                data.append(batch)
            }
            rightColumns = data.combined().map { data.count <= 1 << 16 ? $0.dictionaryEncoded() : $0 }
            rightCount = data.count
            if isFullJoin { rightMatched = [Bool](repeating: false, count: rightCount) }
        }
        let rightColumns = self.rightColumns ?? []
        while true {
            let available = pending.count - pendingPosition
            let leftDone = leftBatch.map { nextLeftRow >= $0.count } ?? true
            if available >= Batch.capacity || (available > 0 && leftDone), let leftBatch {
                let end = pendingPosition + Swift.min(available, Batch.capacity)
                let out = pending.batch(pendingPosition..<end, left: leftBatch, right: rightColumns)
                pendingPosition = end
                return out
            }
            if leftDone {
                guard let batch = try left.next() else {
                    leftBatch = nil
                    guard isFullJoin else { return nil }
                    if unmatchedRight == nil {
                        unmatchedRight = UnmatchedRows(matched: rightMatched, leftTypes: left.types, right: rightColumns)
                    }
                    return unmatchedRight?.next()
                }
                leftBatch = batch
                nextLeftRow = 0
                nextRightRow = 0
                if isLeftJoin { leftMatched = [Bool](repeating: false, count: batch.count) }
                pending.removeAll()
                pendingPosition = 0
                continue
            }
            if pendingPosition > 0 {
                pending.removeFirst(pendingPosition)
                pendingPosition = 0
            }
            if let leftBatch { try pairBlock(leftBatch, rightColumns) }
        }
    }

    /// Pairs the next block of at most a batch of (left row, right row) pairs of `batch`,
    /// appending to `pending` those the condition keeps, each left row's pairs followed by
    /// its padding once all its pairs are made and none matched (LEFT JOIN).
    private func pairBlock(_ batch: Batch, _ rightColumns: [Vector]) throws {
        try context.cancellation.check()
        let firstRow = nextLeftRow
        var block = JoinPairs()
        while block.count < Batch.capacity, nextLeftRow < batch.count {
            let take = Swift.min(Batch.capacity - block.count, rightCount - nextRightRow)
            for r in nextRightRow..<(nextRightRow + take) { block.append(Int32(nextLeftRow), Int32(r)) }
            nextRightRow += take
            if nextRightRow >= rightCount {
                nextLeftRow += 1
                nextRightRow = 0
            }
        }
        var kept = JoinPairs()
        if let condition, block.count > 0 {
            let joined = block.batch(0..<block.count, left: batch, right: rightColumns)
            for i in try ExpressionEvaluator.select(condition, joined, context) {
                kept.append(block.left[Int(i)], block.right[Int(i)])
            }
        } else {
            kept = block
        }
        if isFullJoin {
            for r in kept.right { rightMatched[Int(r)] = true }
        }
        guard isLeftJoin else {
            pending.append(contentsOf: kept)
            return
        }
        // The rows this block finished: each one's kept pairs, then its padding if it had none.
        var p = 0
        let lastRow = nextRightRow == 0 ? nextLeftRow - 1 : nextLeftRow
        for row in firstRow...Swift.max(firstRow, lastRow) where row < batch.count {
            while p < kept.count, kept.left[p] == Int32(row) {
                pending.append(kept.left[p], kept.right[p])
                leftMatched[row] = true
                p += 1
            }
            if row < nextLeftRow, !leftMatched[row] { pending.append(Int32(row), -1) }
        }
    }
}

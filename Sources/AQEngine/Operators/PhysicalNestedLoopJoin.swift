// CROSS joins and joins without an equality between the two sides: every left row is
// paired with every right row (the right input held in memory), in blocks of a batch,
// and the condition keeps the pairs it is true for. A LEFT JOIN pads unmatched left rows;
// a FULL JOIN also, and then gives the right rows that matched nothing, padded on the left.

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
    private var pending = JoinPairs()
    private var pendingLeft = Batch(columns: [], count: 0)
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
            if pendingPosition < pending.count {
                let end = Swift.min(pendingPosition + Batch.capacity, pending.count)
                let out = pending.batch(pendingPosition..<end, left: pendingLeft, right: rightColumns)
                pendingPosition = end
                return out
            }
            guard let batch = try left.next() else {
                guard isFullJoin else { return nil }
                if unmatchedRight == nil {
                    unmatchedRight = UnmatchedRows(matched: rightMatched, leftTypes: left.types, right: rightColumns)
                }
                return unmatchedRight?.next()
            }
            try pair(batch, rightColumns)
        }
    }

    private func pair(_ batch: Batch, _ rightColumns: [Vector]) throws {
        pending.removeAll()
        pendingPosition = 0
        pendingLeft = batch
        var matched = [Bool](repeating: false, count: batch.count)
        var block = JoinPairs()
        var kept = JoinPairs()
        func flush() throws {
            guard block.count > 0 else { return }
            try context.cancellation.check()
            if let condition {
                let joined = block.batch(0..<block.count, left: batch, right: rightColumns)
                for i in try ExpressionEvaluator.select(condition, joined, context) {
                    kept.append(block.left[Int(i)], block.right[Int(i)])
                    matched[Int(block.left[Int(i)])] = true
                    if isFullJoin { rightMatched[Int(block.right[Int(i)])] = true }
                }
            } else {
                for i in 0..<block.count {
                    kept.append(block.left[i], block.right[i])
                    matched[Int(block.left[i])] = true
                    if isFullJoin { rightMatched[Int(block.right[i])] = true }
                }
            }
            block.removeAll()
        }
        for row in 0..<Int32(batch.count) {
            for r in 0..<Int32(rightCount) {
                block.append(row, r)
                if block.count == Batch.capacity { try flush() }
            }
        }
        try flush()
        if !isLeftJoin {
            pending = kept
            return
        }
        var p = 0
        for row in 0..<Int32(batch.count) {
            while p < kept.count, kept.left[p] == row {
                pending.append(row, kept.right[p])
                p += 1
            }
            if !matched[Int(row)] { pending.append(row, -1) }
        }
    }
}

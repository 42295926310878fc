// unnest(list) in a select list: each input row becomes as many rows as its longest list
// has elements, the input's columns repeated, one column per list with its elements.

final class PhysicalUnnest: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let lists: [BoundExpr]
    private let context: ExecutionContext
    /// The input columns read above (nil: all); the others are given as NULLs.
    private let used: Set<Int>?
    /// Output rows made but not yet returned (an input batch can give more than a batch).
    private var pending = BatchSlicer(columns: [], count: 0)

    init(_ input: PhysicalOperator, lists: [BoundExpr], used: Set<Int>?, _ context: ExecutionContext) {
        self.input = input
        self.used = used
        self.lists = lists
        self.context = context
        self.types = input.types + lists.map { $0.type.listElement ?? .null }
    }

    func next() throws -> Batch? {
        while true {
            if let batch = pending.next() { return batch }
            guard let batch = try input.next() else { return nil }
            try context.cancellation.check()
            pending = try unnest(batch)
        }
    }

    /// The rows of one input batch: for row r, `max(len(list_k[r]))` copies (NULL counts as 0).
    private func unnest(_ batch: Batch) throws -> BatchSlicer {
        let evaluated = try lists.map { try ExpressionEvaluator.evaluate($0, batch, context) }
        let storages = evaluated.map { v -> ListVector in
            v.listStorage ?? ListVector.empty(element: v.type.listElement ?? .null, count: batch.count)
        }
        var rows: [Int32] = []
        var picks = [[Int32]](repeating: [], count: lists.count)
        for r in 0..<batch.count {
            var longest = 0
            for (k, l) in storages.enumerated() where !evaluated[k].isNull(r) { longest = max(longest, l.range(r).count) }
            guard longest > 0 else { continue }
            for j in 0..<longest {
                rows.append(Int32(r))
                for (k, l) in storages.enumerated() {
                    let run = l.range(r)
                    picks[k].append(!evaluated[k].isNull(r) && j < run.count ? Int32(run.lowerBound + j) : -1)
                }
            }
        }
        let columns = batch.columns.enumerated().map { c, v in
            used?.contains(c) ?? true ? v.gather(rows) : Vector.nulls(type: v.type, count: rows.count)
        }
            + storages.enumerated().map { k, l in l.elements.gather(picks[k]) }
        return BatchSlicer(columns: columns, count: rows.count)
    }
}

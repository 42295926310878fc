// INNER, LEFT and FULL equi-joins: builds a hash table of the right input's keys (rows with
// a NULL key are left out, since NULL never equals anything), then probes it with each left
// batch. Other conjuncts of the condition filter the matched pairs; a LEFT or FULL JOIN pads
// the left rows that kept no match with NULLs. Output follows the left input's row order;
// a FULL JOIN then gives the right rows that matched nothing, padded on the left.

final class PhysicalHashJoin: PhysicalOperator {
    let types: [DataType]
    private let left: PhysicalOperator
    private let isLeftJoin: Bool
    private let isFullJoin: Bool
    private let condition: JoinCondition
    private let context: ExecutionContext

    private let build: HashJoinBuild
    private var prober: KeyTable.Prober?
    /// FULL JOIN: which right rows matched some left row, and the unmatched ones to give
    /// once the left input is done.
    private var rightMatched: [Bool] = []
    private var unmatchedRight: UnmatchedRows?

    /// LEFT JOIN under a filter that keeps only unmatched rows (`right.key IS NULL`): matched
    /// rows are never paired, so the probe gives what an anti join gives.
    private let unmatchedOnly: Bool

    private var pending = JoinPairs()
    private var pendingLeft = Batch(columns: [], count: 0)
    private var pendingPosition = 0

    convenience init(left: PhysicalOperator, right: PhysicalOperator, kind: JoinType, condition: JoinCondition,
                     _ context: ExecutionContext) {
        self.init(left: left, build: HashJoinBuild(right: right, condition: condition, context), rightTypes: right.types,
                  kind: kind, condition: condition, context)
    }

    /// A probe of a build that other probes may share (each morsel of a parallel pipeline
    /// probes the one table). A FULL JOIN needs its build to itself.
    init(left: PhysicalOperator, build: HashJoinBuild, rightTypes: [DataType], kind: JoinType,
         condition: JoinCondition, unmatchedOnly: Bool = false, _ context: ExecutionContext) {
        self.left = left
        self.unmatchedOnly = unmatchedOnly && kind == .left && condition.residual == nil
        self.build = build
        self.isLeftJoin = kind == .left || kind == .full
        self.isFullJoin = kind == .full
        self.condition = condition
        self.types = left.types + rightTypes
        self.context = context
    }

    func next() throws -> Batch? {
        if prober == nil {
            try build.ensureBuilt()
            prober = KeyTable.Prober(build.table)
            if isFullJoin { rightMatched = [Bool](repeating: false, count: build.rowCount) }
        }
        let rightColumns = build.rightColumns
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
            try context.cancellation.check()
            try probe(batch)
        }
    }

    private func probe(_ batch: Batch) throws {
        pending.removeAll()
        pendingPosition = 0
        pendingLeft = batch
        let keys = try condition.leftKeys.map { try ExpressionEvaluator.evaluate($0, batch, context) }
        guard let prober else { return }
        let ids = prober.find(keys, count: batch.count, nullsMatch: false)
        let head = build.head, chain = build.chain, rightColumns = build.rightColumns
        var candidates = JoinPairs()
        if unmatchedOnly {
            for row in 0..<batch.count where ids[row] < 0 || head[Int(ids[row])] < 0 { candidates.append(Int32(row), -1) }
            pending = candidates
            return
        }
        for row in 0..<batch.count {
            let key = ids[row]
            var r = key >= 0 ? head[Int(key)] : -1
            if r < 0, isLeftJoin, condition.residual == nil {
                candidates.append(Int32(row), -1)
                continue
            }
            while r >= 0 {
                candidates.append(Int32(row), r)
                r = chain[Int(r)]
            }
        }
        guard let residual = condition.residual else {
            if isFullJoin { for r in candidates.right where r >= 0 { rightMatched[Int(r)] = true } }
            pending = candidates
            return
        }
        // Keep the pairs that pass the residual, then pad left rows that kept none.
        var kept = [Bool](repeating: false, count: candidates.count)
        var start = 0
        while start < candidates.count {
            let end = Swift.min(start + Batch.capacity, candidates.count)
            let joined = candidates.batch(start..<end, left: batch, right: rightColumns)
            for i in try ExpressionEvaluator.select(residual, joined, context) { kept[start + Int(i)] = true }
            start = end
        }
        var p = 0
        for row in 0..<Int32(batch.count) {
            var matched = false
            while p < candidates.count, candidates.left[p] == row {
                if kept[p] {
                    pending.append(row, candidates.right[p])
                    if isFullJoin { rightMatched[Int(candidates.right[p])] = true }
                    matched = true
                }
                p += 1
            }
            if !matched, isLeftJoin { pending.append(row, -1) }
        }
    }
}

// INNER, LEFT and FULL equi-joins: builds a hash table of the right input's keys (rows with
// a NULL key are left out, since NULL never equals anything), then probes it with each left
// batch. Other conjuncts of the condition filter the matched pairs; a LEFT or FULL JOIN pads
// the left rows that kept no match with NULLs. Output follows the left input's row order;
// a FULL JOIN then gives the right rows that matched nothing, padded on the left. A semi or
// anti join (IN, NOT IN, EXISTS, NOT EXISTS) gives the left rows that match, or do not, with
// the left columns only.

final class PhysicalHashJoin: PhysicalOperator {
    let types: [DataType]
    private let left: PhysicalOperator
    private let isLeftJoin: Bool
    private let isFullJoin: Bool
    /// `.semi`, `.anti` or `.nullAwareAnti`: left rows pass or not, nothing is paired.
    private let testKind: JoinType?
    private let condition: JoinCondition
    /// Left keys evaluated once per distinct combination of the columns they read.
    private let keyMemos: [TupleMemo?]
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
        self.init(left: left, build: HashJoinBuild(right: right, condition: condition, keysOnly: kind.keepsLeftOnly, context),
                  rightTypes: right.types,
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
        self.testKind = kind.keepsLeftOnly ? kind : nil
        self.condition = condition
        self.keyMemos = TupleMemo.memos(condition.leftKeys)
        self.types = kind.keepsLeftOnly ? left.types : left.types + rightTypes
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
        let keys = try TupleMemo.evaluate(condition.leftKeys, keyMemos, batch, context)
        guard let prober else { return }
        let ids = prober.find(keys, count: batch.count, nullsMatch: false)
        let head = build.head, chain = build.chain, rightColumns = build.rightColumns
        if let testKind {
            pending = testedRows(testKind, ids, keys, head, count: batch.count)
            return
        }
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

    /// The left rows a semi or anti join passes, as pairs with no right row.
    private func testedRows(_ kind: JoinType, _ ids: [Int32], _ keys: [Vector], _ head: [Int32], count: Int) -> JoinPairs {
        var out = JoinPairs()
        out.left.reserveCapacity(count)
        out.right.reserveCapacity(count)
        func matched(_ row: Int) -> Bool { ids[row] >= 0 && head[Int(ids[row])] >= 0 }
        switch kind {
        case .semi:
            for row in 0..<count where matched(row) { out.append(Int32(row), -1) }
        case .nullAwareAnti where build.rowCount == 0:
            // NOT IN an empty set holds for every row, a NULL one too.
            for row in 0..<count { out.append(Int32(row), -1) }
        case .nullAwareAnti:
            // Not in a set holding NULL is NULL or false; a NULL key is NULL.
            guard !build.hasNullKey else { return out }
            for row in 0..<count where !matched(row) && !keys.contains(where: { $0.isNull(row) }) {
                out.append(Int32(row), -1)
            }
        default:
            for row in 0..<count where !matched(row) { out.append(Int32(row), -1) }
        }
        return out
    }
}

// The first row of each partition, for a `row_number()` the `window_top_k` pass marked
// `firstRowOnly` (`QUALIFY row_number() OVER (PARTITION BY k ORDER BY t) = 1`): one pass
// over the input keeps, per partition, the row that sorts first, instead of sorting every
// partition. Ties keep the row read first, as the stable sort of the general path does.

extension PhysicalWindow {
    /// The partitions' first rows in input order with row_number 1, or nil when an ORDER BY
    /// key is not a number, time or boolean or the input is read on the workers (the general
    /// path then runs; the input is not read before that is known).
    func firstRowPerPartition() throws -> BatchSlicer? {
        let f = functions[0]
        guard PhysicalWindow.keepsFirstRowsInOnePass(f), let input = serialInput else { return nil }
        var batches: [Batch] = []
        var partitions: [[Vector]] = []
        var orders: [[Vector]] = []
        while let batch = try input.next() {
            try context.cancellation.check()
            guard batch.count > 0 else { continue }
            batches.append(batch)
            partitions.append(try f.partitionBy.map { try ExpressionEvaluator.evaluate($0, batch, context) })
            orders.append(try f.orderBy.map { try ExpressionEvaluator.evaluate($0.expr, batch, context) })
        }
        let groupIds = partitionIds(partitions, batches)
        let keyCount = f.orderBy.count
        var groupCount = 0
        for ids in groupIds { for g in ids where Int(g) >= groupCount { groupCount = Int(g) + 1 } }
        // Per partition: the best row so far (-1: none), and its keys as order-preserving
        // words (inverted for DESC) with a NULL rank: 0 before every value (NULLS FIRST),
        // 1 a value, 2 after (NULLS LAST). Raw buffers: this loop runs once per input row.
        let bestRow = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(groupCount, 1))
        let bestNull = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(groupCount * keyCount, 1))
        let bestWord = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: Swift.max(groupCount * keyCount, 1))
        let widest = batches.reduce(1) { Swift.max($0, $1.count) }
        let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: keyCount * widest)
        let nulls = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: keyCount * widest)
        defer {
            bestRow.deallocate(); bestNull.deallocate(); bestWord.deallocate(); words.deallocate(); nulls.deallocate()
        }
        bestRow.initialize(repeating: -1)
        bestNull.initialize(repeating: 0)
        bestWord.initialize(repeating: 0)
        var base = 0
        for (b, batch) in batches.enumerated() {
            let n = batch.count
            // One integer or time key without NULLs (the common case): compare in place.
            if keyCount == 1, case .int64(let a) = orders[b][0].storage, orders[b][0].validity == nil {
                let flip: UInt64 = f.orderBy[0].descending ? ~0 : 0
                a.withUnsafeBufferPointer { a in
                    groupIds[b].withUnsafeBufferPointer { ids in
                        for i in 0..<n {
                            let g = Int(ids[i])
                            let w = ValueOrder.orderedWord(a[i]) ^ flip
                            let rank = bestNull[g]
                            // A value beats no row yet and a NULL placed last; ties keep the first.
                            if bestRow[g] < 0 || rank == 2 || (rank == 1 && w < bestWord[g]) {
                                bestRow[g] = base + i
                                bestNull[g] = 1
                                bestWord[g] = w
                            }
                        }
                    }
                }
                base += n
                continue
            }
            for (k, key) in f.orderBy.enumerated() {
                let v = orders[b][k]
                let nullRank: UInt8 = key.nullsFirst ? 0 : 2
                let flip: UInt64 = key.descending ? ~0 : 0
                switch v.storage {
                case .int64(let a): a.withUnsafeBufferPointer { a in for i in 0..<n { words[i * keyCount + k] = ValueOrder.orderedWord(a[i]) ^ flip } }
                case .double(let a): a.withUnsafeBufferPointer { a in for i in 0..<n { words[i * keyCount + k] = ValueOrder.orderedWord(a[i]) ^ flip } }
                case .boolean(let a): for i in 0..<n { words[i * keyCount + k] = (a[i] ? 1 : 0) ^ flip }
                default: for i in 0..<n { words[i * keyCount + k] = 0 }
                }
                if v.isNullStorage {
                    for i in 0..<n { nulls[i * keyCount + k] = nullRank }
                } else if let validity = v.validity {
                    for i in 0..<n { nulls[i * keyCount + k] = validity.isValid(i) ? 1 : nullRank }
                } else {
                    for i in 0..<n { nulls[i * keyCount + k] = 1 }
                }
            }
            groupIds[b].withUnsafeBufferPointer { ids in
                for i in 0..<n {
                    let g = Int(ids[i])
                    var better = bestRow[g] < 0
                    if !better {
                        for k in 0..<keyCount {
                            let nr = nulls[i * keyCount + k], nb = bestNull[g * keyCount + k]
                            if nr != nb { better = nr < nb; break }
                            let wr = words[i * keyCount + k], wb = bestWord[g * keyCount + k]
                            if nr == 1, wr != wb { better = wr < wb; break }
                        }
                    }
                    if better {
                        bestRow[g] = base + i
                        for k in 0..<keyCount {
                            bestNull[g * keyCount + k] = nulls[i * keyCount + k]
                            bestWord[g * keyCount + k] = words[i * keyCount + k]
                        }
                    }
                }
            }
            base += batch.count
        }
        let winners = bestRow.filter { $0 >= 0 }.sorted()
        // Gather the winners batch by batch, in input order.
        var parts: [[Vector]] = []
        var w = 0
        base = 0
        for batch in batches {
            var picks: [Int32] = []
            while w < winners.count, winners[w] < base + batch.count {
                picks.append(Int32(winners[w] - base))
                w += 1
            }
            if !picks.isEmpty { parts.append(batch.columns.map { $0.gather(picks) }) }
            base += batch.count
        }
        let columns = input.types.enumerated().map { c, type in Vector.concatenate(parts.map { $0[c] }, type: type) }
        let ones = Vector(type: .integer, storage: .int64([Int64](repeating: 1, count: winners.count)))
        return BatchSlicer(columns: columns + [ones], count: winners.count)
    }

    /// Whether `firstRowPerPartition` takes `f`: its ORDER BY keys are numbers, times or booleans.
    static func keepsFirstRowsInOnePass(_ f: BoundWindowFunction) -> Bool {
        f.orderBy.allSatisfy { key in
            switch key.expr.type {
            case .integer, .date, .timestamp, .double, .boolean: return true
            default: return false
            }
        }
    }

    /// Each row's partition, batch by batch: the dictionary code of a single string key
    /// whose batches share one dictionary (0 for NULL, code + 1 otherwise), else an index in
    /// a key table of the PARTITION BY values.
    private func partitionIds(_ partitions: [[Vector]], _ batches: [Batch]) -> [[Int32]] {
        let f = functions[0]
        if f.partitionBy.isEmpty { return batches.map { [Int32](repeating: 0, count: $0.count) } }
        if f.partitionBy.count == 1, case .string(.dictionary(_, let shared))? = partitions.first?[0].storage,
           partitions.allSatisfy({ if case .string(.dictionary(_, let d)) = $0[0].storage { return d === shared }; return false }) {
            return partitions.map { p in
                guard case .string(.dictionary(let codes, _)) = p[0].storage else { return [] }
                let v = p[0]
                guard let validity = v.validity else { return codes.map { Int32(bitPattern: $0 &+ 1) } }
                return codes.indices.map { validity.isValid($0) ? Int32(bitPattern: codes[$0] &+ 1) : 0 }
            }
        }
        let table = KeyTable(types: f.partitionBy.map(\.type))
        return zip(partitions, batches).map { p, batch in table.findOrInsert(p, count: batch.count) }
    }
}

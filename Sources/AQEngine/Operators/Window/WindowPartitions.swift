// The rows of one window specification in evaluation order: partitions one after another
// (by hash partition id, in order of first appearance), each sorted by the ORDER BY keys,
// with the bounds of each row's peer group. Partitions are independent of one another.

struct WindowPartitions {
    let count: Int
    /// The input row at each position.
    let rows: [Int32]
    /// The first position of each partition, then `count`.
    let starts: [Int]
    /// The partition of each input row.
    let partitionOfRow: [Int32]
    /// Per position: the first position of its peer group and the position after its last.
    let peerStart: [Int32]
    let peerEnd: [Int32]
    let ordered: Bool

    init(partitionIds: [Int32]?, partitionCount: Int, count n: Int, order: [Vector],
         directions: [(descending: Bool, nullsFirst: Bool)]) {
        count = n
        ordered = !order.isEmpty
        let ids = partitionIds ?? [Int32](repeating: 0, count: n)
        partitionOfRow = ids
        // Counting sort by partition: rows keep their input order inside a partition.
        var starts = [Int](repeating: 0, count: partitionCount + 1)
        for id in ids { starts[Int(id) + 1] += 1 }
        for p in 0..<partitionCount { starts[p + 1] += starts[p] }
        var fill = starts
        var rows = [Int32](repeating: 0, count: n)
        for (row, id) in ids.enumerated() {
            rows[fill[Int(id)]] = Int32(row)
            fill[Int(id)] += 1
        }
        var peerStart = [Int32](repeating: 0, count: n)
        var peerEnd = [Int32](repeating: 0, count: n)
        if order.isEmpty {
            for p in 0..<partitionCount {
                for i in starts[p]..<starts[p + 1] {
                    peerStart[i] = Int32(starts[p])
                    peerEnd[i] = Int32(starts[p + 1])
                }
            }
        } else if order.count == 1, let words = WindowPartitions.words(order[0], descending: directions[0].descending) {
            // One number or time key without NULLs: sort (word, row) pairs, or nothing when a
            // partition already comes in order (logs are mostly written in time order).
            words.withUnsafeBufferPointer { w in
                var pairs: [(UInt64, Int32)] = []
                for p in 0..<partitionCount {
                    let ps = starts[p], pe = starts[p + 1]
                    var sorted = true
                    var i = ps + 1
                    while i < pe {
                        if w[Int(rows[i - 1])] > w[Int(rows[i])] { sorted = false; break }
                        i += 1
                    }
                    if !sorted {
                        pairs.removeAll(keepingCapacity: true)
                        for j in ps..<pe { pairs.append((w[Int(rows[j])], rows[j])) }
                        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                        for (k, pair) in pairs.enumerated() { rows[ps + k] = pair.1 }
                    }
                    var groupStart = ps
                    for j in ps..<pe {
                        if j > ps, w[Int(rows[j - 1])] != w[Int(rows[j])] {
                            for q in groupStart..<j { peerEnd[q] = Int32(j) }
                            groupStart = j
                        }
                        peerStart[j] = Int32(groupStart)
                    }
                    for q in groupStart..<pe { peerEnd[q] = Int32(pe) }
                }
            }
        } else {
            let ordering = RowOrdering(order, directions: directions, count: n)
            withExtendedLifetime(ordering) {
                rows.withUnsafeMutableBufferPointer { all in
                    for p in 0..<partitionCount where starts[p + 1] - starts[p] > 1 {
                        var part = UnsafeMutableBufferPointer(rebasing: all[starts[p]..<starts[p + 1]])
                        part.sort { x, y in
                            let c = ordering.compareKeys(Int(x), Int(y))
                            return c != 0 ? c < 0 : x < y
                        }
                    }
                }
                for p in 0..<partitionCount {
                    let ps = starts[p], pe = starts[p + 1]
                    var groupStart = ps
                    for i in ps..<pe {
                        if i > ps, ordering.compareKeys(Int(rows[i - 1]), Int(rows[i])) != 0 {
                            for j in groupStart..<i { peerEnd[j] = Int32(i) }
                            groupStart = i
                        }
                        peerStart[i] = Int32(groupStart)
                    }
                    for j in groupStart..<pe { peerEnd[j] = Int32(pe) }
                }
            }
        }
        self.rows = rows
        self.starts = starts
        self.peerStart = peerStart
        self.peerEnd = peerEnd
    }

    var partitionCount: Int { starts.count - 1 }

    /// Words that order like the key (reversed when descending), when it is a number or a
    /// time with no NULLs.
    private static func words(_ v: Vector, descending: Bool) -> [UInt64]? {
        guard v.validity == nil else { return nil }
        let flip: UInt64 = descending ? ~0 : 0
        switch v.storage {
        case .int64(let a): return a.map { ValueOrder.orderedWord($0) ^ flip }
        case .double(let a): return a.map { ValueOrder.orderedWord($0) ^ flip }
        default: return nil
        }
    }
}

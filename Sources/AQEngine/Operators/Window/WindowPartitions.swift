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
         directions: [(descending: Bool, nullsFirst: Bool)], threads: Int = 1) {
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
        // Partitions are sorted independently: runs of whole partitions go to the workers,
        // each writing only its own positions of `rows`, `peerStart` and `peerEnd`.
        let words = order.count == 1 ? WindowPartitions.words(order[0], descending: directions[0].descending) : nil
        let ordering = order.isEmpty || words != nil ? nil : RowOrdering(order, directions: directions, count: n)
        let chunks = WindowPartitions.chunks(starts, threads: threads)
        rows.withUnsafeMutableBufferPointer { rowsBuffer in
            peerStart.withUnsafeMutableBufferPointer { ps in
                peerEnd.withUnsafeMutableBufferPointer { pe in
                    let out = Output(rows: rowsBuffer, peerStart: ps, peerEnd: pe)
                    let sortChunk = { (k: Int) in
                        for p in chunks[k]..<chunks[k + 1] {
                            WindowPartitions.sortPartition(starts[p], starts[p + 1], out, words: words, ordering: ordering)
                        }
                    }
                    if chunks.count - 1 <= 1 || threads <= 1 {
                        for k in 0..<(chunks.count - 1) { sortChunk(k) }
                    } else {
                        let runner = MorselRunner<Void>(count: chunks.count - 1, threads: threads, window: chunks.count) { k in
                            sortChunk(k)
                        }
                        while (try? runner.next()) != nil {}
                    }
                }
            }
        }
        withExtendedLifetime(ordering) {}
        self.rows = rows
        self.starts = starts
        self.peerStart = peerStart
        self.peerEnd = peerEnd
    }

    var partitionCount: Int { starts.count - 1 }

    /// Where the sorted positions and peer bounds are written (workers write disjoint runs).
    private struct Output: @unchecked Sendable {
        let rows: UnsafeMutableBufferPointer<Int32>
        let peerStart: UnsafeMutableBufferPointer<Int32>
        let peerEnd: UnsafeMutableBufferPointer<Int32>
    }

    /// Partition indexes cut into runs of about equal rows, a few per thread: `[0, …, count]`.
    private static func chunks(_ starts: [Int], threads: Int) -> [Int] {
        let partitions = starts.count - 1
        let n = starts.last ?? 0
        guard threads > 1, n >= 1 << 14, partitions > 1 else { return [0, partitions] }
        let target = Swift.max(1, n / (threads * 4))
        var out = [0]
        var last = 0
        for p in 0..<partitions where starts[p + 1] - starts[last] >= target {
            out.append(p + 1)
            last = p + 1
        }
        if out.last != partitions { out.append(partitions) }
        return out
    }

    /// Sorts positions `ps..<pe` (one partition) and sets their peer groups: by words when
    /// there are (a partition already in order is only checked), else by `ordering`, else
    /// the whole partition is one peer group.
    private static func sortPartition(_ ps: Int, _ pe: Int, _ out: Output, words: [UInt64]?, ordering: RowOrdering?) {
        let rows = out.rows
        if let words {
            words.withUnsafeBufferPointer { w in
                var sorted = true
                var i = ps + 1
                while i < pe {
                    if w[Int(rows[i - 1])] > w[Int(rows[i])] { sorted = false; break }
                    i += 1
                }
                if !sorted {
                    var pairs: [(UInt64, Int32)] = []
                    pairs.reserveCapacity(pe - ps)
                    for j in ps..<pe { pairs.append((w[Int(rows[j])], rows[j])) }
                    pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                    for (k, pair) in pairs.enumerated() { rows[ps + k] = pair.1 }
                }
                var groupStart = ps
                for j in ps..<pe {
                    if j > ps, w[Int(rows[j - 1])] != w[Int(rows[j])] {
                        for q in groupStart..<j { out.peerEnd[q] = Int32(j) }
                        groupStart = j
                    }
                    out.peerStart[j] = Int32(groupStart)
                }
                for q in groupStart..<pe { out.peerEnd[q] = Int32(pe) }
            }
        } else if let ordering {
            if pe - ps > 1 {
                var part = UnsafeMutableBufferPointer(rebasing: rows[ps..<pe])
                part.sort { x, y in
                    let c = ordering.compareKeys(Int(x), Int(y))
                    return c != 0 ? c < 0 : x < y
                }
            }
            var groupStart = ps
            for i in ps..<pe {
                if i > ps, ordering.compareKeys(Int(rows[i - 1]), Int(rows[i])) != 0 {
                    for j in groupStart..<i { out.peerEnd[j] = Int32(i) }
                    groupStart = i
                }
                out.peerStart[i] = Int32(groupStart)
            }
            for j in groupStart..<pe { out.peerEnd[j] = Int32(pe) }
        } else {
            for i in ps..<pe {
                out.peerStart[i] = Int32(ps)
                out.peerEnd[i] = Int32(pe)
            }
        }
    }

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

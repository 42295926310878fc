// Moving-frame aggregates that are neither prefix sums nor a plain min/max: arg_min /
// arg_max through a segment tree of positions, and median through an order-statistic tree
// (a Fenwick tree over the values' ranks) that rows enter and leave once as the frames move.

extension WindowAggregate {
    /// arg_min(x, y) / arg_max(x, y): the x of the row whose y is least (greatest) in the
    /// frame, skipping rows where x or y is NULL; of equal keys the earliest position wins.
    /// O(log n) per frame.
    func argExtreme(_ x: Vector, _ y: Vector, _ included: [Bool]?, _ frames: WindowFrames) -> Vector {
        let parts = w.partitions
        let n = parts.count
        let ordering = RowOrdering([y], directions: [(descending: function == .argMax, nullsFirst: false)], count: n)
        var tree = [Int32](repeating: -1, count: 2 * Swift.max(n, 1))
        var position = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let row = Int(parts.rows[i])
            position[row] = Int32(i)
            if x.isNull(row) || y.isNull(row) { continue }
            if let included, !included[row] { continue }
            tree[n + i] = Int32(row)
        }
        /// The better of two rows, `a` on ties when it comes first.
        @inline(__always) func better(_ a: Int32, _ b: Int32) -> Int32 {
            if a < 0 { return b }
            if b < 0 { return a }
            let c = ordering.compareKeys(Int(a), Int(b))
            if c != 0 { return c < 0 ? a : b }
            return position[Int(a)] <= position[Int(b)] ? a : b
        }
        var source = [Int32](repeating: -1, count: n)
        withExtendedLifetime(ordering) {
            var k = n - 1
            while k >= 1 {
                tree[k] = better(tree[2 * k], tree[2 * k + 1])
                k -= 1
            }
            for i in 0..<n {
                var best: Int32 = -1
                frames.pieces(i).forEach { lo, hi in
                    var left: Int32 = -1, right: Int32 = -1
                    var l = lo + n, r = hi + n
                    while l < r {
                        if l & 1 == 1 { left = better(left, tree[l]); l += 1 }
                        if r & 1 == 1 { r -= 1; right = better(tree[r], right) }
                        l >>= 1
                        r >>= 1
                    }
                    best = better(best, better(left, right))
                }
                source[Int(parts.rows[i])] = best
            }
        }
        return x.gather(source)
    }

    /// median over frames that only move forward: the frame's values kept in a Fenwick tree
    /// over their ranks; each row enters and leaves once, EXCLUDE takes its rows out for the
    /// one query. nil for types the sliding form does not read (the caller folds per row).
    func slidingMedian(_ x: Vector, _ included: [Bool]?, _ frames: WindowFrames, distinct: Bool) -> Vector? {
        guard !distinct else { return nil }
        let parts = w.partitions
        let n = parts.count
        let timestamps = f.type == .timestamp
        var keys = [Double](repeating: 0, count: n)
        var times = [Int64](repeating: 0, count: n)
        switch x.storage {
        case .int64(let a) where timestamps: times = a
        case .int64(let a) where x.type == .integer: for i in 0..<n { keys[i] = Double(a[i]) }
        case .double(let a): keys = a
        default: return nil
        }
        // Each eligible row's rank among all eligible values (ties by row).
        var eligible = [Bool](repeating: false, count: n)
        var order: [Int] = []
        order.reserveCapacity(n)
        for row in 0..<n where !x.isNull(row) && (included?[row] ?? true) {
            eligible[row] = true
            order.append(row)
        }
        if timestamps {
            order.sort { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
        } else {
            order.sort { ValueOrder.less(keys[$0], keys[$1]) || (!ValueOrder.less(keys[$1], keys[$0]) && $0 < $1) }
        }
        var rank = [Int32](repeating: -1, count: n)
        for (r, row) in order.enumerated() { rank[row] = Int32(r) }
        var tree = OrderStatisticTree(size: order.count)
        var count = 0
        @inline(__always) func add(_ position: Int, _ delta: Int32) {
            let row = Int(parts.rows[position])
            guard eligible[row] else { return }
            tree.add(Int(rank[row]), delta)
            count += Int(delta)
        }
        var doubles = [Double](repeating: 0, count: n)
        var ints = [Int64](repeating: 0, count: n)
        var validity = Validity(allValid: n)
        var sawNull = false
        for p in 0..<parts.partitionCount {
            let ps = parts.starts[p], pe = parts.starts[p + 1]
            var lo = ps, hi = ps
            for i in ps..<pe {
                let s = Int(frames.start[i]), e = Int(frames.end[i])
                while hi < e { add(hi, 1); hi += 1 }
                while lo < s { if lo < hi { add(lo, -1) }; lo += 1 }
                if hi < lo { hi = lo }
                // EXCLUDE: the positions of [s, e) that are not in the pieces leave for this query.
                var holes: [Int] = []
                if frames.exclude != .noOthers {
                    var covered = s
                    frames.pieces(i).forEach { a, b in
                        for q in covered..<a where q < e { holes.append(q) }
                        covered = Swift.max(covered, b)
                    }
                    for q in covered..<e { holes.append(q) }
                    for q in holes { add(q, -1) }
                }
                let row = Int(parts.rows[i])
                if count == 0 {
                    validity.set(row, valid: false)
                    sawNull = true
                } else {
                    let a = order[tree.kth((count - 1) / 2)], b = order[tree.kth(count / 2)]
                    if timestamps {
                        ints[row] = times[a] + (times[b] - times[a]) / 2
                    } else {
                        doubles[row] = keys[a] + (keys[b] - keys[a]) / 2
                    }
                }
                for q in holes { add(q, 1) }
            }
            for q in lo..<hi { add(q, -1) }
        }
        let v = sawNull ? validity : nil
        if timestamps { return Vector(type: .timestamp, storage: .int64(ints), validity: v) }
        return Vector(type: .double, storage: .double(doubles), validity: v)
    }
}

/// Counts per rank with O(log n) update and k-th smallest (a Fenwick tree).
struct OrderStatisticTree {
    private var counts: [Int32]
    private let size: Int
    private let top: Int

    init(size: Int) {
        self.size = size
        counts = [Int32](repeating: 0, count: size + 1)
        var t = 1
        while t * 2 <= size { t *= 2 }
        top = t
    }

    mutating func add(_ rank: Int, _ delta: Int32) {
        var i = rank + 1
        while i <= size {
            counts[i] += delta
            i += i & -i
        }
    }

    /// The rank of the k-th (0-based) smallest present value; `k` must be below the count.
    func kth(_ k: Int) -> Int {
        var position = 0
        var remaining = Int32(k + 1)
        var step = top
        while step > 0 {
            let next = position + step
            if next <= size && counts[next] < remaining {
                position = next
                remaining -= counts[next]
            }
            step >>= 1
        }
        return position
    }
}

// Aggregates over frames, never quadratic where it can be helped: a frame that is the whole
// partition folds each partition once; count, count_if, sum, avg, bool_and and bool_or read
// prefix sums; min and max query a segment tree of positions; first, last and any_value pick
// a row; count(DISTINCT) slides a window of value counts; arg_min / arg_max query a segment
// tree of positions; median slides an order-statistic tree (`WindowAggregate+Sliding`). Any
// other aggregate (string_agg and list, whose results are as long as their frames; the
// statistical ones) folds each row's frame into a state of its own.

struct WindowAggregate {
    let w: WindowEvaluator
    let function: AggregateFunction

    init(_ evaluator: WindowEvaluator, _ function: AggregateFunction) {
        self.w = evaluator
        self.function = function
    }

    var f: BoundWindowFunction { w.function }

    func evaluate() throws -> Vector {
        let args = w.arguments
        let included = includedRows(args)
        if f.frame.coversPartition(ordered: w.partitions.ordered) {
            return try wholePartitions(args, included)
        }
        let frames = try w.frames()
        if !f.distinct, let out = prefixSums(args, included, frames) { return out }
        if !f.distinct, function == .boolAnd || function == .boolOr, let out = booleans(args[0], included, frames) { return out }
        if !f.distinct, function == .min || function == .max { return extreme(args[0], included, frames) }
        if !f.distinct, function == .first || function == .last || function == .anyValue {
            return picked(args[0], included, frames)
        }
        if (f.distinct && function == .count) || function == .approxCountDistinct, frames.exclude == .noOthers,
           frames.onlyMoveForward(w.partitions) {
            return distinctCounts(args[0], included, frames)
        }
        if !f.distinct, function == .argMin || function == .argMax, args.count == 2 {
            return argExtreme(args[0], args[1], included, frames)
        }
        if function == .median, frames.onlyMoveForward(w.partitions), let out = slidingMedian(args[0], included, frames, distinct: f.distinct) {
            return out
        }
        return try perRow(args, included, frames)
    }

    /// Rows the FILTER lets through (nil: all of them).
    func includedRows(_ args: [Vector]) -> [Bool]? {
        guard let slot = w.inputs.filter else { return nil }
        let v = w.vectors[slot]
        guard case .boolean(let b) = v.storage else { return [Bool](repeating: false, count: w.partitions.count) }
        return (0..<w.partitions.count).map { b[$0] && !v.isNull($0) }
    }

    /// A fresh state and, when the state does not remove duplicates itself, a DISTINCT filter.
    private func accumulator(_ args: [Vector], groups: Int) throws -> (AggregateAccumulator, DistinctRowFilter?) {
        try WindowAggregate.accumulator(f, function, argumentTypes: args.map(\.type), groups: groups, w.context)
    }

    /// The state of `function` (the aggregate of `f`) for `groups` groups, and, when the state
    /// does not remove duplicates itself, a DISTINCT filter; `context` as for `AccumulatorFactory.make`.
    static func accumulator(_ f: BoundWindowFunction, _ function: AggregateFunction, argumentTypes types: [DataType],
                            groups: Int, _ context: ExecutionContext?) throws -> (AggregateAccumulator, DistinctRowFilter?) {
        let aggregate = BoundAggregate(function: function, arguments: f.arguments, distinct: f.distinct, type: f.type,
                                       range: f.range)
        let acc = try AccumulatorFactory.make(aggregate, argumentTypes: types, context)
        acc.grow(to: groups)
        let distinct = (f.distinct || function == .approxCountDistinct) && !types.isEmpty
            && !AccumulatorFactory.handlesDistinct(aggregate, argumentTypes: types)
            ? DistinctRowFilter(argumentTypes: types) : nil
        return (acc, distinct)
    }

    /// Folds `rows` (input rows) into groups `groups`.
    private func fold(_ acc: AggregateAccumulator, _ distinct: DistinctRowFilter?, _ args: [Vector],
                      rows: [Int32], groups: [Int32]) throws {
        guard !rows.isEmpty else { return }
        try WindowAggregate.fold(acc, distinct, args.map { $0.gather(rows) }, groups: groups)
    }

    /// Folds the rows of `args` (as many as `groups`) into groups `groups`, each DISTINCT
    /// argument once per group.
    static func fold(_ acc: AggregateAccumulator, _ distinct: DistinctRowFilter?, _ args: [Vector],
                     groups: [Int32]) throws {
        guard !groups.isEmpty else { return }
        var args = args
        var g = groups
        if let distinct {
            let keep = distinct.newRows(args, groups: g)
            if keep.count < groups.count {
                args = args.map { $0.gather(keep) }
                g = keep.map { g[Int($0)] }
            }
        }
        try g.withUnsafeBufferPointer { try acc.update(args, groups: $0) }
    }

    /// Every frame is its partition: one state per partition.
    private func wholePartitions(_ args: [Vector], _ included: [Bool]?) throws -> Vector {
        let parts = w.partitions
        let (acc, distinct) = try accumulator(args, groups: parts.partitionCount)
        var rows: [Int32] = [], groups: [Int32] = []
        for p in 0..<parts.partitionCount {
            for i in parts.starts[p]..<parts.starts[p + 1] {
                let row = parts.rows[i]
                if let included, !included[Int(row)] { continue }
                rows.append(row)
                groups.append(Int32(p))
                if rows.count >= Batch.capacity {
                    try fold(acc, distinct, args, rows: rows, groups: groups)
                    rows.removeAll(keepingCapacity: true)
                    groups.removeAll(keepingCapacity: true)
                }
            }
            try w.context.cancellation.check()
        }
        try fold(acc, distinct, args, rows: rows, groups: groups)
        return try acc.finish(count: parts.partitionCount).gather(parts.partitionOfRow)
    }

    /// Any aggregate: each row's frame folded into that row's own state.
    private func perRow(_ args: [Vector], _ included: [Bool]?, _ frames: WindowFrames) throws -> Vector {
        let parts = w.partitions
        let n = parts.count
        let (acc, distinct) = try accumulator(args, groups: n)
        var rows: [Int32] = [], groups: [Int32] = []
        for i in 0..<n {
            let target = parts.rows[i]
            try frames.pieces(i).forEach { lo, hi in
                for p in lo..<hi {
                    let row = parts.rows[p]
                    if let included, !included[Int(row)] { continue }
                    rows.append(row)
                    groups.append(target)
                }
                if rows.count >= 1 << 16 {
                    try fold(acc, distinct, args, rows: rows, groups: groups)
                    rows.removeAll(keepingCapacity: true)
                    groups.removeAll(keepingCapacity: true)
                    try w.context.cancellation.check()
                }
            }
        }
        try fold(acc, distinct, args, rows: rows, groups: groups)
        return try acc.finish(count: n)
    }

    /// count, count_if, sum and avg of numbers: differences of prefix sums over positions.
    private func prefixSums(_ args: [Vector], _ included: [Bool]?, _ frames: WindowFrames) -> Vector? {
        let parts = w.partitions
        let n = parts.count
        let x = args.first
        enum Source { case none, ints([Int64]), doubles([Double]), bools([Bool]) }
        var source = Source.none
        switch function {
        case .countStar, .count: break
        case .countIf:
            guard let x, case .boolean(let b) = x.storage else { return nil }
            source = .bools(b)
        case .sum, .avg:
            guard let x, f.type == .integer || f.type == .double else { return nil }
            switch x.storage {
            case .int64(let a) where x.type == .integer: source = .ints(a)
            case .double(let a): source = .doubles(a)
            case .boolean(let b): source = .bools(b)
            default: return nil
            }
        default:
            return nil
        }
        // counts[p]: rows before position p that count; sums likewise.
        var counts = [Int64](repeating: 0, count: n + 1)
        var intSums = [Int64](), doubleSums = [Double]()
        switch source {
        case .ints: intSums = [Int64](repeating: 0, count: n + 1)
        case .doubles: doubleSums = [Double](repeating: 0, count: n + 1)
        case .bools where function != .countIf: intSums = [Int64](repeating: 0, count: n + 1)
        default: break
        }
        for i in 0..<n {
            let row = Int(parts.rows[i])
            var counts1: Int64 = 1
            if let included, !included[row] { counts1 = 0 }
            if function != .countStar, let x, x.isNull(row) { counts1 = 0 }
            switch source {
            case .none: break
            case .ints(let a): intSums[i + 1] = intSums[i] &+ (counts1 == 1 ? a[row] : 0)
            case .doubles(let a): doubleSums[i + 1] = doubleSums[i] + (counts1 == 1 ? a[row] : 0)
            case .bools(let b):
                if function == .countIf {
                    if !b[row] { counts1 = 0 }
                } else {
                    intSums[i + 1] = intSums[i] &+ (counts1 == 1 && b[row] ? 1 : 0)
                }
            }
            counts[i + 1] = counts[i] + counts1
        }
        var ints = [Int64](repeating: 0, count: n)
        var doubles = [Double](repeating: 0, count: n)
        var validity = Validity(allValid: n)
        var sawNull = false
        for i in 0..<n {
            let row = Int(parts.rows[i])
            var c: Int64 = 0, si: Int64 = 0, sd: Double = 0
            frames.pieces(i).forEach { lo, hi in
                c += counts[hi] - counts[lo]
                if !intSums.isEmpty { si = si &+ (intSums[hi] &- intSums[lo]) }
                if !doubleSums.isEmpty { sd += doubleSums[hi] - doubleSums[lo] }
            }
            switch function {
            case .countStar, .count, .countIf:
                ints[row] = c
            case .sum:
                if c == 0 { validity.set(row, valid: false); sawNull = true }
                if f.type == .integer { ints[row] = si } else { doubles[row] = intSums.isEmpty ? sd : Double(si) }
            default:
                if c == 0 { validity.set(row, valid: false); sawNull = true; continue }
                doubles[row] = (intSums.isEmpty ? sd : Double(si)) / Double(c)
            }
        }
        let v = sawNull ? validity : nil
        if f.type == .integer { return Vector(type: .integer, storage: .int64(ints), validity: v) }
        return Vector(type: .double, storage: .double(doubles), validity: v)
    }

    /// min and max: a segment tree over positions holding the row of the least (greatest)
    /// value below each node; a frame asks O(log n) nodes.
    private func extreme(_ x: Vector, _ included: [Bool]?, _ frames: WindowFrames) -> Vector {
        let parts = w.partitions
        let n = parts.count
        let ordering = RowOrdering([x], directions: [(descending: function == .max, nullsFirst: false)], count: n)
        var tree = [Int32](repeating: -1, count: 2 * n)
        for i in 0..<n {
            let row = Int(parts.rows[i])
            if x.isNull(row) { continue }
            if let included, !included[row] { continue }
            tree[n + i] = Int32(row)
        }
        @inline(__always) func better(_ a: Int32, _ b: Int32) -> Int32 {
            if a < 0 { return b }
            if b < 0 { return a }
            return ordering.compareKeys(Int(b), Int(a)) < 0 ? b : a
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
                    var l = lo + n, r = hi + n
                    while l < r {
                        if l & 1 == 1 { best = better(best, tree[l]); l += 1 }
                        if r & 1 == 1 { r -= 1; best = better(best, tree[r]) }
                        l >>= 1
                        r >>= 1
                    }
                }
                source[Int(parts.rows[i])] = best
            }
        }
        return x.gather(source)
    }

    /// Positions (in order) of the rows that count: FILTER passed and, when asked, not NULL.
    private func eligible(_ x: Vector, _ included: [Bool]?, skipNulls: Bool) -> (before: [Int32], positions: [Int32]) {
        let parts = w.partitions
        let n = parts.count
        var before = [Int32](repeating: 0, count: n + 1)
        var positions: [Int32] = []
        positions.reserveCapacity(n)
        for i in 0..<n {
            let row = Int(parts.rows[i])
            let ok = (included?[row] ?? true) && !(skipNulls && x.isNull(row))
            before[i + 1] = before[i] + (ok ? 1 : 0)
            if ok { positions.append(Int32(i)) }
        }
        return (before, positions)
    }

    /// first (NULL included), last and any_value (the first that is not NULL) of the frame.
    private func picked(_ x: Vector, _ included: [Bool]?, _ frames: WindowFrames) -> Vector {
        let parts = w.partitions
        let rows = eligible(x, included, skipNulls: function == .anyValue)
        var source = [Int32](repeating: -1, count: parts.count)
        for i in 0..<parts.count {
            var found = -1
            let pieces = frames.pieces(i)
            if function == .last {
                pieces.forEachReversed { lo, hi in
                    if found < 0, rows.before[hi] > rows.before[lo] { found = Int(rows.positions[Int(rows.before[hi]) - 1]) }
                }
            } else {
                pieces.forEach { lo, hi in
                    if found < 0, rows.before[hi] > rows.before[lo] { found = Int(rows.positions[Int(rows.before[lo])]) }
                }
            }
            if found >= 0 { source[Int(parts.rows[i])] = parts.rows[found] }
        }
        return x.gather(source)
    }

    /// bool_and and bool_or: prefix counts of the values that are true and false.
    private func booleans(_ x: Vector, _ included: [Bool]?, _ frames: WindowFrames) -> Vector? {
        guard case .boolean(let b) = x.storage else { return nil }
        let parts = w.partitions
        let n = parts.count
        var trues = [Int32](repeating: 0, count: n + 1)
        var falses = [Int32](repeating: 0, count: n + 1)
        for i in 0..<n {
            let row = Int(parts.rows[i])
            let ok = (included?[row] ?? true) && !x.isNull(row)
            trues[i + 1] = trues[i] + (ok && b[row] ? 1 : 0)
            falses[i + 1] = falses[i] + (ok && !b[row] ? 1 : 0)
        }
        var out = [Bool](repeating: false, count: n)
        var validity = Validity(allValid: n)
        var sawNull = false
        for i in 0..<n {
            var t: Int32 = 0, f: Int32 = 0
            frames.pieces(i).forEach { lo, hi in
                t += trues[hi] - trues[lo]
                f += falses[hi] - falses[lo]
            }
            let row = Int(parts.rows[i])
            if t + f == 0 {
                validity.set(row, valid: false)
                sawNull = true
            }
            out[row] = function == .boolAnd ? f == 0 : t > 0
        }
        return Vector(type: .boolean, storage: .boolean(out), validity: sawNull ? validity : nil)
    }

    /// count(DISTINCT x) over frames that only move forward: each value's count in the frame,
    /// updated as the frame's ends advance, so each row enters and leaves once.
    private func distinctCounts(_ x: Vector, _ included: [Bool]?, _ frames: WindowFrames) -> Vector {
        let parts = w.partitions
        let n = parts.count
        let table = KeyTable(types: [x.type])
        var ids = [Int32]()
        ids.reserveCapacity(n)
        var start = 0
        while start < n {
            let end = Swift.min(n, start + Batch.capacity)
            ids += table.findOrInsert([x.slice(start..<end)], count: end - start, skippingNulls: true)
            start = end
        }
        var counts = [Int32](repeating: 0, count: table.count)
        var out = [Int64](repeating: 0, count: n)
        for p in 0..<parts.partitionCount {
            let ps = parts.starts[p], pe = parts.starts[p + 1]
            var lo = ps, hi = ps, distinct: Int64 = 0
            @inline(__always) func id(_ position: Int) -> Int32 {
                let row = Int(parts.rows[position])
                if let included, !included[row] { return -1 }
                return ids[row]
            }
            for i in ps..<pe {
                let s = Int(frames.start[i]), e = Int(frames.end[i])
                while hi < e {
                    let k = id(hi)
                    if k >= 0 {
                        if counts[Int(k)] == 0 { distinct += 1 }
                        counts[Int(k)] += 1
                    }
                    hi += 1
                }
                while lo < s {
                    if lo < hi {
                        let k = id(lo)
                        if k >= 0 {
                            counts[Int(k)] -= 1
                            if counts[Int(k)] == 0 { distinct -= 1 }
                        }
                    }
                    lo += 1
                }
                if hi < lo { hi = lo }
                out[Int(parts.rows[i])] = s < e ? distinct : 0
            }
            // Leave the counts empty for the next partition.
            for q in lo..<hi {
                let k = id(q)
                if k >= 0 { counts[Int(k)] -= 1 }
            }
        }
        return Vector(type: .integer, storage: .int64(out))
    }
}

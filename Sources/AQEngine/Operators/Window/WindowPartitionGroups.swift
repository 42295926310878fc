// The general window path on the workers: the partitions of one specification are split
// into groups by their partition id, and each worker takes whole groups, gathers their rows'
// arguments and keys from the input's batches, sorts their partitions and evaluates every
// function of the specification over them. Splitting the rows into groups and putting the
// results back in input row order run on the workers too, over runs of the input's batches;
// rows keep their input order inside a group, so the output is the same at any thread count.

struct WindowPartitionGroups {
    /// Group count per thread: several, so that one large group does not leave workers idle.
    static let groupsPerThread = 4
    /// Below this many rows, or with one partition, one thread evaluates the specification.
    static let minimumRows = 1 << 14

    /// How many groups to use for `n` rows in `partitionCount` partitions at `threads`
    /// threads; 1 means the serial path.
    static func groupCount(rows n: Int, partitionCount: Int, threads: Int) -> Int {
        guard threads > 1, n >= minimumRows, partitionCount > 1 else { return 1 }
        return Swift.min(partitionCount, threads * groupsPerThread)
    }

    /// Where workers write: each its own positions of these buffers.
    private struct Shared: @unchecked Sendable {
        let rows: UnsafeMutableBufferPointer<Int32>
        let localIds: UnsafeMutableBufferPointer<Int32>
    }

    /// Evaluates `functions` (indexes into `all`) over the rows of `input` split by partitioning
    /// `s` into `groups` groups, on up to `threads` workers; one result per function, in input
    /// row order. `types`: the evaluated expressions' types. The first group (in order) that
    /// fails decides the error, and no group after it is started; cancellation is checked
    /// before each group.
    static func evaluate(functions: [Int], all: [BoundWindowFunction], inputs: [WindowInputs],
                         input: WindowInput, partitioning s: Int, groups: Int, order: [Int],
                         directions: [(descending: Bool, nullsFirst: Bool)], types: [DataType],
                         context: ExecutionContext) throws -> [Vector] {
        let batches = WindowBatches(input)
        let n = batches.rowCount
        let partitionCount = input.partitionCounts[s]
        let g32 = Int32(groups)
        // Runs of batches, a few per thread: each counts its rows per group, then writes them.
        let runCount = Swift.max(1, Swift.min(batches.count, context.threads * groupsPerThread))
        let runs = (0...runCount).map { $0 * batches.count / runCount }
        func eachRow(_ r: Int, _ body: (Int, Int32) -> Void) {
            for j in runs[r]..<runs[r + 1] {
                let (k, b) = batches.address[j]
                let base = batches.starts[j]
                let local = input.parts[k].ids[s][b]
                let map = input.maps[s][k]
                local.withUnsafeBufferPointer { ids in
                    if let map {
                        map.withUnsafeBufferPointer { m in for i in 0..<ids.count { body(base + i, m[Int(ids[i])]) } }
                    } else {
                        for i in 0..<ids.count { body(base + i, ids[i]) }
                    }
                }
            }
        }
        let counts = try parallel(runCount, context) { r -> [Int] in
            var c = [Int](repeating: 0, count: groups)
            eachRow(r) { _, id in c[Int(id % g32)] += 1 }
            return c
        }
        // Group g's rows are rows[starts[g]..<starts[g + 1]], in input order; run r writes
        // its rows of g from offsets[r][g] on (a partition id p is in group p % groups with
        // local id p / groups).
        var starts = [Int](repeating: 0, count: groups + 1)
        var offsets = counts
        for g in 0..<groups {
            var at = starts[g]
            for r in 0..<runCount {
                offsets[r][g] = at
                at += counts[r][g]
            }
            starts[g + 1] = at
        }
        let rowsBuffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: Swift.max(n, 1))
        let idsBuffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: Swift.max(n, 1))
        defer {
            rowsBuffer.deallocate()
            idsBuffer.deallocate()
        }
        let shared = Shared(rows: rowsBuffer, localIds: idsBuffer)
        _ = try parallel(runCount, context) { r -> Bool in
            var fill = offsets[r]
            eachRow(r) { row, id in
                let g = Int(id % g32)
                shared.rows[fill[g]] = Int32(row)
                shared.localIds[fill[g]] = id / g32
                fill[g] += 1
            }
            return true
        }
        // The slots the functions read; the others are not gathered.
        var used = Set(order)
        for k in functions {
            used.formUnion(inputs[k].arguments)
            if let f = inputs[k].filter { used.insert(f) }
            if let o = inputs[k].order { used.insert(o) }
        }
        let results = try parallel(groups, context) { g -> [Vector] in
            try context.cancellation.check()
            let mine = Array(shared.rows[starts[g]..<starts[g + 1]])
            let local = types.indices.map { c in
                used.contains(c) ? batches.gather(c, rows: mine, type: types[c]) : Vector.nulls(type: .null, count: 0)
            }
            let partitions = WindowPartitions(partitionIds: Array(shared.localIds[starts[g]..<starts[g + 1]]),
                                              partitionCount: (partitionCount - g + groups - 1) / groups,
                                              count: mine.count, order: order.map { local[$0] }, directions: directions)
            return try functions.map { k in
                try WindowEvaluator(function: all[k], partitions: partitions, inputs: inputs[k], vectors: local,
                                    context: context).evaluate()
            }
        }
        return try functions.indices.map { f in
            try scatter(results.map { $0[f] }, rows: shared.rows, starts: starts, count: n,
                        type: all[functions[f]].type, context)
        }
    }

    /// `work(0) … work(count - 1)` on the workers, the results in order.
    private static func parallel<R>(_ count: Int, _ context: ExecutionContext, _ work: @escaping (Int) throws -> R) throws -> [R] {
        let runner = MorselRunner<R>(count: count, threads: context.threads, window: count, work: work)
        var out: [R] = []
        out.reserveCapacity(count)
        while let r = try runner.next() { out.append(r) }
        return out
    }

    /// One result in input row order from the groups' results (`parts[g]` row j is input row
    /// `rows[starts[g] + j]`): numbers and times written in place by each group on the
    /// workers, anything else assembled on this thread.
    private static func scatter(_ parts: [Vector], rows: UnsafeMutableBufferPointer<Int32>, starts: [Int], count n: Int,
                                type: DataType, _ context: ExecutionContext) throws -> Vector {
        let fixed = parts.allSatisfy { part in
            switch part.storage {
            case .int64: return type.isInt64Backed
            case .double: return type == .double
            default: return false
            }
        }
        guard fixed else {
            return try Vector.scatter(parts.indices.map { g in (Array(rows[starts[g]..<starts[g + 1]]), parts[g]) },
                                      count: n, type: type)
        }
        let anyNull = parts.contains { $0.validity != nil }
        var words = [UInt64](repeating: 0, count: n)
        var valid = [UInt8](repeating: anyNull ? 0 : 1, count: anyNull ? n : 0)
        try words.withUnsafeMutableBufferPointer { out in
            try valid.withUnsafeMutableBufferPointer { validOut in
                let target = Target(words: out, valid: validOut)
                _ = try parallel(parts.count, context) { g -> Bool in
                    let part = parts[g]
                    let base = starts[g]
                    part.validity.withView { vv in
                        func put(_ j: Int, _ w: UInt64) {
                            let row = Int(rows[base + j])
                            target.words[row] = w
                            if anyNull { target.valid[row] = vv.isValid(j) ? 1 : 0 }
                        }
                        switch part.storage {
                        case .int64(let a): for j in a.indices { put(j, UInt64(bitPattern: a[j])) }
                        case .double(let a): for j in a.indices { put(j, a[j].bitPattern) }
                        default: break
                        }
                    }
                    return true
                }
            }
        }
        var validity: Validity?
        if anyNull, valid.contains(0) {
            var v = Validity(allValid: n)
            for i in 0..<n where valid[i] == 0 { v.set(i, valid: false) }
            validity = v
        }
        let storage: VectorStorage = type == .double ? .double(words.map { Double(bitPattern: $0) })
            : .int64(words.map { Int64(bitPattern: $0) })
        return Vector(type: type, storage: storage, validity: validity)
    }

    /// Where groups write their results (each its own rows).
    private struct Target: @unchecked Sendable {
        let words: UnsafeMutableBufferPointer<UInt64>
        let valid: UnsafeMutableBufferPointer<UInt8>
    }
}

/// The input's evaluated batches in input order, with each one's first row: for gathering
/// the values of rows given by their input position without joining the batches first.
struct WindowBatches {
    /// Part and batch of each batch, in input order.
    let address: [(part: Int, batch: Int)]
    /// The first input row of each batch, then the row count.
    let starts: [Int]
    private let input: WindowInput

    init(_ input: WindowInput) {
        var address: [(part: Int, batch: Int)] = []
        var starts = [0]
        for (k, part) in input.parts.enumerated() {
            for (b, values) in part.values.enumerated() {
                address.append((k, b))
                starts.append(starts[starts.count - 1] + values.count)
            }
        }
        self.address = address
        self.starts = starts
        self.input = input
    }

    var count: Int { address.count }
    var rowCount: Int { starts[starts.count - 1] }

    /// Evaluated column `c` at input rows `rows` (ascending): each batch's rows gathered from
    /// it, the pieces joined.
    func gather(_ c: Int, rows: [Int32], type: DataType) -> Vector {
        var pieces: [Vector] = []
        var j = 0
        var batch = 0
        while j < rows.count {
            let row = Int(rows[j])
            // The batch holding `row`: the rows ascend, so a search from the current batch.
            if starts[batch + 1] <= row {
                var lo = batch + 1, hi = address.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if starts[mid + 1] <= row { lo = mid + 1 } else { hi = mid }
                }
                batch = lo
            }
            var picks: [Int32] = []
            let base = starts[batch]
            while j < rows.count, Int(rows[j]) < starts[batch + 1] {
                picks.append(rows[j] - Int32(base))
                j += 1
            }
            let (k, b) = address[batch]
            pieces.append(input.parts[k].values[b].columns[c].gather(picks))
        }
        return Vector.concatenate(pieces, type: type)
    }
}

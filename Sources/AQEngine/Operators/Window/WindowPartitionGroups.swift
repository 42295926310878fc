// The general window path on the workers: the partitions of one specification are split
// into groups by a hash of their key (the partition id from the key table), and each worker
// takes whole groups, sorts their partitions and evaluates every function of the
// specification over them. Results are put back in input row order, so the output is the
// same at any thread count.

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

    /// Evaluates `functions` (indexes into `all`) over rows split by `partitionIds` into
    /// `groups` groups, on up to `threads` workers; one result per function, in input row
    /// order. The first group (in order) that fails decides the error, and no group after
    /// it is started; cancellation is checked before each group.
    static func evaluate(functions: [Int], all: [BoundWindowFunction], inputs: [WindowInputs],
                         partitionIds: [Int32], partitionCount: Int, groups: Int,
                         order: [Int], directions: [(descending: Bool, nullsFirst: Bool)],
                         vectors: [Vector], context: ExecutionContext) throws -> [Vector] {
        let n = partitionIds.count
        // Rows of each group in input order, one group after another: group g's rows are
        // rows[starts[g]..<starts[g + 1]], each with its partition within the group (a
        // partition id p is in group p % groups with local id p / groups). Counted, then
        // placed: one pass each over the ids, no array per group grown row by row.
        let g32 = Int32(groups)
        var starts = [Int](repeating: 0, count: groups + 1)
        var rows = [Int32](repeating: 0, count: n)
        var localIds = [Int32](repeating: 0, count: n)
        partitionIds.withUnsafeBufferPointer { ids in
            for id in ids { starts[Int(id % g32) + 1] += 1 }
            for g in 0..<groups { starts[g + 1] += starts[g] }
            var fill = starts
            rows.withUnsafeMutableBufferPointer { rows in
                localIds.withUnsafeMutableBufferPointer { local in
                    fill.withUnsafeMutableBufferPointer { fill in
                        for row in 0..<n {
                            let id = ids[row]
                            let g = Int(id % g32)
                            rows[fill[g]] = Int32(row)
                            local[fill[g]] = id / g32
                            fill[g] += 1
                        }
                    }
                }
            }
        }
        let runner = MorselRunner<[Vector]>(count: groups, threads: context.threads, window: groups) { g in
            try context.cancellation.check()
            let mine = Array(rows[starts[g]..<starts[g + 1]])
            let local = vectors.map { $0.gather(mine) }
            let partitions = WindowPartitions(partitionIds: Array(localIds[starts[g]..<starts[g + 1]]),
                                              partitionCount: (partitionCount - g + groups - 1) / groups,
                                              count: mine.count, order: order.map { local[$0] }, directions: directions)
            return try functions.map { k in
                try WindowEvaluator(function: all[k], partitions: partitions, inputs: inputs[k], vectors: local,
                                    context: context).evaluate()
            }
        }
        var parts: [[Vector]] = []
        while let part = try runner.next() { parts.append(part) }
        // The groups' results concatenated in group order are in the order of `rows`: the
        // result of input row rows[j] is at j.
        var source = [Int32](repeating: 0, count: n)
        for (j, row) in rows.enumerated() { source[Int(row)] = Int32(j) }
        return functions.indices.map { f in
            Vector.concatenate(parts.map { $0[f] }, type: all[functions[f]].type).gather(source)
        }
    }
}

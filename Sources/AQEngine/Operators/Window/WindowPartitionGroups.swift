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
        // Rows of each group in input order, and each row's partition within its group: a
        // partition id p is in group p % groups with local id p / groups.
        var rows = [[Int32]](repeating: [], count: groups)
        var localIds = [[Int32]](repeating: [], count: groups)
        let g32 = Int32(groups)
        for (row, id) in partitionIds.enumerated() {
            let g = Int(id % g32)
            rows[g].append(Int32(row))
            localIds[g].append(id / g32)
        }
        let runner = MorselRunner<[Vector]>(count: groups, threads: context.threads, window: groups) { g in
            try context.cancellation.check()
            let local = vectors.map { $0.gather(rows[g]) }
            let partitions = WindowPartitions(partitionIds: localIds[g], partitionCount: (partitionCount - g + groups - 1) / groups,
                                              count: rows[g].count, order: order.map { local[$0] }, directions: directions)
            return try functions.map { k in
                try WindowEvaluator(function: all[k], partitions: partitions, inputs: inputs[k], vectors: local,
                                    context: context).evaluate()
            }
        }
        var parts: [[Vector]] = []
        while let part = try runner.next() { parts.append(part) }
        // Row r of group g sits at offset[g] + its place in the group in the concatenated results.
        var source = [Int32](repeating: 0, count: n)
        var offset: Int32 = 0
        for g in 0..<groups {
            for (k, row) in rows[g].enumerated() { source[Int(row)] = offset + Int32(k) }
            offset += Int32(rows[g].count)
        }
        return functions.indices.map { f in
            Vector.concatenate(parts.map { $0[f] }, type: all[functions[f]].type).gather(source)
        }
    }
}

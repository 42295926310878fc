// Aggregates whose frame is the whole partition, in a specification without ORDER BY
// (`min(time) OVER (PARTITION BY source_ip)`): a grouped aggregate on the partition key,
// broadcast back to the rows. No sort and no copy per partition: every row is folded, batch
// by batch in input order, into its partition's state, so each partition folds its rows in
// the order the sorted path would (input order within a partition), at any thread count.

enum WindowPartitionAggregate {
    /// Whether every one of `functions` (one specification's) is such an aggregate.
    static func applies(_ functions: [BoundWindowFunction]) -> Bool {
        functions.allSatisfy(\.isWholePartitionAggregate)
    }

    /// The result of `f` for each of `partitionCount` partitions of partitioning `s` of
    /// `input`; `inputs` are the evaluated columns it reads.
    static func evaluate(_ f: BoundWindowFunction, inputs: WindowInputs, input: WindowInput, partitioning s: Int,
                         _ context: ExecutionContext) throws -> Vector {
        guard case .aggregate(let function) = f.kind else {
            throw ExecutionError.failed("internal error: \(f.kind.name) is not an aggregate", range: f.range)
        }
        let partitionCount = input.partitionCounts[s]
        let (acc, distinct) = try WindowAggregate.accumulator(f, function, argumentTypes: f.arguments.map(\.type),
                                                              groups: partitionCount)
        for (k, part) in input.parts.enumerated() {
            for (b, values) in part.values.enumerated() {
                var args = inputs.arguments.map { values.columns[$0] }
                var groups = input.ids(s, part: k, batch: b)
                if let slot = inputs.filter {
                    let keep = selected(values.columns[slot])
                    if keep.count < groups.count {
                        args = args.map { $0.gather(keep) }
                        groups = keep.map { groups[Int($0)] }
                    }
                }
                try WindowAggregate.fold(acc, distinct, args, groups: groups)
            }
            try context.cancellation.check()
        }
        return try acc.finish(count: partitionCount)
    }

    /// The rows a FILTER lets through: TRUE, not NULL.
    private static func selected(_ v: Vector) -> [Int32] {
        guard case .boolean(let b) = v.storage else { return [] }
        var out: [Int32] = []
        out.reserveCapacity(b.count)
        for i in b.indices where b[i] && !v.isNull(i) { out.append(Int32(i)) }
        return out
    }
}

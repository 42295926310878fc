// Aggregates whose frame is the whole partition, in a specification without ORDER BY
// (`min(time) OVER (PARTITION BY source_ip)`): a grouped aggregate on the partition key,
// broadcast back to the rows, with no sort and no copy per partition. An aggregate that
// combines from partial results (count, sum, min, max, bool_and, bool_or) is folded by each
// part of the input where it is read (on the workers), and the parts' results are combined
// in part order; parts are the pipeline's morsels at every thread count, so the result does
// not depend on it. Any other is folded batch by batch in input order, as the sorted path
// would fold each partition.

enum WindowPartitionAggregate {
    /// Whether every one of `functions` (one specification's) is such an aggregate.
    static func applies(_ functions: [BoundWindowFunction]) -> Bool {
        functions.allSatisfy(\.isWholePartitionAggregate)
    }

    /// A function folded by each part as it is read: its index, its call, the evaluated
    /// columns it reads and its partitioning.
    struct Partial {
        let function: Int
        let f: BoundWindowFunction
        let inputs: WindowInputs
        let partitioning: Int
    }

    /// The aggregate that combines the parts' results of `f` into its result, when there is
    /// one: counts are summed; sum, min, max, bool_and and bool_or taken again.
    static func combining(_ f: BoundWindowFunction) -> AggregateFunction? {
        guard f.isWholePartitionAggregate, !f.distinct, case .aggregate(let a) = f.kind else { return nil }
        return AggregateSplit.combiner(of: a)
    }

    /// The states of one part's partial functions.
    final class PartFold {
        private let partials: [Partial]
        private var states: [(AggregateAccumulator, DistinctRowFilter?)] = []

        init(_ partials: [Partial]) throws {
            self.partials = partials
            for p in partials {
                guard case .aggregate(let function) = p.f.kind else { continue }
                // A part's fold runs on a worker already: its states finish on that thread.
                states.append(try WindowAggregate.accumulator(p.f, function, argumentTypes: p.f.arguments.map(\.type),
                                                              groups: 0, nil))
            }
        }

        /// Folds one batch: `values` its evaluated columns, `ids` each partitioning's
        /// partition ids, `counts` each partitioning's partitions so far.
        func add(_ values: Batch, ids: [[Int32]], counts: [Int]) throws {
            for (p, (acc, distinct)) in zip(partials, states) {
                acc.grow(to: counts[p.partitioning])
                try WindowPartitionAggregate.fold(acc, distinct, values, p.inputs, groups: ids[p.partitioning])
            }
        }

        /// Each partial function's result per partition of the part.
        func finish(counts: [Int]) throws -> [Int: Vector] {
            var out: [Int: Vector] = [:]
            for (p, (acc, _)) in zip(partials, states) { out[p.function] = try acc.finish(count: counts[p.partitioning]) }
            return out
        }
    }

    /// The result of function `k` (`f`) for each partition of partitioning `s` of `input`;
    /// `inputs` are the evaluated columns it reads.
    static func evaluate(_ k: Int, _ f: BoundWindowFunction, inputs: WindowInputs, input: WindowInput, partitioning s: Int,
                         _ context: ExecutionContext) throws -> Vector {
        guard case .aggregate(let function) = f.kind else {
            throw ExecutionError.failed("internal error: \(f.kind.name) is not an aggregate", range: f.range)
        }
        let partitionCount = input.partitionCounts[s]
        if let combine = combining(f), !input.parts.isEmpty, input.parts.allSatisfy({ $0.partials[k] != nil }) {
            if input.parts.count == 1, let only = input.parts[0].partials[k] { return only }
            let aggregate = BoundAggregate(function: combine, arguments: [], type: f.type, range: f.range)
            var acc: AggregateAccumulator?
            for (p, part) in input.parts.enumerated() {
                guard let partial = part.partials[k], partial.count > 0 else { continue }
                if acc == nil {
                    acc = try AccumulatorFactory.make(aggregate, argumentTypes: [partial.type], context)
                    acc?.grow(to: partitionCount)
                }
                let groups = input.maps[s][p] ?? (0..<Int32(partial.count)).map { $0 }
                try groups.withUnsafeBufferPointer { try acc?.update([partial], groups: $0) }
            }
            if let acc { return try acc.finish(count: partitionCount) }
        }
        let (acc, distinct) = try WindowAggregate.accumulator(f, function, argumentTypes: f.arguments.map(\.type),
                                                              groups: partitionCount, context)
        for (p, part) in input.parts.enumerated() {
            for (b, values) in part.values.enumerated() {
                try fold(acc, distinct, values, inputs, groups: input.ids(s, part: p, batch: b))
            }
            try context.cancellation.check()
        }
        return try acc.finish(count: partitionCount)
    }

    /// Folds one batch's rows that the FILTER lets through into groups `groups`.
    private static func fold(_ acc: AggregateAccumulator, _ distinct: DistinctRowFilter?, _ values: Batch,
                             _ inputs: WindowInputs, groups: [Int32]) throws {
        var args = inputs.arguments.map { values.columns[$0] }
        var groups = groups
        if let slot = inputs.filter {
            let keep = selected(values.columns[slot])
            if keep.count < groups.count {
                args = args.map { $0.gather(keep) }
                groups = keep.map { groups[Int($0)] }
            }
        }
        try WindowAggregate.fold(acc, distinct, args, groups: groups)
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

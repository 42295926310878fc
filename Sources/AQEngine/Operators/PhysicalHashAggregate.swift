// GROUP BY: every input row is given the index of its group in a key table, then each
// aggregate folds the batch into per-group states. Without GROUP BY there is exactly one
// group, so an empty input still gives one row (count 0, sum NULL).

final class PhysicalHashAggregate: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let groups: [BoundExpr]
    private let context: ExecutionContext
    private let keys: KeyTable?
    /// Group keys evaluated once per distinct combination of the columns they read.
    private let groupMemos: [TupleMemo?]
    /// Fixed-width `time_bucket` and `date_trunc` keys, grouped on their bucket numbers (see
    /// `FixedTimeBuckets`).
    private let bucketKeys: [(buckets: FixedTimeBuckets, time: BoundExpr)?]

    /// One aggregate call: what to evaluate for it and where its state lives.
    private struct Call {
        var aggregate: BoundAggregate
        /// The arguments, then the ORDER BY keys of the call.
        var inputs: [BoundExpr]
        var inputMemos: [TupleMemo?]
        var filter: BoundExpr?
        var filterColumns: Set<Int>
        var distinct: DistinctRowFilter?
        var accumulator: AggregateAccumulator
    }
    private var calls: [Call]
    /// Every call's accumulator, when the query groups by one string column and every call is
    /// a plain count(*): the rows are then counted per dictionary code (`CodeCounts`).
    private let countsByCode: [CountAccumulator]?
    private var codeCounts = CodeCounts()
    private var output: BatchSlicer?
    /// Group 0 of every row, without GROUP BY.
    private var zeros: [Int32] = []

    /// `call`'s buckets and its TIMESTAMP argument, when `call` is `time_bucket` over a
    /// TIMESTAMP with a constant width of days and time, or `date_trunc` of a TIMESTAMP to a
    /// constant unit of a day or less; nil otherwise.
    private static func fixedTimeBuckets(_ call: BoundExpr) -> (buckets: FixedTimeBuckets, time: BoundExpr)? {
        guard call.type == .timestamp, case .call(let function, let arguments) = call.kind,
              arguments.count == 2, arguments[1].type == .timestamp else { return nil }
        switch (function.name, arguments[0].kind) {
        case ("time_bucket", .constant(.interval(let w))):
            return FixedTimeBuckets(width: w, range: call.range).map { ($0, arguments[1]) }
        case ("date_trunc", .constant(.varchar(let name))):
            guard let unit = TimeFunctions.unit(named: name) else { return nil }
            return FixedTimeBuckets(truncatingTo: unit, range: call.range).map { ($0, arguments[1]) }
        default:
            return nil
        }
    }

    init(_ input: PhysicalOperator, groups: [BoundExpr], aggregates: [BoundAggregate],
         _ context: ExecutionContext) throws {
        self.input = input
        self.groups = groups
        self.context = context
        self.types = groups.map(\.type) + aggregates.map(\.type)
        let bucketKeys = groups.map(Self.fixedTimeBuckets)
        self.bucketKeys = bucketKeys
        self.keys = groups.isEmpty ? nil : KeyTable(types: groups.indices.map { bucketKeys[$0] == nil ? groups[$0].type : .integer })
        self.groupMemos = TupleMemo.memos(groups)
        self.calls = try aggregates.map { aggregate in
            var arguments = aggregate.arguments
            // string_agg joins text: other types are cast to VARCHAR first.
            if aggregate.function == .stringAgg, let first = arguments.first, !first.type.isString, first.type != .null {
                arguments[0] = BoundExpr(.cast(first, isTry: false), type: .varchar, range: first.range)
            }
            let argumentTypes = arguments.map(\.type)
            var filterColumns = Set<Int>()
            for e in arguments + aggregate.orderBy.map(\.expr) { filterColumns.formUnion(ExpressionWalker.columns(of: e)) }
            return Call(aggregate: aggregate,
                        inputs: arguments + aggregate.orderBy.map(\.expr),
                        inputMemos: TupleMemo.memos(arguments + aggregate.orderBy.map(\.expr)),
                        filter: aggregate.filter,
                        filterColumns: filterColumns,
                        // approx_count_distinct is counted exactly.
                        distinct: (aggregate.distinct || aggregate.function == .approxCountDistinct) && !arguments.isEmpty
                            && !AccumulatorFactory.handlesDistinct(aggregate, argumentTypes: argumentTypes)
                            ? DistinctRowFilter(argumentTypes: argumentTypes) : nil,
                        accumulator: try AccumulatorFactory.make(aggregate, argumentTypes: argumentTypes, context))
        }
        let counts = calls.compactMap { call in
            call.aggregate.function == .countStar && call.filter == nil ? call.accumulator as? CountAccumulator : nil
        }
        self.countsByCode = groups.count == 1 && groups[0].type.isString && bucketKeys[0] == nil
            && counts.count == calls.count ? counts : nil
    }

    func next() throws -> Batch? {
        if output == nil { output = try consume() }
        return output?.next()
    }

    /// Groups so far.
    var groupCount: Int { keys?.count ?? 1 }

    private func consume() throws -> BatchSlicer {
        while let batch = try input.next() { try add(batch) }
        return try result()
    }

    /// Folds one batch of the input into the groups' states (for a caller that feeds the
    /// batches itself, see `PartialAggregate`).
    func add(_ batch: Batch) throws {
        try context.cancellation.check()
        let n = batch.count
        let groupOf: [Int32]
        if let keys {
            let vectors = try groups.indices.map { k in
                if let (buckets, time) = bucketKeys[k] {
                    return try buckets.numbers(ExpressionEvaluator.evaluate(time, batch, context), count: n)
                }
                return try groupMemos[k]?.evaluate(batch, context) ?? ExpressionEvaluator.evaluate(groups[k], batch, context)
            }
            if let countsByCode, let (present, rows) = codeCounts.count(vectors[0], rows: n) {
                let groupOf = keys.findOrInsert([present], count: present.count)
                for accumulator in countsByCode {
                    accumulator.grow(to: groupCount)
                    accumulator.add(rows: rows, groups: groupOf)
                }
                return
            }
            groupOf = keys.findOrInsert(vectors, count: n)
        } else {
            if zeros.count != n { zeros = [Int32](repeating: 0, count: n) }
            groupOf = zeros
        }
        for k in calls.indices {
            try update(k, batch, groupOf)
        }
    }

    /// The groups and their results.
    func result() throws -> BatchSlicer {
        let count = groupCount
        var columns = keys?.keyVectors(0..<count) ?? []
        for (k, key) in bucketKeys.enumerated() {
            if let (buckets, _) = key { columns[k] = buckets.starts(columns[k]) }
        }
        for call in calls {
            columns.append(try call.accumulator.finish(count: count))
        }
        return BatchSlicer(columns: columns, count: count)
    }

    private func update(_ k: Int, _ batch: Batch, _ groupOf: [Int32]) throws {
        let call = calls[k]
        var rows = batch
        var groupOf = groupOf
        if let filter = call.filter {
            let selected = try ExpressionEvaluator.select(filter, batch, context)
            if selected.isEmpty { return }
            if selected.count < batch.count {
                rows = ExpressionWalker.narrowed(batch, keeping: call.filterColumns, gather: selected)
                groupOf = selected.map { groupOf[Int($0)] }
            }
        }
        var arguments = try call.inputs.indices.map { k in
            try call.inputMemos[k]?.evaluate(rows, context) ?? ExpressionEvaluator.evaluate(call.inputs[k], rows, context)
        }
        if let distinct = call.distinct {
            let fresh = distinct.newRows(Array(arguments[..<call.aggregate.arguments.count]), groups: groupOf)
            if fresh.isEmpty { return }
            if fresh.count < groupOf.count {
                arguments = arguments.map { $0.gather(fresh) }
                groupOf = fresh.map { groupOf[Int($0)] }
            }
        }
        call.accumulator.grow(to: groupCount)
        try groupOf.withUnsafeBufferPointer { try call.accumulator.update(arguments, groups: $0) }
    }
}

// The window operator: collects its input, then for each distinct PARTITION BY / ORDER BY
// hash-partitions the rows, sorts each partition once and evaluates every function of that
// specification over it. Its output is the input's columns, then one column per function.

final class PhysicalWindow: PhysicalOperator {
    let types: [DataType]
    let input: PhysicalOperator
    let functions: [BoundWindowFunction]
    let context: ExecutionContext
    private var output: BatchSlicer?

    /// Functions that share a partitioning and order, and the evaluated columns they read.
    private struct Specification {
        var partition: [Int]
        var order: [Int]
        var directions: [(descending: Bool, nullsFirst: Bool)]
        var functions: [Int]
        var keys: KeyTable?
        var partitionIds: [Int32] = []
    }

    init(_ input: PhysicalOperator, functions: [BoundWindowFunction], _ context: ExecutionContext) throws {
        self.input = input
        self.context = context
        self.types = input.types + functions.map(\.type)
        self.functions = functions.map { f in
            var f = f
            // string_agg joins text: other types are cast to VARCHAR first, as in GROUP BY.
            if case .aggregate(.stringAgg) = f.kind, let first = f.arguments.first, !first.type.isString, first.type != .null {
                f.arguments[0] = BoundExpr(.cast(first, isTry: false), type: .varchar, range: first.range)
            }
            return f
        }
    }

    func next() throws -> Batch? {
        if output == nil {
            if functions.count == 1, functions[0].firstRowOnly, let first = try firstRowPerPartition() {
                output = first
            } else {
                output = try run()
            }
        }
        return output?.next()
    }

    private func run() throws -> BatchSlicer {
        // Every expression the functions read, each evaluated once per batch.
        var expressions: [BoundExpr] = []
        var slots: [String: Int] = [:]
        func slot(_ e: BoundExpr) -> Int {
            if let k = slots[e.structuralKey] { return k }
            expressions.append(e)
            slots[e.structuralKey] = expressions.count - 1
            return expressions.count - 1
        }
        var specifications: [Specification] = []
        var specificationIndex: [String: Int] = [:]
        var inputs: [WindowInputs] = []
        for (k, f) in functions.enumerated() {
            inputs.append(WindowInputs(arguments: f.arguments.map(slot), filter: f.filter.map(slot),
                                       order: f.orderBy.first.map { slot($0.expr) }))
            if let s = specificationIndex[f.specificationKey] {
                specifications[s].functions.append(k)
                continue
            }
            specificationIndex[f.specificationKey] = specifications.count
            specifications.append(Specification(
                partition: f.partitionBy.map(slot), order: f.orderBy.map { slot($0.expr) },
                directions: f.orderBy.map { ($0.descending, $0.nullsFirst) }, functions: [k],
                keys: f.partitionBy.isEmpty ? nil : KeyTable(types: f.partitionBy.map(\.type))))
        }

        var data = BatchCollection(types: input.types)
        var values = BatchCollection(types: expressions.map(\.type))
        while let batch = try input.next() {
            try context.cancellation.check()
            guard batch.count > 0 else { continue }
            let evaluated = try expressions.map { try ExpressionEvaluator.evaluate($0, batch, context) }
            data.append(batch)
            values.append(Batch(columns: evaluated, count: batch.count))
            for s in specifications.indices {
                guard let keys = specifications[s].keys else { continue }
                specifications[s].partitionIds += keys.findOrInsert(specifications[s].partition.map { evaluated[$0] },
                                                                    count: batch.count)
            }
        }
        let n = data.count
        let columns = data.combined()
        guard n > 0 else {
            return BatchSlicer(columns: columns + functions.map { Vector.nulls(type: $0.type, count: 0) }, count: 0)
        }
        let vectors = values.combined()
        var results = [Vector](repeating: Vector.nulls(type: .null, count: 0), count: functions.count)
        for spec in specifications {
            try context.cancellation.check()
            let partitionCount = spec.keys?.count ?? 1
            let groups = WindowPartitionGroups.groupCount(rows: n, partitionCount: partitionCount, threads: context.threads)
            if groups > 1 {
                let evaluated = try WindowPartitionGroups.evaluate(
                    functions: spec.functions, all: functions, inputs: inputs, partitionIds: spec.partitionIds,
                    partitionCount: partitionCount, groups: groups, order: spec.order, directions: spec.directions,
                    vectors: vectors, context: context)
                for (k, v) in zip(spec.functions, evaluated) { results[k] = v }
                continue
            }
            let partitions = WindowPartitions(partitionIds: spec.keys == nil ? nil : spec.partitionIds,
                                              partitionCount: partitionCount, count: n,
                                              order: spec.order.map { vectors[$0] }, directions: spec.directions,
                                              threads: context.threads)
            for k in spec.functions {
                let evaluator = WindowEvaluator(function: functions[k], partitions: partitions, inputs: inputs[k],
                                                vectors: vectors, context: context)
                results[k] = try evaluator.evaluate()
            }
        }
        return BatchSlicer(columns: columns + results, count: n)
    }
}

/// Which evaluated columns a function reads: its arguments, its FILTER, its first ORDER BY key
/// (the key of RANGE offsets).
struct WindowInputs {
    var arguments: [Int]
    var filter: Int?
    var order: Int?
}

// The window operator: reads its input once (on the workers when it is a pipeline), finding
// each row's partition of every distinct PARTITION BY; then, per distinct PARTITION BY /
// ORDER BY, either folds whole-partition aggregates in input order (no sort) or sorts each
// partition once and evaluates every function of that specification over it. Its output is
// the input's columns, then one column per function.

final class PhysicalWindow: PhysicalOperator, DescribesRun {
    let types: [DataType]
    /// The input, read on this thread; nil when `pipeline` is read on the workers.
    let serialInput: PhysicalOperator?
    private let pipeline: MorselPipeline?
    let inputTypes: [DataType]
    let functions: [BoundWindowFunction]
    let context: ExecutionContext
    private var output: BatchSlicer?
    private var broadcast: Broadcast?
    /// How the operator ran, for EXPLAIN ANALYZE; nil before it ran.
    private(set) var howItRan: String?

    /// Functions that share a partitioning and order, and the evaluated columns they read.
    private struct Specification {
        var partition: [Int]
        var order: [Int]
        var directions: [(descending: Bool, nullsFirst: Bool)]
        var functions: [Int]
        var types: [DataType]
    }

    /// The input's batches as they were read, each with its rows' results: read from each
    /// function's result per partition (every function a whole-partition aggregate), or
    /// sliced from results per row in input order. The input is never concatenated.
    private struct Broadcast {
        let input: WindowInput
        /// Per function: its result per partition (or per row), and its specification.
        let results: [Vector]
        let specification: [Int]
        let perRow: Bool
        var part = 0
        var batch = 0
        /// The first row of the current batch, when results are per row.
        var offset = 0
        /// Per function: its result per local partition of the current part.
        var local: [Vector] = []
    }

    /// The window over `input`, read on this thread.
    convenience init(_ input: PhysicalOperator, functions: [BoundWindowFunction], _ context: ExecutionContext) throws {
        try self.init(serial: input, pipeline: nil, types: input.types, functions: functions, context)
    }

    /// The window over `pipeline`, whose morsels are read (and the functions' arguments and
    /// partition keys evaluated) on the workers.
    convenience init(_ pipeline: MorselPipeline, functions: [BoundWindowFunction], _ context: ExecutionContext) throws {
        try self.init(serial: nil, pipeline: pipeline, types: pipeline.types, functions: functions, context)
    }

    private init(serial: PhysicalOperator?, pipeline: MorselPipeline?, types inputTypes: [DataType],
                 functions: [BoundWindowFunction], _ context: ExecutionContext) throws {
        self.serialInput = serial
        self.pipeline = pipeline
        self.inputTypes = inputTypes
        self.context = context
        self.types = inputTypes + functions.map(\.type)
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
        if output == nil, broadcast == nil {
            if functions.count == 1, functions[0].firstRowOnly, let first = try firstRowPerPartition() {
                output = first
                howItRan = "first row per partition in one pass"
            } else {
                try run()
            }
        }
        if broadcast != nil { return nextBroadcast() }
        return output?.next()
    }

    /// The next input batch with its rows' results.
    private func nextBroadcast() -> Batch? {
        guard var b = broadcast else { return nil }
        while b.part < b.input.parts.count, b.batch == b.input.parts[b.part].batches.count {
            b.part += 1
            b.batch = 0
        }
        guard b.part < b.input.parts.count else {
            broadcast = b
            return nil
        }
        let part = b.input.parts[b.part]
        let batch = part.batches[b.batch]
        let results: [Vector]
        if b.perRow {
            let rows = b.offset..<(b.offset + batch.count)
            results = b.results.map { $0.slice(rows) }
            b.offset += batch.count
        } else {
            if b.batch == 0 {
                b.local = b.results.indices.map { f in b.input.local(b.results[f], b.specification[f], part: b.part) }
            }
            results = b.results.indices.map { f in b.local[f].gather(part.ids[b.specification[f]][b.batch]) }
        }
        b.batch += 1
        broadcast = b
        return Batch(columns: batch.columns + results, count: batch.count)
    }

    private func run() throws {
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
        var specificationOf: [Int] = []
        var inputs: [WindowInputs] = []
        for (k, f) in functions.enumerated() {
            inputs.append(WindowInputs(arguments: f.arguments.map(slot), filter: f.filter.map(slot),
                                       order: f.orderBy.first.map { slot($0.expr) }))
            if let s = specificationIndex[f.specificationKey] {
                specifications[s].functions.append(k)
                specificationOf.append(s)
                continue
            }
            specificationIndex[f.specificationKey] = specifications.count
            specificationOf.append(specifications.count)
            specifications.append(Specification(
                partition: f.partitionBy.map(slot), order: f.orderBy.map { slot($0.expr) },
                directions: f.orderBy.map { ($0.descending, $0.nullsFirst) }, functions: [k],
                types: f.partitionBy.map(\.type)))
        }
        let partitionings = specifications.map { WindowInput.Partitioning(slots: $0.partition, types: $0.types) }
        // Whole-partition aggregates that combine from parts are folded as each part is read.
        let partials = functions.indices.compactMap { k -> WindowPartitionAggregate.Partial? in
            WindowPartitionAggregate.combining(functions[k]) == nil ? nil
                : WindowPartitionAggregate.Partial(function: k, f: functions[k], inputs: inputs[k],
                                                   partitioning: specificationOf[k])
        }
        let parts: [WindowInput.Part]
        var how: [String] = []
        if let pipeline {
            try pipeline.buildJoins()
            let context = self.context
            let expressionList = expressions
            let runner = MorselRunner<WindowInput.Part>(count: pipeline.morsels.count, threads: context.threads,
                                                        window: pipeline.morsels.count) { m in
                try WindowInput.read(pipeline.operators(m, context), expressions: expressionList,
                                     partitionings: partitionings, partials: partials, context)
            }
            var read: [WindowInput.Part] = []
            while let part = try runner.next() { read.append(part) }
            parts = read
            how.append("input read and partitioned in \(parts.count) morsels on "
                       + (context.threads == 1 ? "one thread" : "\(context.threads) threads"))
        } else if let serialInput {
            parts = [try WindowInput.read(serialInput, expressions: expressions, partitionings: partitionings,
                                          partials: partials, context)]
            how.append("input read and partitioned on one thread")
        } else {
            parts = []
        }
        let data = WindowInput(parts: parts, partitionings: partitionings)
        let n = data.count
        let wholePartition = specifications.map { spec in
            spec.order.isEmpty && WindowPartitionAggregate.applies(spec.functions.map { functions[$0] })
        }
        func describe(_ s: Int, _ what: String) {
            let keys = functions[specifications[s].functions[0]].partitionBy.map(\.description).joined(separator: ", ")
            how.append((keys.isEmpty ? "one partition" : "[\(keys)]: \(data.partitionCounts[s]) partitions") + ", " + what)
        }
        if wholePartition.allSatisfy({ $0 }) {
            var results: [Vector] = []
            for (k, f) in functions.enumerated() {
                results.append(try WindowPartitionAggregate.evaluate(k, f, inputs: inputs[k], input: data,
                                                                     partitioning: specificationOf[k], context))
            }
            for s in specifications.indices { describe(s, wholePartitionText(specifications[s].functions, parts: parts.count)) }
            howItRan = how.joined(separator: "; ")
            broadcast = Broadcast(input: data, results: results, specification: specificationOf, perRow: false)
            return
        }
        guard n > 0 else {
            broadcast = Broadcast(input: data, results: [], specification: [], perRow: true)
            howItRan = how.joined(separator: "; ")
            return
        }
        // Whole columns of the evaluated expressions, for the specifications one thread
        // evaluates; partition groups gather their rows from the batches instead.
        var joined: [Vector]?
        func vectors() -> [Vector] {
            if let joined { return joined }
            let v = expressions.enumerated().map { c, e in Vector.concatenate(data.values.map { $0.columns[c] }, type: e.type) }
            joined = v
            return v
        }
        var results = [Vector](repeating: Vector.nulls(type: .null, count: 0), count: functions.count)
        for (s, spec) in specifications.enumerated() {
            try context.cancellation.check()
            if wholePartition[s] {
                let partitionIds = data.allIds(s)
                for k in spec.functions {
                    results[k] = try WindowPartitionAggregate.evaluate(k, functions[k], inputs: inputs[k], input: data,
                                                                       partitioning: s, context).gather(partitionIds)
                }
                describe(s, wholePartitionText(spec.functions, parts: parts.count))
                continue
            }
            let partitionCount = data.partitionCounts[s]
            let groups = WindowPartitionGroups.groupCount(rows: n, partitionCount: partitionCount, threads: context.threads)
            let sorted = spec.order.isEmpty ? "input order" : "sorted"
            if groups > 1 {
                let evaluated = try WindowPartitionGroups.evaluate(
                    functions: spec.functions, all: functions, inputs: inputs, input: data, partitioning: s,
                    groups: groups, order: spec.order, directions: spec.directions, types: expressions.map(\.type),
                    context: context)
                for (k, v) in zip(spec.functions, evaluated) { results[k] = v }
                describe(s, "rows split, \(sorted) and put back in \(groups) partition groups on \(context.threads) threads")
                continue
            }
            let all = vectors()
            let partitions = WindowPartitions(partitionIds: spec.partition.isEmpty ? nil : data.allIds(s),
                                              partitionCount: partitionCount, count: n,
                                              order: spec.order.map { all[$0] }, directions: spec.directions,
                                              threads: context.threads)
            for k in spec.functions {
                let evaluator = WindowEvaluator(function: functions[k], partitions: partitions, inputs: inputs[k],
                                                vectors: all, context: context)
                results[k] = try evaluator.evaluate()
            }
            describe(s, "\(sorted), evaluated on one thread")
        }
        howItRan = how.joined(separator: "; ")
        broadcast = Broadcast(input: data, results: results, specification: specificationOf, perRow: true)
    }

    /// How the whole-partition aggregates `ks` were computed, for EXPLAIN ANALYZE.
    private func wholePartitionText(_ ks: [Int], parts: Int) -> String {
        let combined = ks.filter { WindowPartitionAggregate.combining(functions[$0]) != nil }.count
        let what = combined == ks.count ? "folded where read" + (parts > 1 ? ", \(parts) parts combined" : "")
            : combined == 0 ? "folded in input order" : "folded where read or in input order"
        return "whole-partition aggregate " + what + ", no sort"
    }
}

/// Which evaluated columns a function reads: its arguments, its FILTER, its first ORDER BY key
/// (the key of RANGE offsets).
struct WindowInputs {
    var arguments: [Int]
    var filter: Int?
    var order: Int?
}

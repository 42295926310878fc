// Where the physical planner cuts a plan into morsel pipelines: a scan / filter / projection
// chain, and the breakers directly above one (GROUP BY, ORDER BY … LIMIT, DISTINCT, the first
// row per window partition, a window's input), which keep per-morsel state merged in morsel
// order.

extension PhysicalPlanner {
    /// The chain `plan` run on worker threads, when it is one and more than one thread may run.
    /// (With one thread the serial operators return the very same batches.)
    func parallelChain(_ plan: LogicalPlan) throws -> PhysicalOperator? {
        guard context.threads > 1, let pipeline = try pipeline(plan) else { return nil }
        return PhysicalMorsels(pipeline, context)
    }

    /// The morsel pipeline of `plan`, its joins' build inputs made by this planner.
    private func pipeline(_ plan: LogicalPlan, used: Set<Int>? = nil) throws -> MorselPipeline? {
        try MorselPipeline(plan, context, used: used) { try physical($0) }
    }

    /// GROUP BY over a chain: a partial aggregate per morsel (whose rows pass through when
    /// most of them are groups of their own), a final one over their rows.
    /// Taken whatever the thread count, so that every count of threads sums in the same order.
    func parallelAggregate(_ input: LogicalPlan, groups: [BoundExpr],
                           aggregates: [BoundAggregate]) throws -> PhysicalOperator? {
        let expressions = groups + aggregates.flatMap { $0.arguments + $0.orderBy.map(\.expr) + ($0.filter.map { [$0] } ?? []) }
        guard expressions.allSatisfy(ExpressionWalker.runsOnWorkers),
              let split = AggregateSplit(groups: groups, aggregates: aggregates),
              let pipeline = try pipeline(input, used: expressions.reduce(into: Set<Int>()) {
                  $0.formUnion(ExpressionWalker.columns(of: $1))
              }) else { return nil }
        let context = self.context
        let partials = PhysicalMorsels(pipeline, types: split.partialTypes, partial: true, context) { morsel in
            try PartialAggregate(pipeline.operators(morsel, context), groups: split.partialGroups,
                                 aggregates: split.partialAggregates, context).drain()
        }
        let final = try PhysicalHashAggregate(partials, groups: split.finalGroups,
                                              aggregates: split.finalAggregates, context)
        guard let projection = split.finalProjection else { return described(final, partials) }
        return described(PhysicalProjection(final, expressions: projection, context), partials)
    }

    /// `consumer` of `morsels`, saying in EXPLAIN ANALYZE how they ran.
    private func described(_ consumer: PhysicalOperator, _ morsels: PhysicalMorsels) -> PhysicalOperator {
        profiler == nil ? consumer : MorselsConsumer(consumer, of: morsels)
    }

    /// ORDER BY … LIMIT over a chain: each morsel keeps its best `limit + offset` rows, and a
    /// final top-N picks from them in morsel order (ties keep input order, as in a stable sort).
    func parallelTopN(_ input: LogicalPlan, keys: [BoundSortKey], limit: Int, offset: Int) throws -> PhysicalOperator? {
        guard context.threads > 1, keys.allSatisfy({ ExpressionWalker.runsOnWorkers($0.expr) }),
              let pipeline = try pipeline(input) else { return nil }
        let context = self.context
        let keep = Swift.max(0, limit) + Swift.max(0, offset)
        let partials = PhysicalMorsels(pipeline, types: pipeline.types, partial: true, context) { morsel in
            try PhysicalTopN(pipeline.operators(morsel, context), keys: keys, limit: keep, offset: 0, context).drain()
        }
        return described(PhysicalTopN(partials, keys: keys, limit: limit, offset: offset, context), partials)
    }

    /// DISTINCT over a chain: each morsel passes the first occurrence of each of its rows, and
    /// a final pass over them in morsel order keeps the first of each again, so the rows come
    /// out in the order of one serial pass.
    func parallelDistinct(_ input: LogicalPlan) throws -> PhysicalOperator? {
        guard context.threads > 1, let pipeline = try pipeline(input) else { return nil }
        let context = self.context
        let partials = PhysicalMorsels(pipeline, types: pipeline.types, partial: true, context) { morsel in
            try PhysicalDistinct(pipeline.operators(morsel, context), context).drain()
        }
        return described(PhysicalDistinct(partials, context), partials)
    }

    /// The first row of each partition (a `firstRowOnly` row_number) over a chain: each morsel
    /// keeps its partitions' first rows, and a final pass picks among them in morsel order, so
    /// ties keep the row read first, as in one serial pass. The result is the serial one.
    func parallelFirstRow(_ input: LogicalPlan, function: BoundWindowFunction) throws -> PhysicalOperator? {
        let expressions = function.partitionBy + function.orderBy.map(\.expr)
        guard context.threads > 1, function.firstRowOnly, PhysicalWindow.keepsFirstRowsInOnePass(function),
              expressions.allSatisfy(ExpressionWalker.runsOnWorkers),
              let pipeline = try pipeline(input) else { return nil }
        let context = self.context
        // The morsels' rows without their row_number column, which the final pass adds again.
        let columns = pipeline.types.enumerated().map { k, type in
            BoundExpr(.column(index: k, name: "c\(k)"), type: type)
        }
        let partials = PhysicalMorsels(pipeline, types: pipeline.types, partial: true, context) { morsel in
            let window = try PhysicalWindow(pipeline.operators(morsel, context), functions: [function], context)
            return try PhysicalProjection(window, expressions: columns, context).drain()
        }
        return try PhysicalWindow(partials, functions: [function], context)
    }

    /// A window over a chain: the morsels are read, and the functions' arguments and
    /// partition keys evaluated, on the workers; the partitions' keys are merged in morsel
    /// order. Taken whatever the thread count (except for a first row per partition, which
    /// one thread keeps in one pass), so that every count of threads folds the same parts.
    func parallelWindow(_ input: LogicalPlan, functions: [BoundWindowFunction]) throws -> PhysicalOperator? {
        if functions.count == 1, functions[0].firstRowOnly, PhysicalWindow.keepsFirstRowsInOnePass(functions[0]) {
            return nil
        }
        guard functions.flatMap(\.expressions).allSatisfy(ExpressionWalker.runsOnWorkers),
              let pipeline = try pipeline(input) else { return nil }
        return try PhysicalWindow(pipeline, functions: functions, context)
    }
}

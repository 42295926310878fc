// Runs a logical plan: runs its run-once subqueries, builds the physical operators and
// pulls batches through them; correlated subqueries run as their strategy says.

public enum Executor {
    /// Runs `plan` to completion and returns its batches (none when the result is empty).
    public static func run(_ plan: LogicalPlan, _ context: ExecutionContext) throws -> [Batch] {
        var out: [Batch] = []
        try stream(plan, context) { out.append($0) }
        return out
    }

    /// Runs `plan`, handing each result batch to `onBatch` as soon as it is ready.
    public static func stream(_ plan: LogicalPlan, _ context: ExecutionContext,
                              onBatch: (Batch) throws -> Void) throws {
        if context.subqueries == nil { context.subqueries = CorrelatedSubquery() }
        let root = try PhysicalPlanner(context: context).build(plan)
        while let batch = try root.next() {
            try onBatch(batch)
        }
    }

    /// Starts `plan`: its run-once subqueries run now, its rows come from `next()` of the
    /// result, a batch at a time, as they are asked for.
    public static func open(_ plan: LogicalPlan, _ context: ExecutionContext) throws -> RunningPlan {
        if context.subqueries == nil { context.subqueries = CorrelatedSubquery() }
        return RunningPlan(root: try PhysicalPlanner(context: context).build(plan))
    }

    /// Runs `plan` to completion for EXPLAIN ANALYZE: its plan lines with each operator's
    /// rows and own time, under a line with the whole statement's.
    public static func analyze(_ plan: LogicalPlan, _ context: ExecutionContext) throws -> [String] {
        let start = ProfiledOperator.now()
        if context.subqueries == nil { context.subqueries = CorrelatedSubquery() }
        let profiler = OperatorProfiler()
        let root = try PhysicalPlanner(context: context, profiler: profiler).build(plan)
        var rows = 0
        while let batch = try root.next() { rows += batch.count }
        let ms = Double(ProfiledOperator.now() - start) / 1e6
        var out = ["Total (rows=\(rows), time=\((ms * 100).rounded() / 100) ms, threads=\(context.threads))"]
        for node in profiler.roots { node.lines(indent: 0, into: &out) }
        return out
    }
}

/// A plan whose operators are built and running: pull its batches with `next()`.
public final class RunningPlan {
    private let root: PhysicalOperator

    init(root: PhysicalOperator) { self.root = root }

    /// The next batch of 1 … `Batch.capacity` rows, or nil once the rows are all out.
    public func next() throws -> Batch? { try root.next() }
}

/// Turns a logical plan into a tree of physical operators.
struct PhysicalPlanner {
    let context: ExecutionContext
    /// Set for EXPLAIN ANALYZE: every operator built is counted and timed.
    var profiler: OperatorProfiler? = nil

    func build(_ plan: LogicalPlan) throws -> PhysicalOperator {
        let plan = try SubqueryResolver(context: context).resolve(plan)
        try PhysicalPlanner.materializeScanned(plan)
        return try physical(plan)
    }

    /// Reads the rows of the tables `plan` scans that are still in a store file (throwing
    /// what is wrong with it), before any operator runs. A scan whose columns nothing reads
    /// (`count(*)`: `used`, the scan's output columns read above it, is empty) needs only the
    /// rows of each chunk, which are known without them.
    static func materializeScanned(_ plan: LogicalPlan, used: Set<Int>? = nil) throws {
        switch plan {
        case .scan(let scan):
            guard scan.table.isDeferred else { return }
            if !scan.filters.isEmpty || !scan.paths.isEmpty || !(used ?? Set(scan.columns.indices)).isEmpty {
                try scan.table.materialize()
            }
        case .aggregate(let input, let groups, let aggregates, _) where aggregates.allSatisfy({ $0.orderBy.isEmpty }):
            var read = Set<Int>()
            for e in groups { read.formUnion(e.referencedColumns) }
            for a in aggregates {
                for e in a.arguments { read.formUnion(e.referencedColumns) }
                if let f = a.filter { read.formUnion(f.referencedColumns) }
            }
            try materializeScanned(input, used: read)
        case .project(let input, let expressions, _):
            var read = Set<Int>()
            for (i, e) in expressions.enumerated() where used?.contains(i) ?? true { read.formUnion(e.referencedColumns) }
            try materializeScanned(input, used: read)
        default:
            for input in plan.inputs { try materializeScanned(input) }
        }
    }

    func physical(_ plan: LogicalPlan) throws -> PhysicalOperator {
        guard let profiler else { return try operatorFor(plan) }
        let node = profiler.begin(plan)
        defer { profiler.end() }
        return ProfiledOperator(try operatorFor(plan), node)
    }

    private func operatorFor(_ plan: LogicalPlan) throws -> PhysicalOperator {
        switch plan {
        case .scan(let scan):
            if let parallel = try parallelChain(plan) { return parallel }
            return PhysicalScan(scan, context)
        case .series(let series):
            return PhysicalScan(LogicalScan(table: try SeriesTable.make(series, context), columns: [0],
                                            alias: series.function), context)
        case .values(let rows, let schema):
            return try PhysicalValues(rows: rows, schema: schema, context)
        case .filter(let input, let predicate):
            if let parallel = try parallelChain(plan) { return parallel }
            return PhysicalFilter(try physical(input), predicate: predicate, context)
        case .project(.unnest(let input, let lists, _), let expressions, _):
            // The projection reads only some of the unnested rows' columns: the others are
            // not copied once per element (a long list would be copied once per row it gives).
            let used = expressions.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }
            let unnest = PhysicalUnnest(try physical(input), lists: lists, used: used, context)
            return PhysicalProjection(unnest, expressions: expressions, context)
        case .project(let input, let expressions, _):
            if let parallel = try parallelChain(plan) { return parallel }
            return PhysicalProjection(try physical(input), expressions: expressions, context)
        case .aggregate(let input, let groups, let aggregates, _):
            if let parallel = try parallelAggregate(input, groups: groups, aggregates: aggregates) { return parallel }
            return try PhysicalHashAggregate(try physical(input), groups: groups, aggregates: aggregates, context)
        case .join(let left, let right, let kind, let condition):
            if let parallel = try parallelChain(plan) { return parallel }
            let leftOp = try physical(left), rightOp = try physical(right)
            let split = JoinCondition(condition, leftWidth: left.columnCount)
            if kind != .cross, !split.leftKeys.isEmpty {
                if kind == .inner, PhysicalPlanner.buildsOnLeft(left, right) {
                    return swappedInnerJoin(leftOp, rightOp, split, leftWidth: left.columnCount,
                                            rightWidth: right.columnCount)
                }
                return PhysicalHashJoin(left: leftOp, right: rightOp, kind: kind, condition: split, context)
            }
            if kind.keepsLeftOnly {
                throw ExecutionError.failed("internal error: a \(kind.rawValue) join without equal keys", range: nil)
            }
            return PhysicalNestedLoopJoin(left: leftOp, right: rightOp, kind: kind, condition: condition, context)
        case .window(let input, let functions, _):
            if functions.count == 1, let fused = firstRowOverScan(input, function: functions[0]) { return fused }
            if functions.count == 1, let parallel = try parallelFirstRow(input, function: functions[0]) { return parallel }
            if let parallel = try parallelWindow(input, functions: functions) { return parallel }
            return try PhysicalWindow(try physical(input), functions: functions, context)
        case .unnest(let input, let lists, _):
            return PhysicalUnnest(try physical(input), lists: lists, used: nil, context)
        case .sort(let input, let keys):
            return PhysicalSort(try physical(input), keys: keys, context)
        case .limit(let input, let limit, let offset):
            return PhysicalLimit(try physical(input), limit: limit, offset: offset, context)
        case .limitClause:
            throw ExecutionError.failed("internal error: LIMIT / OFFSET not evaluated (the limit_constants pass is off)",
                                        range: nil)
        case .topN(let input, let keys, let limit, let offset):
            if let fused = topNOverScan(input, keys: keys, limit: limit, offset: offset) { return fused }
            if let parallel = try parallelTopN(input, keys: keys, limit: limit, offset: offset) { return parallel }
            return PhysicalTopN(try physical(input), keys: keys, limit: limit, offset: offset, context)
        case .distinct(let input):
            if let parallel = try parallelDistinct(input) { return parallel }
            return PhysicalDistinct(try physical(input), context)
        case .unionAll(let inputs):
            return PhysicalUnionAll(try inputs.map(physical), types: plan.schema.map(\.type), context)
        case .setDifference(let left, let right, let intersect, let all):
            return PhysicalSetDifference(left: try physical(left), right: try physical(right),
                                         intersect: intersect, all: all, context)
        case .empty(let schema):
            return PhysicalEmpty(types: schema.map(\.type))
        }
    }
}

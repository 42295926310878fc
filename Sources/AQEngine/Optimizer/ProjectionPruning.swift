// Projection pruning: every node keeps only the columns its parent uses, so scans read only
// the columns a query needs. Walks top-down with the set of required output columns; each
// node returns its new plan and where each old column went.

public struct ProjectionPruning: OptimizerPass {
    public let name = "projection_pruning"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        prune(plan, required: Set(0..<plan.columnCount)).plan
    }

    /// A pruned plan and the new position of each old output column (nil where dropped).
    struct Pruned {
        var plan: LogicalPlan
        var mapping: [Int?]

        func remap(_ e: BoundExpr) -> BoundExpr {
            e.remappingColumns { i in i < mapping.count ? (mapping[i] ?? i) : i }
        }
    }

    /// The identity mapping of `plan`'s columns.
    private func unchanged(_ plan: LogicalPlan) -> Pruned {
        Pruned(plan: plan, mapping: Array(0..<plan.columnCount))
    }

    func prune(_ plan: LogicalPlan, required: Set<Int>) -> Pruned {
        switch plan {
        case .scan(var scan):
            var needed = required
            for f in scan.filters { needed.formUnion(f.referencedColumns) }
            if needed.isEmpty, let cheapest = cheapestColumn(scan) { needed = [cheapest] }
            // Output columns: the table's columns read, then the JSON paths read.
            let keep = needed.sorted().filter { $0 < scan.width }
            var mapping = [Int?](repeating: nil, count: scan.width)
            for (new, old) in keep.enumerated() { mapping[old] = new }
            let result = Pruned(plan: plan, mapping: mapping)
            scan.filters = scan.filters.map(result.remap)
            let read = scan.columns.count
            scan.paths = keep.filter { $0 >= read }.map { scan.paths[$0 - read] }
            scan.columns = keep.filter { $0 < read }.map { scan.columns[$0] }
            return Pruned(plan: .scan(scan), mapping: mapping)

        case .project(let input, let exprs, let names):
            var keep = required.sorted().filter { $0 < exprs.count }
            if keep.isEmpty, !exprs.isEmpty {
                // Something must flow to count rows: the cheapest expression, a column if any.
                keep = [exprs.firstIndex { if case .column = $0.kind { return true }; return false } ?? 0]
            }
            var needed = Set<Int>()
            for k in keep { needed.formUnion(exprs[k].referencedColumns) }
            let child = prune(input, required: needed)
            var mapping = [Int?](repeating: nil, count: exprs.count)
            for (new, old) in keep.enumerated() { mapping[old] = new }
            return Pruned(plan: .project(child.plan, expressions: keep.map { child.remap(exprs[$0]) },
                                         names: keep.map { names[$0] }),
                          mapping: mapping)

        case .filter(let input, let predicate):
            let child = prune(input, required: required.union(predicate.referencedColumns))
            return Pruned(plan: .filter(child.plan, predicate: child.remap(predicate)), mapping: child.mapping)

        case .aggregate(let input, let groups, let aggregates, let names):
            var keepAggregates = aggregates.indices.filter { required.contains(groups.count + $0) }
            if groups.isEmpty, keepAggregates.isEmpty, !aggregates.isEmpty { keepAggregates = [0] }
            var needed = Set<Int>()
            for g in groups { needed.formUnion(g.referencedColumns) }
            for j in keepAggregates {
                let a = aggregates[j]
                for e in a.arguments + (a.filter.map { [$0] } ?? []) + a.orderBy.map(\.expr) {
                    needed.formUnion(e.referencedColumns)
                }
            }
            let child = prune(input, required: needed)
            var mapping: [Int?] = Array(0..<groups.count)
            mapping += [Int?](repeating: nil, count: aggregates.count)
            for (new, old) in keepAggregates.enumerated() { mapping[groups.count + old] = groups.count + new }
            let node = LogicalPlan.aggregate(child.plan, groups: groups, aggregates: keepAggregates.map { aggregates[$0] },
                                             names: Array(names[0..<groups.count]) + keepAggregates.map { names[groups.count + $0] })
            return Pruned(plan: node.mapExpressions(child.remap), mapping: mapping)

        case .join(let left, let right, let kind, let condition):
            let leftCount = left.columnCount
            var needed = required
            if let c = condition { needed.formUnion(c.referencedColumns) }
            let l = prune(left, required: Set(needed.filter { $0 < leftCount }))
            let r = prune(right, required: Set(needed.filter { $0 >= leftCount }.map { $0 - leftCount }))
            let newLeftCount = l.plan.columnCount
            let mapping = l.mapping + r.mapping.map { $0.map { $0 + newLeftCount } }
            let combined = Pruned(plan: plan, mapping: mapping)
            return Pruned(plan: .join(l.plan, r.plan, kind: kind, condition: condition.map(combined.remap)),
                          mapping: kind.keepsLeftOnly ? l.mapping : mapping)

        case .window(let input, let functions, let names):
            let width = input.columnCount
            let keepFunctions = functions.indices.filter { required.contains(width + $0) }
            let passThrough = Set(required.filter { $0 < width })
            if keepFunctions.isEmpty { return prune(input, required: passThrough) }
            var needed = passThrough
            for j in keepFunctions {
                for e in functions[j].expressions { needed.formUnion(e.referencedColumns) }
            }
            let child = prune(input, required: needed)
            let newWidth = child.plan.columnCount
            var mapping = child.mapping + [Int?](repeating: nil, count: functions.count)
            for (new, old) in keepFunctions.enumerated() { mapping[width + old] = newWidth + new }
            let node = LogicalPlan.window(child.plan, functions: keepFunctions.map { functions[$0] },
                                          names: keepFunctions.map { names[$0] })
            return Pruned(plan: node.mapExpressions(child.remap), mapping: mapping)

        case .unnest(let input, let lists, let names):
            // Every list stays: each decides how many rows there are.
            let width = input.columnCount
            var needed = Set(required.filter { $0 < width })
            for e in lists { needed.formUnion(e.referencedColumns) }
            let child = prune(input, required: needed)
            let newWidth = child.plan.columnCount
            var mapping = child.mapping + [Int?](repeating: nil, count: lists.count)
            for j in lists.indices { mapping[width + j] = newWidth + j }
            let node = LogicalPlan.unnest(child.plan, lists: lists, names: names)
            return Pruned(plan: node.mapExpressions(child.remap), mapping: mapping)

        case .sort(let input, let keys):
            var needed = required
            for k in keys { needed.formUnion(k.expr.referencedColumns) }
            let child = prune(input, required: needed)
            return Pruned(plan: LogicalPlan.sort(child.plan, keys: keys).mapExpressions(child.remap), mapping: child.mapping)

        case .topN(let input, let keys, let limit, let offset):
            var needed = required
            for k in keys { needed.formUnion(k.expr.referencedColumns) }
            let child = prune(input, required: needed)
            return Pruned(plan: LogicalPlan.topN(child.plan, keys: keys, limit: limit, offset: offset)
                            .mapExpressions(child.remap),
                          mapping: child.mapping)

        case .limit(let input, let limit, let offset):
            let child = prune(input, required: required)
            return Pruned(plan: .limit(child.plan, limit: limit, offset: offset), mapping: child.mapping)

        case .limitClause(let input, let limit, let offset):
            let child = prune(input, required: required)
            return Pruned(plan: .limitClause(child.plan, limit: limit, offset: offset), mapping: child.mapping)

        case .distinct, .unionAll, .setDifference, .series, .values, .empty:
            // Every column takes part in the result (duplicates, set membership): keep them
            // all, and prune below with all required.
            return unchanged(plan.mapInputs { prune($0, required: Set(0..<$0.columnCount)).plan })
        }
    }

    /// The scan column that is cheapest to read (when a query needs rows but no values).
    private func cheapestColumn(_ scan: LogicalScan) -> Int? {
        guard !scan.columns.isEmpty else { return nil }
        let types = scan.columns.map { scan.table.columns[$0].type }
        return types.firstIndex { $0 == .boolean } ?? types.firstIndex { $0.isInt64Backed || $0 == .double } ?? 0
    }
}

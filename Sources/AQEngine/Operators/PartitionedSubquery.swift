// A correlated subquery that cannot be decorrelated but filters one scan by an equality with
// the outer row: that scan's rows are split by the equality's key once, and each outer value
// runs the plan over the rows of its key only, not over the whole table.

final class PartitionedSubquery {
    private let sub: BoundSubquery
    /// The scan's position among the plan's scans, in `transformUp` order.
    private let scanIndex: Int
    private let scan: LogicalScan
    /// The outer sides of the scan's correlated equalities, parameters read as columns.
    private let outerSides: [BoundExpr]
    private let keys: KeyTable
    /// The scan's rows (its columns, uncorrelated filters applied), and per key its rows.
    private let rows: [Vector]
    private var rowsOfKey: [[Int32]] = []
    private var tables: [Int32: Table] = [:]
    private lazy var emptyTable = Table(name: scan.table.name, columns: schema)
    private var schema: [ColumnSchema] { LogicalPlan.scan(scan).schema }

    private init(_ sub: BoundSubquery, scanIndex: Int, scan: LogicalScan, outerSides: [BoundExpr],
                 keyTypes: [DataType], rows: [Vector]) {
        self.sub = sub
        self.scanIndex = scanIndex
        self.scan = scan
        self.outerSides = outerSides
        self.keys = KeyTable(types: keyTypes)
        self.rows = rows
    }

    /// Splits the rows of the first scan of `sub`'s plan that has a correlated equality;
    /// nil when no scan has one.
    static func build(_ sub: BoundSubquery, _ context: ExecutionContext) throws -> PartitionedSubquery? {
        guard let found = SubqueryPartitioning.partitionedScan(of: sub.plan) else { return nil }
        var uncorrelated = found.scan
        uncorrelated.filters.removeAll { $0.containsParameter || $0.containsSubquery }
        var collected = BatchCollection(types: LogicalPlan.scan(uncorrelated).schema.map(\.type))
        try Executor.stream(.scan(uncorrelated), context) { collected.append($0) }
        let columns = collected.combined()
        let outerSides = found.outer.map { side in
            side.rewrite { e in
                guard case .parameter(let i, let name) = e.kind else { return e }
                return BoundExpr(.column(index: i, name: name), type: e.type, range: e.range)
            }
        }
        let partitioned = PartitionedSubquery(sub, scanIndex: found.index, scan: found.scan, outerSides: outerSides,
                                              keyTypes: found.inner.map(\.type), rows: columns)
        try partitioned.split(found.inner, collected.batches, context)
        return partitioned
    }

    /// Gives every row the index of its key (rows with a NULL key match nothing).
    private func split(_ inner: [BoundExpr], _ batches: [Batch], _ context: ExecutionContext) throws {
        var start = 0
        for batch in batches {
            try context.cancellation.check()
            let values = try inner.map { try ExpressionEvaluator.evaluate($0, batch, context).typed($0.type) }
            let ids = keys.findOrInsert(values, count: batch.count, skippingNulls: true)
            for (k, id) in ids.enumerated() where id >= 0 {
                if Int(id) == rowsOfKey.count { rowsOfKey.append([]) }
                rowsOfKey[Int(id)].append(Int32(start + k))
            }
            start += batch.count
        }
    }

    /// The plans to run for outer combinations (`parameters`: one vector per parameter,
    /// `count` combinations): the subquery's plan over the rows of each one's key.
    func plans(_ parameters: [Vector], count: Int, _ context: ExecutionContext) throws -> [LogicalPlan] {
        let batch = Batch(columns: parameters, count: count)
        let sides = try outerSides.map { try ExpressionEvaluator.evaluate($0, batch, context).typed($0.type) }
        let ids = keys.find(sides, count: count, nullsMatch: false)
        return ids.enumerated().map { k, id in
            let table = id >= 0 ? self.table(of: id) : emptyTable
            return replacingScan(with: table).bindingParameters(parameters.map { $0.value(at: k) })
        }
    }

    /// A table of the rows of key `id`, made once.
    private func table(of id: Int32) -> Table {
        if let t = tables[id] { return t }
        let t = Table(name: scan.table.name, columns: schema)
        let all = rowsOfKey[Int(id)]
        var start = 0
        while start < all.count {
            let part = Array(all[start..<min(start + Batch.capacity, all.count)])
            t.append(Batch(columns: rows.map { $0.gather(part) }, count: part.count))
            start += part.count
        }
        tables[id] = t
        return t
    }

    /// The plan with the partitioned scan reading `table` (whose columns are the scan's).
    private func replacingScan(with table: Table) -> LogicalPlan {
        var index = 0
        return sub.plan.transformUp { node in
            guard case .scan = node else { return node }
            defer { index += 1 }
            guard index == scanIndex else { return node }
            return .scan(LogicalScan(table: table, columns: Array(table.columns.indices), filters: scan.filters,
                                     alias: scan.alias))
        }
    }
}

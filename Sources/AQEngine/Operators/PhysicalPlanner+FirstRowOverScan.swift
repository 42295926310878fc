// The first row per partition straight over a table scan (`PhysicalWindowFirstRowScan`):
// taken for a `firstRowOnly` row_number whose PARTITION BY is one string column and whose
// ORDER BY is one integer or time column of an unfiltered scan (or a projection of its
// columns). Any other first-row window keeps the general first-row paths.

extension PhysicalPlanner {
    /// The operator for the window `function` over `input`, or nil when the pattern does not apply.
    func firstRowOverScan(_ input: LogicalPlan, function f: BoundWindowFunction) -> PhysicalOperator? {
        guard f.firstRowOnly, f.partitionBy.count == 1, f.orderBy.count == 1,
              case .column(let p, _) = f.partitionBy[0].kind, case .column(let o, _) = f.orderBy[0].expr.kind else { return nil }
        let scan: LogicalScan
        var projection: [Int]?
        var partitionColumn = p, orderColumn = o
        switch input {
        case .scan(let s):
            scan = s
        case .project(.scan(let s), let expressions, _):
            var columns: [Int] = []
            for e in expressions {
                guard case .column(let k, _) = e.kind, k < s.width else { return nil }
                columns.append(k)
            }
            guard p < columns.count, o < columns.count else { return nil }
            scan = s
            projection = columns
            partitionColumn = columns[p]
            orderColumn = columns[o]
        default:
            return nil
        }
        let table = scan.table
        guard scan.filters.isEmpty, partitionColumn < scan.columns.count, orderColumn < scan.columns.count,
              table.columns[scan.columns[partitionColumn]].type.isString,
              table.columns[scan.columns[orderColumn]].type.isInt64Backed else { return nil }
        let context = self.context
        return PhysicalWindowFirstRowScan(
            scan: scan, projection: projection, partitionColumn: partitionColumn, orderColumn: orderColumn,
            key: f.orderBy[0], types: input.schema.map(\.type) + [f.type], context) {
            var source: PhysicalOperator = PhysicalScan(scan, context)
            if case .project(_, let expressions, _) = input {
                source = PhysicalProjection(source, expressions: expressions, context)
            }
            return try PhysicalWindow(source, functions: [f], context)
        }
    }
}

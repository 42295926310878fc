// Which side of an inner hash join to build on: the right input by default (a lookup table
// joined to the events), but the left one when estimates say it is much smaller, so that
// `FROM allowlist JOIN events` does not hold every event in a hash table.

extension PhysicalPlanner {
    /// Whether the left input of an inner equi-join is estimated to be much smaller.
    static func buildsOnLeft(_ left: LogicalPlan, _ right: LogicalPlan) -> Bool {
        estimatedRows(left) * 4 < estimatedRows(right)
    }

    /// A rough row count: table sizes, each pushed filter or WHERE halving them.
    static func estimatedRows(_ plan: LogicalPlan) -> Int {
        switch plan {
        case .scan(let scan): return scan.table.rowCount >> Swift.min(scan.filters.count, 16)
        case .values(let rows, _): return rows.count
        case .series(let series): return SeriesTable.estimatedRows(series)
        case .empty: return 0
        case .filter(let input, _): return estimatedRows(input) / 2
        case .project(let input, _, _), .sort(let input, _), .window(let input, _, _), .limitClause(let input, _, _):
            return estimatedRows(input)
        case .unnest(let input, _, _): return estimatedRows(input) &* 4
        case .aggregate(let input, let groups, _, _): return groups.isEmpty ? 1 : Swift.max(1, estimatedRows(input) / 2)
        case .join(let left, let right, let kind, _):
            return kind.keepsLeftOnly ? estimatedRows(left) : Swift.max(estimatedRows(left), estimatedRows(right))
        case .limit(let input, let limit, _): return Swift.min(estimatedRows(input), limit ?? Int.max)
        case .topN(let input, _, let limit, _): return Swift.min(estimatedRows(input), limit)
        case .distinct(let input): return Swift.max(1, estimatedRows(input) / 2)
        case .unionAll(let inputs): return inputs.reduce(0) { $0 &+ estimatedRows($1) }
        case .setDifference(let left, _, _, _): return estimatedRows(left)
        }
    }

    /// The inner join built on its left input: the inputs exchange roles, and a projection
    /// puts the columns back in order (left, then right).
    func swappedInnerJoin(_ left: PhysicalOperator, _ right: PhysicalOperator, _ condition: JoinCondition,
                          leftWidth: Int, rightWidth: Int) -> PhysicalOperator {
        let join = PhysicalHashJoin(left: right, right: left, kind: .inner,
                                    condition: condition.swapped(leftWidth: leftWidth, rightWidth: rightWidth), context)
        let types = join.types
        let order = (0..<leftWidth).map { rightWidth + $0 } + (0..<rightWidth).map { $0 }
        let columns = order.map { BoundExpr(.column(index: $0, name: "c\($0)"), type: types[$0]) }
        return PhysicalProjection(join, expressions: columns, context)
    }
}

// A morsel's partial aggregate that gives up when it does not pay: after the morsel's first
// rows, if most of them started a group of their own (a million source addresses, or
// count(DISTINCT)'s (group, value) pairs), the rest of the morsel's rows pass through to the
// final aggregate as partial rows of one row each, without a key table of their own (as
// DuckDB and HyPer do for groups of high cardinality).

final class PartialAggregate: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let aggregate: PhysicalHashAggregate
    private let groups: [BoundExpr]
    /// Each partial aggregate's value for one row alone; nil when some aggregate has none
    /// (the morsel is then always aggregated).
    private let perRow: [BoundExpr]?
    private let context: ExecutionContext
    private var rowsSeen = 0
    private var passing = false
    private var aggregated: BatchSlicer?
    private var inputDone = false

    /// Rows aggregated before the choice is made.
    static let sampleRows = 16_384

    init(_ input: PhysicalOperator, groups: [BoundExpr], aggregates: [BoundAggregate], _ context: ExecutionContext) throws {
        self.input = input
        self.groups = groups
        self.context = context
        self.aggregate = try PhysicalHashAggregate(input, groups: groups, aggregates: aggregates, context)
        self.types = aggregate.types
        let perRow = aggregates.map(PartialAggregate.perRow)
        self.perRow = groups.isEmpty || perRow.contains { $0 == nil } ? nil : perRow.compactMap { $0 }
    }

    /// The partial result of `a` over one row: count(*) is 1, count(x) 0 or 1, sum, min, max,
    /// bool_and and bool_or of x are x. Nil for any other (or with FILTER).
    private static func perRow(_ a: BoundAggregate) -> BoundExpr? {
        guard a.filter == nil, !a.distinct, a.orderBy.isEmpty else { return nil }
        let one = BoundExpr.constant(.integer(1), .integer), zero = BoundExpr.constant(.integer(0), .integer)
        switch a.function {
        case .countStar:
            return one
        case .count where a.arguments.count == 1:
            let isNull = BoundExpr(.isNull(a.arguments[0], negated: false), type: .boolean)
            return BoundExpr(.caseWhen([(condition: isNull, result: zero)], elseResult: one), type: .integer)
        case .sum, .min, .max, .boolAnd, .boolOr:
            guard a.arguments.count == 1, a.arguments[0].type == a.type else { return nil }
            return a.arguments[0]
        default:
            return nil
        }
    }

    func next() throws -> Batch? {
        while !passing, !inputDone {
            guard let batch = try input.next() else {
                inputDone = true
                break
            }
            try aggregate.add(batch)
            rowsSeen += batch.count
            // Decided once, at the batch that completes the sample.
            if perRow != nil, rowsSeen >= PartialAggregate.sampleRows, rowsSeen - batch.count < PartialAggregate.sampleRows {
                passing = aggregate.groupCount * 4 > rowsSeen * 3
            }
        }
        if aggregated == nil { aggregated = try aggregate.result() }
        if let batch = aggregated?.next() { return batch }
        guard passing, let perRow, let batch = try input.next() else { return nil }
        try context.cancellation.check()
        let columns = try (groups + perRow).map { try ExpressionEvaluator.evaluate($0, batch, context) }
        return Batch(columns: columns, count: batch.count)
    }
}

// GROUP BY in two phases: a partial aggregate per morsel, then a final aggregate over the
// partial rows in morsel order. Counts are summed, sums summed, min/max/bool_and/bool_or
// taken again; count(DISTINCT x) groups the partials by x too and counts x at the end.
// Groups come out in order of first appearance, as from one serial aggregate.

struct AggregateSplit {
    /// The partial aggregate's groups (the query's, then the DISTINCT argument if any) and
    /// aggregates, over the pipeline's columns.
    let partialGroups: [BoundExpr]
    let partialAggregates: [BoundAggregate]
    /// The final aggregate's, over the partial rows' columns.
    let finalGroups: [BoundExpr]
    let finalAggregates: [BoundAggregate]
    /// Over the final rows, when some need a fix-up (a count over no partial rows is 0).
    let finalProjection: [BoundExpr]?

    var partialTypes: [DataType] { partialGroups.map(\.type) + partialAggregates.map(\.type) }

    /// The split of `groups` and `aggregates`, or nil when some aggregate cannot be combined
    /// from partial states (median, string_agg, FILTER with DISTINCT, …).
    init?(groups: [BoundExpr], aggregates: [BoundAggregate]) {
        var distinctArgument: BoundExpr?
        for a in aggregates where a.distinct || a.function == .approxCountDistinct {
            guard a.function == .count || a.function == .approxCountDistinct, a.arguments.count == 1,
                  a.filter == nil, a.orderBy.isEmpty else { return nil }
            let argument = a.arguments[0]
            if let d = distinctArgument, AggregateSplit.identity(d) != AggregateSplit.identity(argument) { return nil }
            distinctArgument = argument
        }
        let width = groups.count + (distinctArgument == nil ? 0 : 1)
        func column(_ i: Int, _ type: DataType) -> BoundExpr {
            BoundExpr(.column(index: i, name: "partial\(i)"), type: type)
        }
        var partial: [BoundAggregate] = []
        var final: [BoundAggregate] = []
        var countsNeedZero: [Bool] = []
        for a in aggregates {
            if a.distinct || a.function == .approxCountDistinct, let d = distinctArgument {
                final.append(BoundAggregate(function: a.function, arguments: [column(groups.count, d.type)],
                                            distinct: a.distinct, type: a.type, range: a.range))
                countsNeedZero.append(false)
                continue
            }
            guard a.orderBy.isEmpty, !a.distinct, let combine = AggregateSplit.combiner(of: a.function) else { return nil }
            let p = column(width + partial.count, a.type)
            let isCount = AggregateSplit.counts(a.function)
            final.append(BoundAggregate(function: combine, arguments: [p], type: isCount ? .integer : a.type, range: a.range))
            countsNeedZero.append(isCount)
            partial.append(a)
        }
        partialGroups = groups + (distinctArgument.map { [$0] } ?? [])
        partialAggregates = partial
        finalGroups = groups.enumerated().map { column($0.offset, $0.element.type) }
        finalAggregates = final
        // Without GROUP BY and with a DISTINCT argument, an empty input leaves no partial row:
        // the summed counts are NULL and must read 0.
        if groups.isEmpty, distinctArgument != nil, countsNeedZero.contains(true) {
            finalProjection = final.enumerated().map { k, a in
                let c = column(k, a.type)
                guard countsNeedZero[k] else { return c }
                return BoundExpr(.coalesce([c, BoundExpr(.constant(.integer(0)), type: .integer)]), type: .integer)
            }
        } else {
            finalProjection = nil
        }
    }

    /// The aggregate that combines partial results of `function` into its result: counts
    /// are summed; sum, min, max, bool_and and bool_or taken again. Nil for any other
    /// (avg, median, string_agg, …), whose partial results do not combine.
    static func combiner(of function: AggregateFunction) -> AggregateFunction? {
        switch function {
        case .countStar, .count, .countIf: return .sum
        case .sum, .min, .max, .boolAnd, .boolOr: return function
        default: return nil
        }
    }

    private static func counts(_ function: AggregateFunction) -> Bool {
        function == .countStar || function == .count || function == .countIf
    }

    /// Text that tells two expressions apart: the written form with every column named by its
    /// position (two columns may have the same name).
    private static func identity(_ e: BoundExpr) -> String {
        let positional = e.rewrite { node in
            guard case .column(let index, _) = node.kind else { return node }
            return BoundExpr(.column(index: index, name: "#\(index)"), type: node.type)
        }
        return "\(positional.description)|\(e.type)"
    }
}

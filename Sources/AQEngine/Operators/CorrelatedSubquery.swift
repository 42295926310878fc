// Correlated subqueries at run time: each distinct combination of the parameters' values in
// a batch gets a dense index in a table kept for the statement, its result is computed once
// (plan run with the values bound, or looked up, as the plan's strategy says), and every row
// picks its combination's.

/// What a correlated subquery has computed so far in the running statement (kept in the
/// execution context by subquery id): the distinct parameter combinations (dense indexes
/// in `keys`) and the result of each.
final class SubqueryMemo {
    var keys: KeyTable?
    /// Per combination: the value of a scalar subquery, whether an EXISTS found a row, the
    /// set of an IN subquery.
    var scalars: [Value] = []
    var flags: [Bool] = []
    var sets: [(members: MembershipSet, containsNull: Bool)] = []
    /// The keyed or partitioned form the strategy asks for, once built; `switched` when it
    /// was (the partitioned one is nil when no scan can be split: then each combination
    /// runs the whole plan).
    var keyed: KeyedSubquery?
    var partitioned: PartitionedSubquery?
    var switched = false
    /// Scratch: a combination's position among one batch's distinct combinations, or -1.
    private var local: [Int32] = []

    /// How many combinations have their result.
    var resultCount: Int { max(scalars.count, flags.count, sets.count) }

    /// The distinct combinations among `ids` in order of first appearance, and for each row
    /// the position of its combination in that list.
    func localize(_ ids: [Int32], keyCount: Int) -> (distinct: [Int32], local: [Int32]) {
        if local.count < keyCount { local += [Int32](repeating: -1, count: keyCount - local.count) }
        var distinct: [Int32] = []
        let out = local.withUnsafeMutableBufferPointer { slot in
            ids.map { id -> Int32 in
                let k = Int(id)
                if slot[k] < 0 {
                    slot[k] = Int32(distinct.count)
                    distinct.append(id)
                }
                return slot[k]
            }
        }
        for id in distinct { local[Int(id)] = -1 }
        return (distinct, out)
    }
}

/// The executor's `SubqueryRunning`: runs each correlated subquery as its strategy says.
struct CorrelatedSubquery: SubqueryRunning {
    func values(of subquery: AnyObject, type: DataType, _ batch: Batch, _ context: ExecutionContext) throws -> Vector {
        guard let sub = subquery as? BoundSubquery else {
            throw ExecutionError.failed("internal error: not a subquery", range: nil)
        }
        return try CorrelatedSubquery.evaluate(sub, type, batch, context)
    }

    /// The subquery's value for every row of `batch`.
    static func evaluate(_ sub: BoundSubquery, _ type: DataType, _ batch: Batch,
                         _ context: ExecutionContext) throws -> Vector {
        let n = batch.count
        let parameters = try sub.parameters.map { p in
            try ExpressionEvaluator.evaluate(p, batch, context).typed(p.type)
        }
        let memo = context.subqueryMemos.memo(sub.id) { SubqueryMemo() }
        let table = memo.keys ?? KeyTable(types: sub.parameters.map(\.type))
        memo.keys = table
        let ids = table.findOrInsert(parameters, count: n)
        try runNewCombinations(sub, memo, table, context)

        switch sub.kind {
        case .exists:
            let flags = memo.flags
            return .booleans(ids.map { flags[Int($0)] }, nil)
        case .scalar:
            let (distinct, local) = memo.localize(ids, keyCount: table.count)
            var builder = VectorBuilder(type: type)
            for id in distinct { builder.append(memo.scalars[Int(id)]) }
            let values = builder.build()
            return distinct.count == 1 && n > 0 ? Vector.constant(values.value(at: 0), type: type, count: n)
                : values.gather(local)
        case .inList(let probe, let negated):
            let v = try ExpressionEvaluator.evaluate(probe, batch, context)
            return try membership(v, ids, negated: negated, memo, of: sub.id, table, context)
        }
    }

    /// Runs the plan for the combinations added since the last batch and records results.
    private static func runNewCombinations(_ sub: BoundSubquery, _ memo: SubqueryMemo, _ table: KeyTable,
                                           _ context: ExecutionContext) throws {
        let done = memo.resultCount
        guard table.count > done else { return }
        let columns = table.keyVectors(done..<table.count)
        let count = table.count - done
        if !memo.switched {
            switch sub.strategy {
            case .keyed(let decorrelated, let after) where table.count > after:
                memo.switched = true
                memo.keyed = try KeyedSubquery.build(sub, decorrelated, context)
            case .partitioned(let after) where table.count > after:
                memo.switched = true
                memo.partitioned = try PartitionedSubquery.build(sub, context)
            default:
                break
            }
        }
        if let keyed = memo.keyed {
            switch sub.kind {
            case .scalar:
                memo.scalars += try keyed.scalars(columns, count: count, context)
            case .exists:
                memo.flags += try keyed.flags(columns, count: count, context)
            case .inList:
                for (values, containsNull) in try keyed.sets(columns, count: count, context) {
                    memo.sets.append((MembershipSet(Array(values), owner: nil), containsNull))
                }
            }
            return
        }
        // Plans bound here hold subqueries made here (ids above `issued`); their memos are
        // dropped with those plans, so that the context keeps only what can be reached.
        let issued = BoundSubquery.idsIssued
        defer { context.subqueryMemos.forget(above: issued) }
        let plans = try memo.partitioned?.plans(columns, count: count, context)
        for k in 0..<count {
            try context.cancellation.check()
            let plan = plans?[k] ?? sub.plan.bindingParameters(columns.map { $0.value(at: k) })
            switch sub.kind {
            case .scalar:
                memo.scalars.append(try SubqueryResolver.scalar(plan, range: sub.range, context))
            case .exists:
                memo.flags.append(try SubqueryResolver.exists(plan, context))
            case .inList(let probe, _):
                let set = try SubqueryResolver.valueSet(plan, type: probe.type, range: sub.range, context)
                memo.sets.append((MembershipSet(Array(set.values), owner: nil), set.containsNull))
            }
        }
    }

    /// `probe [NOT] IN <set of the row's combination>`: the rows of each combination are
    /// tested together against its set.
    private static func membership(_ v: Vector, _ ids: [Int32], negated: Bool, _ memo: SubqueryMemo, of subqueryID: Int,
                                   _ table: KeyTable, _ context: ExecutionContext) throws -> Vector {
        let n = ids.count
        let (distinct, local) = memo.localize(ids, keyCount: table.count)
        func test(_ sub: Vector, _ id: Int32) throws -> Vector {
            let set = memo.sets[Int(id)]
            return try ExpressionEvaluator.membership(sub, set.members, containsNull: set.containsNull, negated: negated,
                                                      memoName: "correlated-in:\(subqueryID):\(id)", context)
        }
        if distinct.count == 1 { return try test(v, distinct[0]) }
        // Rows grouped by combination (a counting sort), each group tested, results put back.
        var starts = [Int](repeating: 0, count: distinct.count + 1)
        for l in local { starts[Int(l) + 1] += 1 }
        for g in 0..<distinct.count { starts[g + 1] += starts[g] }
        var fill = starts
        var rows = [Int32](repeating: 0, count: n)
        for (i, l) in local.enumerated() {
            rows[fill[Int(l)]] = Int32(i)
            fill[Int(l)] += 1
        }
        var out = [Bool](repeating: false, count: n)
        var valid = [Bool](repeating: true, count: n)
        for (g, id) in distinct.enumerated() {
            let group = Array(rows[starts[g]..<starts[g + 1]])
            let result = try test(v.gather(group), id)
            let bits = try result.boolValues()
            result.effectiveValidity.withView { vv in
                for (j, row) in group.enumerated() {
                    out[Int(row)] = bits[j]
                    valid[Int(row)] = vv.isValid(j)
                }
            }
        }
        return .booleans(out, Validity.from(valid))
    }
}

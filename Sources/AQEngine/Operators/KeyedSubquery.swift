// A decorrelated subquery at run time: one run of its rewritten plan (SubqueryDecorrelation)
// gives the rows of every outer value at once, hashed by the keys they carry; an outer value
// then finds its result by looking its key up instead of running the plan again.

final class KeyedSubquery {
    private let sub: BoundSubquery
    private let decorrelated: DecorrelatedPlan
    /// The distinct keys of the rows (rows with a NULL key match nothing and are left out).
    private let keys: KeyTable
    /// Per key: the IN subquery's values and whether one was NULL; the scalar's value (of
    /// its first row) and how many rows it had (more than one is an error, if asked for).
    private var sets: [(values: Set<Value>, containsNull: Bool)] = []
    private var values: [Value] = []
    private var rowCounts: [Int] = []
    /// The scalar's value for an outer value no row matches (an aggregate over no rows).
    private var emptyValue: Value?

    private init(_ sub: BoundSubquery, _ decorrelated: DecorrelatedPlan) {
        self.sub = sub
        self.decorrelated = decorrelated
        self.keys = KeyTable(types: decorrelated.outerSides.map(\.type))
    }

    /// Runs `decorrelated`, the decorrelated form of `sub`, once.
    static func build(_ sub: BoundSubquery, _ decorrelated: DecorrelatedPlan,
                      _ context: ExecutionContext) throws -> KeyedSubquery {
        let keyed = KeyedSubquery(sub, decorrelated)
        try keyed.run(context)
        return keyed
    }

    private func run(_ context: ExecutionContext) throws {
        let first = decorrelated.valueColumns
        try Executor.stream(decorrelated.plan, context) { batch in
            let n = batch.count
            guard n > 0, batch.columns.count > first else { return }
            let ids = keys.findOrInsert(Array(batch.columns[first...]), count: n, skippingNulls: true)
            switch sub.kind {
            case .exists:
                break
            case .inList:
                let column = batch.columns[0]
                for (row, id) in ids.enumerated() where id >= 0 {
                    if Int(id) == sets.count { sets.append((values: [], containsNull: false)) }
                    let v = column.value(at: row)
                    if v.isNull { sets[Int(id)].containsNull = true } else { sets[Int(id)].values.insert(v) }
                }
            case .scalar:
                let column = batch.columns[0]
                for (row, id) in ids.enumerated() where id >= 0 {
                    if Int(id) == values.count {
                        values.append(column.value(at: row))
                        rowCounts.append(0)
                    }
                    rowCounts[Int(id)] += 1
                }
            }
        }
    }

    /// The key index of each outer combination (`parameters`: one vector per parameter,
    /// `count` combinations), or -1 where no row has its key.
    private func lookUp(_ parameters: [Vector], count: Int, _ context: ExecutionContext) throws -> [Int32] {
        // The outer sides over a batch whose columns are the parameters: one pass each.
        let batch = Batch(columns: parameters, count: count)
        let sides = try outerSidesOverParameters.map { try ExpressionEvaluator.evaluate($0, batch, context).typed($0.type) }
        return keys.find(sides, count: count, nullsMatch: false)
    }

    /// The outer sides with parameter `i` read as column `i`.
    private lazy var outerSidesOverParameters: [BoundExpr] = decorrelated.outerSides.map { side in
        side.rewrite { e in
            guard case .parameter(let i, let name) = e.kind else { return e }
            return BoundExpr(.column(index: i, name: name), type: e.type, range: e.range)
        }
    }

    /// Whether each combination's EXISTS finds a row.
    func flags(_ parameters: [Vector], count: Int, _ context: ExecutionContext) throws -> [Bool] {
        try lookUp(parameters, count: count, context).map { $0 >= 0 }
    }

    /// Each combination's IN set: its values and whether one was NULL (empty without rows).
    func sets(_ parameters: [Vector], count: Int, _ context: ExecutionContext) throws -> [(Set<Value>, Bool)] {
        try lookUp(parameters, count: count, context).map { id in
            id >= 0 ? (sets[Int(id)].values, sets[Int(id)].containsNull) : ([], false)
        }
    }

    /// Each combination's scalar value.
    func scalars(_ parameters: [Vector], count: Int, _ context: ExecutionContext) throws -> [Value] {
        let ids = try lookUp(parameters, count: count, context)
        var out: [Value] = []
        out.reserveCapacity(count)
        for id in ids {
            if id >= 0 {
                if rowCounts[Int(id)] > 1 { throw ExecutionError.subqueryReturnedMoreThanOneRow(range: sub.range) }
                out.append(values[Int(id)])
            } else {
                out.append(try empty(context))
            }
        }
        return out
    }

    /// The value for no matching row: the plan run with every parameter NULL, under which
    /// each correlated equality is NULL and so keeps no row, as for a key nothing has.
    private func empty(_ context: ExecutionContext) throws -> Value {
        if let emptyValue { return emptyValue }
        let nulls = [Value](repeating: .null, count: sub.parameters.count)
        let value = try SubqueryResolver.scalar(sub.plan.bindingParameters(nulls), range: sub.range, context)
        emptyValue = value
        return value
    }
}

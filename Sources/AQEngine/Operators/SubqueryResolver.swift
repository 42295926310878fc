// Runs the run-once (uncorrelated) subqueries of a plan before the plan itself and puts their
// results in place: a scalar or EXISTS becomes a constant, an IN becomes a value set. Each
// result is kept in the execution context by subquery id, so a plan built again reuses it.

import AQSyntax

struct SubqueryResolver {
    let context: ExecutionContext

    /// `plan` with every `BoundExprKind.subquery` in its expressions replaced by its result.
    func resolve(_ plan: LogicalPlan) throws -> LogicalPlan {
        switch plan {
        case .scan(var scan):
            scan.filters = try scan.filters.map(resolve)
            return .scan(scan)
        case .series:
            return plan
        case .values(let rows, let schema):
            return .values(rows: try rows.map { try $0.map(resolve) }, schema: schema)
        case .filter(let input, let predicate):
            return .filter(try resolve(input), predicate: try resolve(predicate))
        case .project(let input, let expressions, let names):
            return .project(try resolve(input), expressions: try expressions.map(resolve), names: names)
        case .aggregate(let input, let groups, let aggregates, let names):
            let resolvedAggregates = try aggregates.map { aggregate -> BoundAggregate in
                var a = aggregate
                a.arguments = try a.arguments.map(resolve)
                a.filter = try a.filter.map(resolve)
                a.orderBy = try a.orderBy.map(resolve)
                return a
            }
            return .aggregate(try resolve(input), groups: try groups.map(resolve),
                              aggregates: resolvedAggregates, names: names)
        case .join(let left, let right, let kind, let condition):
            return .join(try resolve(left), try resolve(right), kind: kind, condition: try condition.map(resolve))
        case .window(let input, let functions, let names):
            return .window(try resolve(input), functions: try functions.map { try $0.mapExpressions(resolve) }, names: names)
        case .unnest(let input, let lists, let names):
            return .unnest(try resolve(input), lists: try lists.map(resolve), names: names)
        case .sort(let input, let keys):
            return .sort(try resolve(input), keys: try keys.map(resolve))
        case .limit(let input, let limit, let offset):
            return .limit(try resolve(input), limit: limit, offset: offset)
        case .limitClause(let input, let limit, let offset):
            return .limitClause(try resolve(input), limit: limit, offset: offset)
        case .topN(let input, let keys, let limit, let offset):
            return .topN(try resolve(input), keys: try keys.map(resolve), limit: limit, offset: offset)
        case .distinct(let input):
            return .distinct(try resolve(input))
        case .unionAll(let inputs):
            return .unionAll(try inputs.map(resolve))
        case .setDifference(let left, let right, let intersect, let all):
            return .setDifference(try resolve(left), try resolve(right), intersect: intersect, all: all)
        case .empty:
            return plan
        }
    }

    private func resolve(_ key: BoundSortKey) throws -> BoundSortKey {
        var k = key
        k.expr = try resolve(k.expr)
        return k
    }

    /// `expr` with its uncorrelated subqueries run and replaced. A correlated subquery stays
    /// (it runs per row, `CorrelatedSubquery`), with the uncorrelated ones inside it resolved
    /// once here; one whose parameters are all constants is bound and run like an
    /// uncorrelated one.
    func resolve(_ expr: BoundExpr) throws -> BoundExpr {
        guard ExpressionWalker.containsSubquery(expr) else { return expr }
        guard case .subquery(let subquery) = expr.kind else {
            return try ExpressionWalker.mapChildren(expr) { try resolve($0) }
        }
        guard subquery.isCorrelated else { return try run(subquery, as: expr) }
        let constants = subquery.parameters.compactMap(\.constantValue)
        if constants.count == subquery.parameters.count {
            return try run(subquery.with(plan: subquery.plan.bindingParameters(constants), parameters: []), as: expr)
        }
        var kind = subquery.kind
        if case .inList(let probe, let negated) = kind { kind = .inList(probe: try resolve(probe), negated: negated) }
        var out = expr
        out.kind = .subquery(subquery.with(kind: kind, plan: try resolve(subquery.plan)))
        return out
    }

    private func run(_ subquery: BoundSubquery, as expr: BoundExpr) throws -> BoundExpr {
        let result = context.subqueryMemos.memo(subquery.id) { RunOnceResult() }
        switch subquery.kind {
        case .scalar:
            let value = try result.value ?? SubqueryResolver.scalar(subquery.plan, range: subquery.range ?? expr.range, context)
            result.value = value
            return BoundExpr(.constant(value), type: expr.type, range: expr.range)
        case .exists:
            let found = try result.value ?? .boolean(SubqueryResolver.exists(subquery.plan, context))
            result.value = found
            return BoundExpr(.constant(found), type: expr.type, range: expr.range)
        case .inList(let probe, let negated):
            let probe = try resolve(probe)
            let set = try result.set ?? SubqueryResolver.valueSet(subquery.plan, type: probe.type, range: subquery.range, context)
            result.set = set
            return BoundExpr(.inSet(probe, set, negated: negated), type: expr.type, range: expr.range)
        }
    }

    /// The one value of a scalar subquery's plan: NULL without rows, an error with two.
    static func scalar(_ plan: LogicalPlan, range: SourceRange?, _ context: ExecutionContext) throws -> Value {
        var value = Value.null
        var rows = 0
        // Two rows are enough to know that there are too many.
        try Executor.stream(.limit(plan, limit: 2, offset: 0), context) { batch in
            if rows == 0, batch.count > 0, let first = batch.columns.first { value = first.value(at: 0) }
            rows += batch.count
        }
        if rows > 1 { throw ExecutionError.subqueryReturnedMoreThanOneRow(range: range) }
        return value
    }

    /// Whether the plan gives a row.
    static func exists(_ plan: LogicalPlan, _ context: ExecutionContext) throws -> Bool {
        var found = false
        try Executor.stream(.limit(plan, limit: 1, offset: 0), context) { batch in
            if batch.count > 0 { found = true }
        }
        return found
    }

    /// The distinct values of the plan's one column, read as `type`.
    static func valueSet(_ plan: LogicalPlan, type: DataType, range: SourceRange?,
                         _ context: ExecutionContext) throws -> ValueSet {
        // Duplicates go through a key table (bytes and words, no `Value` per row); only the
        // distinct values are boxed.
        var distinct: KeyTable?
        try Executor.stream(plan, context) { batch in
            guard var column = batch.columns.first else { return }
            if column.type != type, column.type != .null, type != .null {
                let cast = BoundExpr(.cast(BoundExpr(.column(index: 0, name: "subquery"), type: column.type),
                                           isTry: false), type: type, range: range)
                column = try ExpressionEvaluator.evaluate(cast, Batch(columns: [column], count: batch.count), context)
            }
            if distinct == nil { distinct = KeyTable(types: [column.type]) }
            _ = distinct?.findOrInsert([column], count: batch.count)
        }
        var values = Set<Value>()
        var containsNull = false
        if let distinct, let column = distinct.keyVectors(0..<distinct.count).first {
            for i in 0..<distinct.count {
                let v = column.value(at: i)
                if v.isNull { containsNull = true } else { values.insert(v) }
            }
        }
        return ValueSet(values: values, containsNull: containsNull)
    }
}

/// What a run-once subquery gave, kept in the execution context for the statement: the
/// value of a scalar or EXISTS, the set of an IN.
final class RunOnceResult {
    var value: Value?
    var set: ValueSet?
}

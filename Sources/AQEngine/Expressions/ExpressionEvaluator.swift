// Evaluates a bound expression over a batch, producing one vector. Each node dispatches on
// its operands' storage once per batch and loops over unboxed arrays; the kernels live in
// ExpressionEvaluator+<Concern>.swift and Functions/.

import AQSyntax

public enum ExpressionEvaluator {
    /// The value of `expr` for every row of `batch`.
    public static func evaluate(_ expr: BoundExpr, _ batch: Batch, _ context: ExecutionContext) throws -> Vector {
        let n = batch.count
        switch expr.kind {
        case .constant(let value):
            return try constantVector(value, expr.type, n, expr.range)
        case .column(let index, _):
            guard index >= 0, index < batch.columns.count else {
                throw ExecutionError.failed("internal error: column \(index) is out of range", range: expr.range)
            }
            return batch.columns[index]
        case .cast(let operand, let isTry):
            let v = try evaluate(operand, batch, context)
            return try Cast.vector(v, to: expr.type, isTry: isTry, range: expr.range ?? operand.range, context: context)
        case .call(let function, let arguments):
            var vectors: [Vector] = []
            vectors.reserveCapacity(arguments.count)
            var constants: [Value?] = []
            constants.reserveCapacity(arguments.count)
            for (k, argument) in arguments.enumerated() {
                let type = k < function.argumentTypes.count ? function.argumentTypes[k] : argument.type
                let v = try evaluate(argument, batch, context).typed(type)
                vectors.append(v)
                if case .constant(let value) = argument.kind, value.type == type || value.isNull {
                    constants.append(value)
                } else if isConstantTree(argument), n > 0 {
                    constants.append(v.value(at: 0))
                } else {
                    constants.append(nil)
                }
            }
            let fc = FunctionContext(execution: context, constantArguments: constants, range: expr.range)
            return try function.kernel(vectors, n, fc)
        case .compare(let op, let a, let b):
            return try compare(op, a, b, batch, context)
        case .arithmetic(let op, let a, let b):
            return try arithmetic(op, a, b, type: expr.type, range: expr.range, batch, context)
        case .negate(let operand):
            return try negate(try evaluate(operand, batch, context), range: expr.range)
        case .and(let operands):
            return try conjunction(operands, isAnd: true, batch, context)
        case .or(let operands):
            return try conjunction(operands, isAnd: false, batch, context)
        case .not(let operand):
            return try not(try evaluate(operand, batch, context))
        case .isNull(let operand, let negated):
            return isNull(try evaluate(operand, batch, context), negated: negated)
        case .isDistinctFrom(let a, let b, let negated):
            return try isDistinct(a, b, negated: negated, batch, context)
        case .inList(let probe, let list, let negated):
            return try inList(probe, list, negated: negated, batch, context)
        case .inSet(let probe, let set, let negated):
            return try inSet(try evaluate(probe, batch, context), set, negated: negated, context)
        case .like(let value, let pattern, let caseInsensitive, let negated, let escape):
            return try like(value, pattern: pattern, caseInsensitive: caseInsensitive, negated: negated,
                            escape: escape, range: expr.range, batch, context)
        case .caseWhen(let branches, let elseResult):
            return try caseWhen(branches, elseResult: elseResult, type: expr.type, batch, context)
        case .coalesce(let operands):
            return try coalesce(operands, type: expr.type, batch, context)
        case .subquery(let sub):
            guard sub.isCorrelated else {
                throw ExecutionError.unsupported("a subquery that was not run before its plan", range: expr.range)
            }
            guard let runner = context.subqueries else {
                throw ExecutionError.failed("internal error: no subquery runner", range: expr.range)
            }
            return try runner.values(of: sub, type: expr.type, batch, context)
        case .parameter:
            throw ExecutionError.failed("internal error: a subquery parameter was not bound", range: expr.range)
        }
    }

    /// Rows of `batch` for which `predicate` is true (not false, not NULL), ascending.
    public static func select(_ predicate: BoundExpr, _ batch: Batch, _ context: ExecutionContext) throws -> [Int32] {
        try select(predicate, batch, candidates: nil, context)
    }

    /// The value of a constant of type `type` over `n` rows, cast when the binder left the
    /// value in another type (a string literal typed as TIMESTAMP).
    static func constantVector(_ value: Value, _ type: DataType, _ n: Int, _ range: SourceRange?) throws -> Vector {
        if value.isNull || value.type == type || type == .null || (value.type.isString && type.isString) {
            return Vector.constant(value, type: type, count: n)
        }
        let cast = try Cast.value(value, to: type, range: range)
        return Vector.constant(cast, type: type, count: n)
    }

    // MARK: Evaluating on some rows

    /// The value of `expr` for the rows `rows` of `batch` only (in that order), so that a
    /// branch of CASE, or an operand of AND after a false one, never raises an error for a
    /// row it does not decide (`CASE WHEN x = 0 THEN 0 ELSE 1 // x END`).
    static func evaluate(_ expr: BoundExpr, _ batch: Batch, rows: [Int32], _ context: ExecutionContext) throws -> Vector {
        if rows.count == batch.count { return try evaluate(expr, batch, context) }
        return try evaluate(expr, subBatch(batch, rows, for: expr), context)
    }

    /// The rows `rows` of the columns `expr` reads; other columns are left out (empty).
    static func subBatch(_ batch: Batch, _ rows: [Int32], for expr: BoundExpr) -> Batch {
        var used = [Bool](repeating: false, count: batch.columns.count)
        markColumns(expr, &used)
        var columns = batch.columns
        for k in columns.indices {
            columns[k] = used[k] ? columns[k].gather(rows) : Vector(type: .null, storage: .null(count: rows.count))
        }
        return Batch(columns: columns, count: rows.count)
    }

    static func markColumns(_ expr: BoundExpr, _ used: inout [Bool]) {
        switch expr.kind {
        case .constant, .parameter: break
        case .subquery(let sub):
            for p in sub.parameters { markColumns(p, &used) }
            if case .inList(let probe, _) = sub.kind { markColumns(probe, &used) }
        case .column(let index, _): if index >= 0, index < used.count { used[index] = true }
        case .cast(let x, _), .negate(let x), .not(let x), .isNull(let x, _), .inSet(let x, _, _):
            markColumns(x, &used)
        case .call(_, let xs), .and(let xs), .or(let xs), .coalesce(let xs):
            for x in xs { markColumns(x, &used) }
        case .compare(_, let a, let b), .arithmetic(_, let a, let b), .isDistinctFrom(let a, let b, _):
            markColumns(a, &used); markColumns(b, &used)
        case .inList(let x, let xs, _):
            markColumns(x, &used); for y in xs { markColumns(y, &used) }
        case .like(let x, let p, _, _, let e):
            markColumns(x, &used); markColumns(p, &used); if let e { markColumns(e, &used) }
        case .caseWhen(let branches, let e):
            for b in branches { markColumns(b.condition, &used); markColumns(b.result, &used) }
            if let e { markColumns(e, &used) }
        }
    }

    /// True for a constant, or casts of one: the same value on every row.
    static func isConstantTree(_ expr: BoundExpr) -> Bool {
        switch expr.kind {
        case .constant: return true
        case .cast(let x, _), .negate(let x): return isConstantTree(x)
        default: return false
        }
    }

    /// True when evaluating `expr` can raise an error for some row (so it must be
    /// evaluated only on the rows it decides); false for columns, constants, comparisons.
    static func canFail(_ expr: BoundExpr) -> Bool {
        switch expr.kind {
        case .constant, .column, .parameter: return false
        case .cast, .call, .arithmetic, .negate, .subquery, .like: return true
        case .not(let x), .isNull(let x, _), .inSet(let x, _, _): return canFail(x)
        case .and(let xs), .or(let xs), .coalesce(let xs): return xs.contains(where: canFail)
        case .compare(_, let a, let b), .isDistinctFrom(let a, let b, _): return canFail(a) || canFail(b)
        case .inList(let x, let xs, _): return canFail(x) || xs.contains(where: canFail)
        case .caseWhen(let branches, let e):
            return branches.contains { canFail($0.condition) || canFail($0.result) } || (e.map(canFail) ?? false)
        }
    }
}

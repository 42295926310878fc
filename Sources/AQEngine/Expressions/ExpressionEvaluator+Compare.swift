// Comparison kernels: `=`, `<>`, `<`, `<=`, `>`, `>=` for every storage, with a scalar fast
// path when one side is a constant, and per-dictionary-entry evaluation for string columns.
// DOUBLE orders NaN above every number and equal to itself, and -0.0 = 0.0, as DuckDB does;
// VARCHAR compares bytes; INTERVAL compares its normalized length (1 month = 30 days).

import AQSyntax

extension ExpressionEvaluator {
    static func compare(_ op: ComparisonOperator, _ a: BoundExpr, _ b: BoundExpr, _ batch: Batch,
                        _ context: ExecutionContext) throws -> Vector {
        if !isColumnFree(a), let c = try rowIndependentValue(b, batch, context) {
            return try compare(op, try evaluate(a, batch, context), constant: c, type: b.type, range: b.range, context)
        }
        if !isColumnFree(b), let c = try rowIndependentValue(a, batch, context) {
            return try compare(op.flipped, try evaluate(b, batch, context), constant: c, type: a.type, range: a.range, context)
        }
        return try CompareKernels.compare(op, try evaluate(a, batch, context), try evaluate(b, batch, context))
    }

    static func isConstant(_ e: BoundExpr) -> Bool {
        if case .constant = e.kind { return true }
        return false
    }

    /// True when `e` reads no column: the same value on every row (`now() - INTERVAL '7 days'`).
    static func isColumnFree(_ e: BoundExpr) -> Bool {
        switch e.kind {
        case .constant: return true
        case .column, .subquery, .parameter: return false
        case .cast(let x, _), .negate(let x), .not(let x), .isNull(let x, _), .inSet(let x, _, _): return isColumnFree(x)
        case .call(_, let xs), .and(let xs), .or(let xs), .coalesce(let xs): return xs.allSatisfy(isColumnFree)
        case .compare(_, let a, let b), .arithmetic(_, let a, let b), .isDistinctFrom(let a, let b, _):
            return isColumnFree(a) && isColumnFree(b)
        case .inList(let x, let xs, _): return isColumnFree(x) && xs.allSatisfy(isColumnFree)
        case .like(let x, let p, _, _, let e): return isColumnFree(x) && isColumnFree(p) && (e.map(isColumnFree) ?? true)
        case .caseWhen(let branches, let e):
            return branches.allSatisfy { isColumnFree($0.condition) && isColumnFree($0.result) } && (e.map(isColumnFree) ?? true)
        }
    }

    /// The value of a column-free expression, computed once for the batch; nil when `e` reads
    /// columns or the batch is empty.
    static func rowIndependentValue(_ e: BoundExpr, _ batch: Batch, _ context: ExecutionContext) throws -> Value? {
        if case .constant(let c) = e.kind { return c }
        guard batch.count > 0, isColumnFree(e) else { return nil }
        return try evaluate(e, Batch(columns: [], count: 1), context).value(at: 0)
    }

    /// A vector compared with one value.
    static func compare(_ op: ComparisonOperator, _ v: Vector, constant: Value, type: DataType,
                        range: SourceRange?, _ context: ExecutionContext) throws -> Vector {
        let n = v.count
        var c = constant
        if !c.isNull, c.type != v.type, !(c.type.isString && v.type.isString), v.type != .null {
            c = try Cast.value(c, to: v.type, range: range)
        }
        if c.isNull || v.isAllNull { return Vector.nulls(type: .boolean, count: n) }
        let bits: [Bool]
        switch (v.storage, c) {
        case (.int64(let a), .integer(let x)), (.int64(let a), .date(let x)), (.int64(let a), .timestamp(let x)):
            bits = CompareKernels.int64s(a, x, op)
        case (.double(let a), .double(let x)):
            bits = CompareKernels.doubles(a, x, op)
        case (.boolean(let a), .boolean(let x)):
            // Read as bytes (0 or 1) against the constant's byte: no copy of either side.
            bits = a.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: UInt8.self) { CompareKernels.scalar($0, x ? 1 : 0, op) }
            }
        case (.string(let s), .varchar(let x)), (.string(let s), .json(let x)):
            bits = CompareKernels.strings(s, validity: v.validity, x, op, context)
        case (.interval(let a), .interval(let x)):
            bits = CompareKernels.intervals(a, [Interval](repeating: x, count: n), op)
        default:
            return try CompareKernels.compare(op, v, Vector.constant(c, type: v.type, count: n))
        }
        return .booleans(bits, v.validity)
    }


    /// `a IS [NOT] DISTINCT FROM b`: equality where NULL equals NULL; never NULL itself.
    static func isDistinct(_ a: BoundExpr, _ b: BoundExpr, negated: Bool, _ batch: Batch,
                           _ context: ExecutionContext) throws -> Vector {
        let x = try evaluate(a, batch, context), y = try evaluate(b, batch, context)
        let n = batch.count
        var out = [Bool](repeating: false, count: n)
        let xNull = x.effectiveValidity, yNull = y.effectiveValidity
        let equal: [Bool]
        if x.isAllNull || y.isAllNull {
            equal = [Bool](repeating: false, count: n)
        } else {
            let cmp = try CompareKernels.compare(.equal, x.typed(y.type), y.typed(x.type))
            equal = try cmp.boolValues()
        }
        xNull.withView { xv in
            yNull.withView { yv in
                for i in 0..<n {
                    let xa = xv.isValid(i), ya = yv.isValid(i)
                    let same = (!xa && !ya) || (xa && ya && equal[i])
                    out[i] = negated ? same : !same
                }
            }
        }
        return .booleans(out, nil)
    }
}

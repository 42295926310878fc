// Evaluates a bound expression over a batch, producing a vector (placeholder: columns and
// constants only, until the expression kernels land).

public enum ExpressionEvaluator {
    public static func evaluate(_ expr: BoundExpr, _ batch: Batch, _ context: ExecutionContext) throws -> Vector {
        switch expr.kind {
        case .column(let index, _): return batch.columns[index]
        case .constant(let value): return Vector.constant(value, type: expr.type, count: batch.count)
        default: throw ExecutionError.unsupported("this expression", range: expr.range)
        }
    }

    /// Rows of `batch` for which `predicate` is true (not false, not NULL), ascending.
    public static func select(_ predicate: BoundExpr, _ batch: Batch, _ context: ExecutionContext) throws -> [Int32] {
        let v = try evaluate(predicate, batch, context)
        guard case .boolean(let bits) = v.storage else { return [] }
        var out: [Int32] = []
        for i in 0..<batch.count where bits[i] && !v.isNull(i) { out.append(Int32(i)) }
        return out
    }
}

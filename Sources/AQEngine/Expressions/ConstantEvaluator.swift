// Evaluates an expression that reads no column, once, at plan time: constant folding,
// LIMIT and OFFSET, INSERT values.

enum ConstantEvaluator {
    /// The value of a column-free expression (the expression evaluated over one row of no
    /// columns), typed as the expression.
    static func evaluate(_ expr: BoundExpr, _ context: ExecutionContext) throws -> Value {
        if case .constant(let v) = expr.kind { return v }
        let vector = try ExpressionEvaluator.evaluate(expr, Batch(columns: [], count: 1), context)
        guard vector.count >= 1 else { return .null }
        return vector.value(at: 0)
    }
}

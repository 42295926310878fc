// Computes the output columns of a SELECT list from each input batch.

final class PhysicalProjection: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let expressions: [BoundExpr]
    private let context: ExecutionContext

    init(_ input: PhysicalOperator, expressions: [BoundExpr], _ context: ExecutionContext) {
        self.input = input
        self.expressions = expressions
        self.types = expressions.map(\.type)
        self.context = context
    }

    func next() throws -> Batch? {
        guard let batch = try input.next() else { return nil }
        let columns = try expressions.map { expr -> Vector in
            if case .column(let index, _) = expr.kind { return batch.columns[index] }
            return try ExpressionEvaluator.evaluate(expr, batch, context)
        }
        return Batch(columns: columns, count: batch.count)
    }
}

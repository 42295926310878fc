// Computes the output columns of a SELECT list from each input batch.

final class PhysicalProjection: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let expressions: [BoundExpr]
    private let context: ExecutionContext
    /// Expressions evaluated once per distinct combination of the columns they read.
    private let memos: [TupleMemo?]

    init(_ input: PhysicalOperator, expressions: [BoundExpr], _ context: ExecutionContext) {
        self.input = input
        self.expressions = expressions
        self.types = expressions.map(\.type)
        self.context = context
        self.memos = TupleMemo.memos(expressions)
    }

    func next() throws -> Batch? {
        guard let batch = try input.next() else { return nil }
        return Batch(columns: try TupleMemo.evaluate(expressions, memos, batch, context), count: batch.count)
    }
}

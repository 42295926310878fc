// Literal rows (VALUES, SELECT without FROM): each row's expressions evaluated once.

final class PhysicalValues: PhysicalOperator {
    let types: [DataType]
    private var slicer: BatchSlicer

    init(rows: [[BoundExpr]], schema: [ColumnSchema], _ context: ExecutionContext) throws {
        types = schema.map(\.type)
        var builders = types.map(VectorBuilder.init)
        let one = Batch(columns: [], count: 1)
        for row in rows {
            try context.cancellation.check()
            for (c, expr) in row.enumerated() where c < builders.count {
                var value: Value
                if case .constant(let v) = expr.kind {
                    value = v
                } else {
                    value = try ExpressionEvaluator.evaluate(expr, one, context).value(at: 0)
                }
                if value.type != types[c], !value.isNull {
                    let cast = BoundExpr(.cast(BoundExpr(.constant(value), type: value.type), isTry: false),
                                         type: types[c], range: expr.range)
                    value = try ExpressionEvaluator.evaluate(cast, one, context).value(at: 0)
                }
                builders[c].append(value)
            }
        }
        slicer = BatchSlicer(columns: builders.map { $0.build() }, count: rows.count)
    }

    func next() throws -> Batch? { slicer.next() }
}

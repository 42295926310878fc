// Keeps the rows of its input for which a predicate is true (not false, not NULL).

final class PhysicalFilter: PhysicalOperator {
    private let input: PhysicalOperator
    private let filter: SelectionFilter
    private let context: ExecutionContext

    var types: [DataType] { input.types }

    init(_ input: PhysicalOperator, predicate: BoundExpr, _ context: ExecutionContext) {
        self.input = input
        self.filter = SelectionFilter([predicate])
        self.context = context
    }

    func next() throws -> Batch? {
        while let batch = try input.next() {
            try context.cancellation.check()
            if let out = try filter.apply(batch, context) { return out }
        }
        return nil
    }
}

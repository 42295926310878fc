// UNION ALL: the batches of each input in turn.

final class PhysicalUnionAll: PhysicalOperator {
    let types: [DataType]
    private let inputs: [PhysicalOperator]
    private var current = 0

    init(_ inputs: [PhysicalOperator], types: [DataType], _ context: ExecutionContext) {
        self.inputs = inputs
        self.types = types
    }

    func next() throws -> Batch? {
        while current < inputs.count {
            if var batch = try inputs[current].next() {
                // A bare NULL column of one input takes the union's type.
                for (i, column) in batch.columns.enumerated() where i < types.count && column.type != types[i] && column.isNullStorage {
                    batch.columns[i] = Vector.nulls(type: types[i], count: batch.count)
                }
                return batch
            }
            current += 1
        }
        return nil
    }
}

// No rows at all: a plan the optimizer proved empty.

final class PhysicalEmpty: PhysicalOperator {
    let types: [DataType]

    init(types: [DataType]) { self.types = types }

    func next() throws -> Batch? { nil }
}

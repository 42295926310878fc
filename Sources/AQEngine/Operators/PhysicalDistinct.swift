// SELECT DISTINCT: passes the first occurrence of each row (NULLs equal to each other),
// in input order.

final class PhysicalDistinct: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let seen: KeyTable
    private let context: ExecutionContext

    init(_ input: PhysicalOperator, _ context: ExecutionContext) {
        self.input = input
        self.types = input.types
        self.seen = KeyTable(types: input.types)
        self.context = context
    }

    func next() throws -> Batch? {
        while let batch = try input.next() {
            try context.cancellation.check()
            var next = Int32(seen.count)
            let ids = seen.findOrInsert(batch.columns, count: batch.count)
            var fresh: [Int32] = []
            // New rows get consecutive key indexes in row order.
            for i in 0..<batch.count where ids[i] == next {
                fresh.append(Int32(i))
                next += 1
            }
            if fresh.isEmpty { continue }
            return fresh.count == batch.count ? batch : batch.gather(fresh)
        }
        return nil
    }
}

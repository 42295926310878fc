// LIMIT n OFFSET m: skips m rows, passes at most n, and stops pulling its input after that.

final class PhysicalLimit: PhysicalOperator {
    private let input: PhysicalOperator
    private var remaining: Int?
    private var toSkip: Int

    var types: [DataType] { input.types }

    init(_ input: PhysicalOperator, limit: Int?, offset: Int, _ context: ExecutionContext) {
        self.input = input
        self.remaining = limit.map { Swift.max(0, $0) }
        self.toSkip = Swift.max(0, offset)
    }

    func next() throws -> Batch? {
        while remaining.map({ $0 > 0 }) ?? true, let batch = try input.next() {
            var start = 0
            if toSkip > 0 {
                start = Swift.min(toSkip, batch.count)
                toSkip -= start
            }
            var end = batch.count
            if let r = remaining { end = Swift.min(end, start + r) }
            guard end > start else { continue }
            remaining = remaining.map { $0 - (end - start) }
            return start == 0 && end == batch.count ? batch : batch.slice(start..<end)
        }
        return nil
    }
}

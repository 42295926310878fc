// EXCEPT and INTERSECT, with or without ALL: counts each distinct row on both sides.
// Without ALL a row appears at most once; with ALL, EXCEPT keeps left − right copies and
// INTERSECT min(left, right). Rows come out in order of first appearance on the left.

final class PhysicalSetDifference: PhysicalOperator {
    let types: [DataType]
    private let left: PhysicalOperator
    private let right: PhysicalOperator
    private let intersect: Bool
    private let all: Bool
    private let context: ExecutionContext
    private var result: SortedRows?

    init(left: PhysicalOperator, right: PhysicalOperator, intersect: Bool, all: Bool, _ context: ExecutionContext) {
        self.left = left
        self.right = right
        self.intersect = intersect
        self.all = all
        self.types = left.types
        self.context = context
    }

    func next() throws -> Batch? {
        if result == nil { result = try consume() }
        return result?.next()
    }

    private func consume() throws -> SortedRows {
        let table = KeyTable(types: types)
        var leftCounts: [Int] = []
        while let batch = try left.next() {
            try context.cancellation.check()
            let ids = table.findOrInsert(batch.columns, count: batch.count)
            if leftCounts.count < table.count {
                leftCounts.append(contentsOf: repeatElement(0, count: table.count - leftCounts.count))
            }
            for id in ids { leftCounts[Int(id)] += 1 }
        }
        var rightCounts = [Int](repeating: 0, count: table.count)
        while let batch = try right.next() {
            try context.cancellation.check()
            for id in table.find(batch.columns, count: batch.count, nullsMatch: true) where id >= 0 {
                rightCounts[Int(id)] += 1
            }
        }
        var order: [Int32] = []
        for key in 0..<table.count {
            let l = leftCounts[key], r = rightCounts[key]
            let copies: Int
            switch (intersect, all) {
            case (false, false): copies = r == 0 ? 1 : 0
            case (false, true): copies = Swift.max(0, l - r)
            case (true, false): copies = r > 0 ? 1 : 0
            case (true, true): copies = Swift.min(l, r)
            }
            for _ in 0..<copies { order.append(Int32(key)) }
        }
        return SortedRows(columns: table.keyVectors(0..<table.count), keyColumns: [], order: order)
    }
}

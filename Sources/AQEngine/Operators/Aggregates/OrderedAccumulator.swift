// An aggregate call with ORDER BY (`string_agg(x, ',' ORDER BY y)`): rows are kept until
// the end, sorted by group and the call's keys, and only then fed to the aggregate.

final class OrderedAccumulator: AggregateAccumulator {
    private let inner: AggregateAccumulator
    private let argumentCount: Int
    private let directions: [(descending: Bool, nullsFirst: Bool)]
    private let types: [DataType]
    private var rows: [[Vector]] = []
    private var groups: [Int32] = []

    init(_ inner: AggregateAccumulator, argumentCount: Int, keys: [BoundSortKey], argumentTypes: [DataType]) {
        self.inner = inner
        self.argumentCount = argumentCount
        self.directions = keys.map { ($0.descending, $0.nullsFirst) }
        self.types = argumentTypes + keys.map(\.expr.type)
    }

    func grow(to count: Int) { inner.grow(to: count) }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        rows.append(arguments)
        self.groups.append(contentsOf: groups)
    }

    func finish(count: Int) throws -> Vector {
        inner.grow(to: count)
        let n = groups.count
        if n > 0 {
            let columns = types.indices.map { c in Vector.concatenate(rows.map { $0[c] }, type: types[c]) }
            let groupColumn = Vector(type: .integer, storage: .int64(groups.map(Int64.init)))
            let ordering = RowOrdering([groupColumn] + columns[argumentCount...],
                                       directions: [(false, false)] + directions, count: n)
            let order = ordering.sortedIndices()
            var start = 0
            while start < n {
                let end = Swift.min(start + Batch.capacity, n)
                let chunk = Array(order[start..<end])
                let arguments = columns[..<argumentCount].map { $0.gather(chunk) }
                let chunkGroups = chunk.map { groups[Int($0)] }
                try chunkGroups.withUnsafeBufferPointer { try inner.update(arguments, groups: $0) }
                start = end
            }
            rows = []
            groups = []
        }
        return try inner.finish(count: count)
    }
}

/// DISTINCT inside an aggregate call: lets through only the first row of each
/// (group, arguments) combination, across all batches.
final class DistinctRowFilter {
    private let table: KeyTable

    init(argumentTypes: [DataType]) {
        table = KeyTable(types: [.integer] + argumentTypes)
    }

    /// Positions of the rows whose (group, arguments) was not seen before, ascending.
    func newRows(_ arguments: [Vector], groups: [Int32]) -> [Int32] {
        let n = groups.count
        let groupColumn = Vector(type: .integer, storage: .int64(groups.map(Int64.init)))
        var next = Int32(table.count)
        let ids = table.findOrInsert([groupColumn] + arguments, count: n)
        var out: [Int32] = []
        // New keys get consecutive indexes in row order: a row is first when its index is the next one.
        for i in 0..<n where ids[i] == next {
            out.append(Int32(i))
            next += 1
        }
        return out
    }
}

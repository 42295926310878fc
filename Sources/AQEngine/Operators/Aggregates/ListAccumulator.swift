// list(x) / array_agg(x): each group's values, in the order the rows arrive (with ORDER BY
// in the call, `OrderedAccumulator` feeds them sorted), NULLs included, as DuckDB keeps them.

/// Keeps every argument batch and, per group, the positions of its rows in them; `finish`
/// gathers each group's run once. A group that saw no row is NULL.
final class ListAccumulator: AggregateAccumulator {
    private let element: DataType
    private var batches: [Vector] = []
    private var stored = 0
    private var rows: [[Int32]] = []

    init(element: DataType) { self.element = element }

    func grow(to count: Int) {
        if count > rows.count { rows.append(contentsOf: repeatElement([], count: count - rows.count)) }
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let n = groups.count
        guard n > 0, let x = arguments.first else { return }
        batches.append(x)
        for i in 0..<n { rows[Int(groups[i])].append(Int32(stored + i)) }
        stored += n
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        let all = Vector.concatenate(batches, type: element)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(count + 1)
        var picks: [Int32] = []
        picks.reserveCapacity(stored)
        var validity = Validity(allValid: count)
        var sawEmpty = false
        for g in 0..<count {
            picks.append(contentsOf: rows[g])
            offsets.append(Int32(picks.count))
            if rows[g].isEmpty { validity.set(g, valid: false); sawEmpty = true }
        }
        return Vector(type: .list(element), storage: .list(ListVector(offsets: offsets, elements: all.gather(picks))),
                      validity: sawEmpty ? validity : nil)
    }
}

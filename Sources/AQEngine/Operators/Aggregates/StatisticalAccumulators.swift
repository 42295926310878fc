// count_if, product, median and mode.

/// count_if(b): rows where b is true; NULL when b is never true or false (as DuckDB).
final class CountIfAccumulator: AggregateAccumulator {
    private var counts: [Int64] = []
    private var has: [Bool] = []

    func grow(to count: Int) {
        guard count > counts.count else { return }
        counts.append(contentsOf: repeatElement(0, count: count - counts.count))
        has.append(contentsOf: repeatElement(false, count: count - has.count))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        guard let x = arguments.first, case .boolean(let values) = x.storage else { return }
        for i in 0..<groups.count where !x.isNull(i) {
            let g = Int(groups[i])
            has[g] = true
            if values[i] { counts[g] += 1 }
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        return Vector(type: .integer, storage: .int64(Array(counts.prefix(count))), validity: groupValidity(has, count))
    }
}

/// Non-NULL values of a numeric argument as doubles, or nil for another storage.
private func doubles(_ x: Vector) -> [Double]? {
    switch x.storage {
    case .double(let a): return a
    case .int64(let a): return a.map(Double.init)
    case .boolean(let a): return a.map { $0 ? 1 : 0 }
    default: return nil
    }
}

/// product(x) as a DOUBLE.
final class ProductAccumulator: AggregateAccumulator {
    private var products: [Double] = []
    private var has: [Bool] = []

    func grow(to count: Int) {
        guard count > has.count else { return }
        products.append(contentsOf: repeatElement(1, count: count - products.count))
        has.append(contentsOf: repeatElement(false, count: count - has.count))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        guard let x = arguments.first, let values = doubles(x) else { return }
        for i in 0..<groups.count where !x.isNull(i) {
            let g = Int(groups[i])
            products[g] *= values[i]
            has[g] = true
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        return Vector(type: .double, storage: .double(Array(products.prefix(count))), validity: groupValidity(has, count))
    }
}

/// median(x): the middle value, or the mean of the two middle values (DuckDB's
/// quantile_cont(x, 0.5)); DOUBLE for numbers, TIMESTAMP for timestamps.
final class MedianAccumulator: AggregateAccumulator {
    private let resultType: DataType
    private var groupOf: [Int32] = []
    private var values: [Double] = []
    private var times: [Int64] = []
    private var groupCount = 0

    init(resultType: DataType) { self.resultType = resultType }

    func grow(to count: Int) { groupCount = Swift.max(groupCount, count) }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        guard let x = arguments.first else { return }
        if resultType == .timestamp {
            guard case .int64(let a) = x.storage else { return }
            for i in 0..<groups.count where !x.isNull(i) {
                groupOf.append(groups[i])
                times.append(a[i])
            }
            return
        }
        guard let d = doubles(x) else { return }
        for i in 0..<groups.count where !x.isNull(i) {
            groupOf.append(groups[i])
            values.append(d[i])
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        // Rows by group (counting sort), then each group's values sorted.
        var starts = [Int](repeating: 0, count: count + 1)
        for g in groupOf where Int(g) < count { starts[Int(g) + 1] += 1 }
        for g in 0..<count { starts[g + 1] += starts[g] }
        var fill = starts
        var order = [Int](repeating: 0, count: groupOf.count)
        for (row, g) in groupOf.enumerated() where Int(g) < count {
            order[fill[Int(g)]] = row
            fill[Int(g)] += 1
        }
        var has = [Bool](repeating: false, count: count)
        if resultType == .timestamp {
            var out = [Int64](repeating: 0, count: count)
            for g in 0..<count where starts[g + 1] > starts[g] {
                let part = order[starts[g]..<starts[g + 1]].map { times[$0] }.sorted()
                let mid = part.count / 2
                // The midpoint of two times, without overflow.
                out[g] = part.count % 2 == 1 ? part[mid] : part[mid - 1] + (part[mid] - part[mid - 1]) / 2
                has[g] = true
            }
            return Vector(type: .timestamp, storage: .int64(out), validity: groupValidity(has, count))
        }
        var out = [Double](repeating: 0, count: count)
        for g in 0..<count where starts[g + 1] > starts[g] {
            let part = order[starts[g]..<starts[g + 1]].map { values[$0] }.sorted { ValueOrder.less($0, $1) }
            let mid = part.count / 2
            out[g] = part.count % 2 == 1 ? part[mid] : part[mid - 1] + (part[mid] - part[mid - 1]) / 2
            has[g] = true
        }
        return Vector(type: .double, storage: .double(out), validity: groupValidity(has, count))
    }
}

/// mode(x): the most frequent non-NULL value; among equally frequent ones, the first seen.
final class ModeAccumulator: AggregateAccumulator {
    private let type: DataType
    /// Distinct (group, value) pairs, in order of first appearance.
    private let pairs: KeyTable
    private var pairCounts: [Int64] = []
    private var pairGroups: [Int32] = []
    private var groupCount = 0

    init(type: DataType) {
        self.type = type
        pairs = KeyTable(types: [.integer, type])
    }

    func grow(to count: Int) { groupCount = Swift.max(groupCount, count) }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        guard let x = arguments.first else { return }
        var rows: [Int32] = []
        for i in 0..<groups.count where !x.isNull(i) { rows.append(Int32(i)) }
        if rows.isEmpty { return }
        let values = rows.count == groups.count ? x : x.gather(rows)
        let groupColumn = Vector(type: .integer, storage: .int64(rows.map { Int64(groups[Int($0)]) }))
        let ids = pairs.findOrInsert([groupColumn, values], count: rows.count)
        if pairCounts.count < pairs.count {
            pairCounts.append(contentsOf: repeatElement(0, count: pairs.count - pairCounts.count))
            pairGroups.append(contentsOf: repeatElement(0, count: pairs.count - pairGroups.count))
        }
        for (k, id) in ids.enumerated() {
            pairCounts[Int(id)] += 1
            pairGroups[Int(id)] = groups[Int(rows[k])]
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        var best = [Int32](repeating: -1, count: count)
        for id in 0..<pairs.count {
            let g = Int(pairGroups[id])
            guard g < count else { continue }
            // Pairs come in order of first appearance: a later pair wins only with more rows.
            if best[g] < 0 || pairCounts[id] > pairCounts[Int(best[g])] { best[g] = Int32(id) }
        }
        guard pairs.count > 0 else { return Vector.nulls(type: type, count: count) }
        let values = pairs.keyVectors(0..<pairs.count)[1]
        return values.gather(best)
    }
}

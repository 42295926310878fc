// One vector assembled from parts that each cover some of its rows: how CASE, coalesce and
// greatest/least put the rows of their branches back in place.

extension Vector {
    /// One vector of `count` rows from parts that each cover some rows (`parts[k].vector`
    /// row j is output row `parts[k].rows[j]`); rows no part covers are NULL.
    static func scatter(_ parts: [(rows: [Int32], vector: Vector)], count n: Int, type: DataType) throws -> Vector {
        let parts = parts.filter { !$0.vector.isAllNull }
        if parts.isEmpty { return Vector.nulls(type: type, count: n) }
        if parts.count == 1, parts[0].rows.count == n { return parts[0].vector.typed(type) }
        var validity = Validity(allNull: n)
        for part in parts {
            part.vector.effectiveValidity.withView { vv in
                for (k, row) in part.rows.enumerated() where vv.isValid(k) { validity.set(Int(row), valid: true) }
            }
        }
        @inline(__always) func fixed<T>(_ zero: T, _ values: (Vector) throws -> [T]) throws -> [T] {
            var out = [T](repeating: zero, count: n)
            for part in parts {
                let v = try values(part.vector)
                for (k, row) in part.rows.enumerated() { out[Int(row)] = v[k] }
            }
            return out
        }
        let storage: VectorStorage
        switch type {
        case .boolean: storage = .boolean(try fixed(false) { try $0.boolValues() })
        case .integer, .date, .timestamp: storage = .int64(try fixed(0) { try $0.int64Values() })
        case .double: storage = .double(try fixed(0) { try $0.doubleValues() })
        case .interval: storage = .interval(try fixed(Interval()) { try $0.intervalValues() })
        case .null: return Vector.nulls(type: .null, count: n)
        case .list:
            // Rare (a CASE over lists): row by row.
            var values = [Value](repeating: .null, count: n)
            for part in parts {
                for (k, row) in part.rows.enumerated() { values[Int(row)] = part.vector.value(at: k) }
            }
            var builder = VectorBuilder(type: type)
            for v in values { builder.append(v) }
            return builder.build()
        case .varchar, .json:
            let strings = try parts.map { try $0.vector.stringValues() }
            // Parts over one shared dictionary stay dictionary-encoded.
            if case .dictionary(_, let d0) = strings[0],
               strings.allSatisfy({ if case .dictionary(_, let d) = $0 { return d === d0 } else { return false } }) {
                var codes = [UInt32](repeating: 0, count: n)
                for (part, s) in zip(parts, strings) {
                    guard case .dictionary(let c, _) = s else { continue }
                    for (k, row) in part.rows.enumerated() { codes[Int(row)] = c[k] }
                }
                storage = .string(.dictionary(codes: codes, dictionary: d0))
            } else {
                var source = [Int32](repeating: -1, count: n), position = [Int32](repeating: 0, count: n)
                for (p, part) in parts.enumerated() {
                    for (k, row) in part.rows.enumerated() { source[Int(row)] = Int32(p); position[Int(row)] = Int32(k) }
                }
                var heap = StringHeap(reservingCapacity: n, bytes: 0)
                for i in 0..<n {
                    let p = Int(source[i])
                    if p < 0 || !validity.isValid(i) { heap.appendEmpty(); continue }
                    strings[p].withBytes(Int(position[i])) { heap.append($0) }
                }
                storage = .string(.flat(heap))
            }
        }
        return Vector(type: type, storage: storage, validity: validity.nullCount == 0 ? nil : validity)
    }
}

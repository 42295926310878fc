// Joining vectors end to end: how operators that must see all their input (sort, the
// build side of a join) turn a list of batches into one run of rows per column.

extension Vector {
    /// The rows of `parts`, in order, as one vector of `type`. Dictionary vectors that share
    /// one dictionary stay dictionary-encoded; anything else string-typed becomes flat.
    static func concatenate(_ parts: [Vector], type: DataType) -> Vector {
        if parts.count == 1, parts[0].type == type, !parts[0].isNullStorage { return parts[0] }
        let total = parts.reduce(0) { $0 + $1.count }
        if type == .null { return Vector(type: .null, storage: .null(count: total)) }
        let parts = parts.map { part -> Vector in
            if part.isNullStorage { return Vector.nulls(type: type, count: part.count) }
            // A part stored unlike `type` (it should not happen) is rebuilt value by value
            // rather than dropped, so that row counts always add up.
            return part.storageMatches(type) ? part : part.rebuilt(as: type)
        }

        var validity: Validity?
        if parts.contains(where: { $0.validity != nil }) {
            // All valid, then the NULL rows cleared: a word of 64 valid rows costs one test.
            var out = Validity(allValid: total)
            var offset = 0
            for part in parts {
                if let v = part.validity {
                    for (k, word) in v.words.enumerated() {
                        let bits = Swift.min(64, part.count - k * 64)
                        var null = bits == 64 ? ~word : ~word & ((1 << UInt64(bits)) - 1)
                        while null != 0 {
                            out.set(offset + k * 64 + null.trailingZeroBitCount, valid: false)
                            null &= null - 1
                        }
                    }
                }
                offset += part.count
            }
            validity = out
        }

        let storage: VectorStorage
        switch type {
        case .boolean:
            var out: [Bool] = []
            out.reserveCapacity(total)
            for part in parts { if case .boolean(let a) = part.storage { out.append(contentsOf: a) } }
            storage = .boolean(out)
        case .integer, .date, .timestamp:
            var out: [Int64] = []
            out.reserveCapacity(total)
            for part in parts { if case .int64(let a) = part.storage { out.append(contentsOf: a) } }
            storage = .int64(out)
        case .double:
            var out: [Double] = []
            out.reserveCapacity(total)
            for part in parts { if case .double(let a) = part.storage { out.append(contentsOf: a) } }
            storage = .double(out)
        case .interval:
            var out: [Interval] = []
            out.reserveCapacity(total)
            for part in parts { if case .interval(let a) = part.storage { out.append(contentsOf: a) } }
            storage = .interval(out)
        case .varchar, .json:
            storage = .string(concatenateStrings(parts, total: total))
        case .list(let element):
            storage = .list(ListVector.concatenate(parts.compactMap(\.listStorage), element: element))
        case .null:
            storage = .null(count: total)
        }
        return Vector(type: type, storage: storage, validity: validity)
    }

    private static func concatenateStrings(_ parts: [Vector], total: Int) -> StringVector {
        var shared: StringDictionary?
        var allShared = true
        for part in parts {
            guard case .string(.dictionary(_, let d)) = part.storage else { allShared = false; break }
            if let s = shared, s !== d { allShared = false; break }
            shared = d
        }
        if allShared, let dictionary = shared {
            var codes: [UInt32] = []
            codes.reserveCapacity(total)
            for part in parts {
                if case .string(.dictionary(let c, _)) = part.storage { codes.append(contentsOf: c) }
            }
            return .dictionary(codes: codes, dictionary: dictionary)
        }
        var heap = StringHeap(reservingCapacity: total, bytes: 0)
        for part in parts {
            guard case .string(let strings) = part.storage else { continue }
            for i in 0..<strings.count { strings.withBytes(i) { heap.append($0) } }
        }
        return .flat(heap)
    }

    /// The same rows with flat strings turned into codes of a new dictionary, so that
    /// gathering them (the build side of a join) copies codes instead of bytes. Worth it for
    /// a small side that is gathered many times, not for a large one read once.
    func dictionaryEncoded() -> Vector {
        guard case .string(.flat(let heap)) = storage else { return self }
        let dictionary = StringDictionary()
        var codes = [UInt32](repeating: 0, count: heap.count)
        for i in 0..<heap.count where !isNull(i) {
            codes[i] = heap.withBytes(i) { dictionary.code(for: $0) }
        }
        return Vector(type: type, storage: .string(.dictionary(codes: codes, dictionary: dictionary)), validity: validity)
    }

    /// Whether the storage is the one `type` uses (see `DataType`).
    func storageMatches(_ type: DataType) -> Bool {
        switch (storage, type) {
        case (.null, _): return true
        case (.boolean, .boolean), (.double, .double), (.interval, .interval): return true
        case (.int64, let t): return t.isInt64Backed
        case (.string, let t): return t.isString
        case (.list(let l), .list(let element)): return l.elements.storageMatches(element) && l.elements.type == element
        default: return false
        }
    }

    /// The rows as `type`, value by value (values of another type become NULL).
    func rebuilt(as type: DataType) -> Vector {
        var builder = VectorBuilder(type: type)
        for i in 0..<count { builder.append(value(at: i)) }
        return builder.build()
    }

    /// True when the storage is the all-NULL `.null` case (any declared type).
    var isNullStorage: Bool {
        if case .null = storage { return true }
        return false
    }
}

/// Batches gathered until an operator has seen all its input, then joined per column.
struct BatchCollection {
    let types: [DataType]
    private(set) var batches: [Batch] = []
    private(set) var count = 0

    init(types: [DataType]) { self.types = types }

    mutating func append(_ batch: Batch) {
        guard batch.count > 0 else { return }
        batches.append(batch)
        count += batch.count
    }

    /// Every collected row, one vector per column.
    func combined() -> [Vector] {
        types.enumerated().map { column, type in
            Vector.concatenate(batches.map { $0.columns[column] }, type: type)
        }
    }
}

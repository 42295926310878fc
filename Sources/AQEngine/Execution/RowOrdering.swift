// The order of rows under ORDER BY keys: each key column reduced once to words that
// compare like its values (strings by an 8-byte prefix, then their bytes), directions
// and NULL placement applied per key, ties broken by position so that sorts are stable.

/// Sort keys of `count` rows, ready to compare any two rows by position.
struct RowOrdering {
    private enum Column {
        /// Words that order as the values (integers, timestamps, doubles, booleans).
        case words([UInt64])
        case intervals([Int128])
        /// Prefix words, then the full bytes when prefixes tie.
        case strings(prefix: [UInt64], StringVector)
        /// Every row NULL.
        case nulls
    }

    private struct Key {
        var column: Column
        var validity: Validity?
        var descending: Bool
        var nullsFirst: Bool
    }

    private let keys: [Key]
    let count: Int

    /// `vectors[k]` holds key k for every row; `directions[k]` says how it sorts.
    init(_ vectors: [Vector], directions: [(descending: Bool, nullsFirst: Bool)], count: Int) {
        self.count = count
        keys = zip(vectors, directions).map { vector, direction in
            Key(column: RowOrdering.column(vector), validity: vector.isNullStorage ? nil : vector.validity,
                descending: direction.descending, nullsFirst: direction.nullsFirst)
        }
    }

    private static func column(_ v: Vector) -> Column {
        switch v.storage {
        case .int64(let a): return .words(a.map(ValueOrder.orderedWord))
        case .double(let a): return .words(a.map(ValueOrder.orderedWord))
        case .boolean(let a): return .words(a.map { $0 ? 1 : 0 })
        case .interval(let a): return .intervals(a.map(ValueOrder.length))
        case .string(let s):
            var prefix = [UInt64](repeating: 0, count: s.count)
            for i in 0..<s.count { prefix[i] = s.withBytes(i) { ValueOrder.prefixWord($0) } }
            return .strings(prefix: prefix, s)
        case .null: return .nulls
        }
    }

    /// Negative if row `a` sorts before row `b`, positive if after, zero if the keys tie.
    @inline(__always)
    func compareKeys(_ a: Int, _ b: Int) -> Int {
        for key in keys {
            if case .nulls = key.column { continue }
            if let validity = key.validity {
                let na = !validity.isValid(a), nb = !validity.isValid(b)
                if na || nb {
                    if na && nb { continue }
                    return (na == key.nullsFirst) ? -1 : 1
                }
            }
            var c = 0
            switch key.column {
            case .words(let w):
                c = w[a] < w[b] ? -1 : (w[a] > w[b] ? 1 : 0)
            case .intervals(let w):
                c = w[a] < w[b] ? -1 : (w[a] > w[b] ? 1 : 0)
            case .strings(let prefix, let strings):
                if prefix[a] != prefix[b] {
                    c = prefix[a] < prefix[b] ? -1 : 1
                } else {
                    c = strings.withBytes(a) { pa in strings.withBytes(b) { pb in ValueOrder.compare(pa, pb) } }
                }
            case .nulls:
                c = 0
            }
            if c != 0 { return key.descending ? -c : c }
        }
        return 0
    }

    /// Whether row `a` comes before row `b`: by the keys, then by position.
    @inline(__always)
    func before(_ a: Int, _ b: Int) -> Bool {
        let c = compareKeys(a, b)
        return c != 0 ? c < 0 : a < b
    }

    /// Row positions `0..<count` in sorted order.
    func sortedIndices() -> [Int32] {
        var indices = (0..<Int32(count)).map { $0 }
        indices.sort { before(Int($0), Int($1)) }
        return indices
    }
}

// The order of rows under ORDER BY keys. Each key column is copied once into raw memory
// as words that compare like its values (strings: an 8-byte big-endian prefix, then their
// bytes), so that comparing two rows touches no reference-counted storage; directions and
// NULL placement apply per key, and ties are broken by position, so sorts are stable.

/// Sort keys of `count` rows, ready to compare any two rows by position.
final class RowOrdering {
    private enum Kind { case words, wide, string, allNull }

    /// One key column in raw memory (owned by the ordering, freed in `deinit`).
    private struct Key {
        var kind: Kind
        var descending: Bool
        var nullsFirst: Bool
        /// Order-preserving words, or string prefixes.
        var words: UnsafeMutablePointer<UInt64>?
        /// INTERVAL lengths.
        var wide: UnsafeMutablePointer<Int128>?
        /// 1 where the row is NULL; nil when no row is.
        var nulls: UnsafeMutablePointer<UInt8>?
        /// Strings: all bytes, and `count + 1` offsets.
        var bytes: UnsafeMutablePointer<UInt8>?
        var offsets: UnsafeMutablePointer<Int>?
    }

    private let keys: UnsafeMutableBufferPointer<Key>
    let count: Int

    /// `vectors[k]` holds key k for every row; `directions[k]` says how it sorts.
    init(_ vectors: [Vector], directions: [(descending: Bool, nullsFirst: Bool)], count: Int) {
        self.count = count
        keys = .allocate(capacity: vectors.count)
        for (k, vector) in vectors.enumerated() {
            keys.baseAddress!.advanced(by: k).initialize(to: RowOrdering.key(vector, count, directions[k]))
        }
    }

    deinit {
        for key in keys {
            key.words?.deallocate()
            key.wide?.deallocate()
            key.nulls?.deallocate()
            key.bytes?.deallocate()
            key.offsets?.deallocate()
        }
        keys.deallocate()
    }

    private static func key(_ v: Vector, _ n: Int, _ direction: (descending: Bool, nullsFirst: Bool)) -> Key {
        var key = Key(kind: .words, descending: direction.descending, nullsFirst: direction.nullsFirst)
        func words(_ body: (Int) -> UInt64) {
            let p = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(n, 1))
            for i in 0..<n { p[i] = body(i) }
            key.words = p
        }
        switch v.storage {
        case .int64(let a): a.withUnsafeBufferPointer { a in words { ValueOrder.orderedWord(a[$0]) } }
        case .double(let a): a.withUnsafeBufferPointer { a in words { ValueOrder.orderedWord(a[$0]) } }
        case .boolean(let a): a.withUnsafeBufferPointer { a in words { a[$0] ? 1 : 0 } }
        case .interval(let a):
            key.kind = .wide
            let p = UnsafeMutablePointer<Int128>.allocate(capacity: Swift.max(n, 1))
            for i in 0..<n { p[i] = ValueOrder.length(a[i]) }
            key.wide = p
        case .string(let s):
            key.kind = .string
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: n + 1)
            var total = 0
            offsets[0] = 0
            for i in 0..<n {
                total += s.withBytes(i) { $0.count }
                offsets[i + 1] = total
            }
            let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(total, 1))
            let prefix = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(n, 1))
            for i in 0..<n {
                s.withBytes(i) { p in
                    if let base = p.baseAddress { (bytes + offsets[i]).initialize(from: base.assumingMemoryBound(to: UInt8.self), count: p.count) }
                    prefix[i] = ValueOrder.prefixWord(p)
                }
            }
            key.bytes = bytes
            key.offsets = offsets
            key.words = prefix
        case .list:
            // Each row's rank among the distinct lists (sorted boxed: lists are rare keys).
            let values = (0..<n).map { v.value(at: $0) }
            let order = values.indices.sorted { ValueOrder.compare(values[$0], values[$1]) < 0 }
            var ranks = [UInt64](repeating: 0, count: n)
            var rank: UInt64 = 0
            for (k, i) in order.enumerated() {
                if k > 0, ValueOrder.compare(values[order[k - 1]], values[i]) != 0 { rank += 1 }
                ranks[i] = rank
            }
            words { ranks[$0] }
        case .null:
            key.kind = .allNull
        }
        if key.kind != .allNull, let validity = v.validity {
            let nulls = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(n, 1))
            for i in 0..<n { nulls[i] = validity.isValid(i) ? 0 : 1 }
            key.nulls = nulls
        }
        return key
    }

    /// Negative if row `a` sorts before row `b`, positive if after, zero if the keys tie.
    @inline(__always)
    func compareKeys(_ a: Int, _ b: Int) -> Int {
        RowOrdering.compare(keys, a, b)
    }

    @inline(__always)
    private static func compare(_ keys: UnsafeMutableBufferPointer<Key>, _ a: Int, _ b: Int) -> Int {
        for k in 0..<keys.count {
            let key = keys[k]
            if let nulls = key.nulls {
                let na = nulls[a] != 0, nb = nulls[b] != 0
                if na || nb {
                    if na && nb { continue }
                    return (na == key.nullsFirst) ? -1 : 1
                }
            }
            var c = 0
            switch key.kind {
            case .words:
                let wa = key.words![a], wb = key.words![b]
                c = wa < wb ? -1 : (wa > wb ? 1 : 0)
            case .wide:
                let wa = key.wide![a], wb = key.wide![b]
                c = wa < wb ? -1 : (wa > wb ? 1 : 0)
            case .string:
                let wa = key.words![a], wb = key.words![b]
                if wa != wb {
                    c = wa < wb ? -1 : 1
                } else {
                    let offsets = key.offsets!, bytes = key.bytes!
                    let sa = UnsafeRawBufferPointer(start: bytes + offsets[a], count: offsets[a + 1] - offsets[a])
                    let sb = UnsafeRawBufferPointer(start: bytes + offsets[b], count: offsets[b + 1] - offsets[b])
                    c = ValueOrder.compare(sa, sb)
                }
            case .allNull:
                c = 0
            }
            if c != 0 { return key.descending ? -c : c }
        }
        return 0
    }

    /// Row positions `0..<count` in sorted order (ties in position order), sorted in parts
    /// on up to `threads` threads and merged. Ties go by position, so the order is one total
    /// order whatever the number of parts.
    func sortedIndices(threads: Int) throws -> [Int32] {
        let parts = Swift.min(threads, count / RowOrdering.minRowsPerPart)
        guard parts > 1 else { return sortedIndices() }
        let total = count
        let per = (total + parts - 1) / parts
        let keys = self.keys
        let runner = MorselRunner<[Int32]>(count: parts, threads: threads, window: parts) { [self] part in
            var run = (Int32(part * per)..<Int32(Swift.min(total, (part + 1) * per))).map { $0 }
            withExtendedLifetime(self) {
                run.withUnsafeMutableBufferPointer { p in
                    p.sort { x, y in
                        let c = RowOrdering.compare(keys, Int(x), Int(y))
                        return c != 0 ? c < 0 : x < y
                    }
                }
            }
            return run
        }
        var runs: [[Int32]] = []
        while let run = try runner.next() { runs.append(run) }
        // Merge neighbours pairwise until one run is left.
        while runs.count > 1 {
            var merged: [[Int32]] = []
            var k = 0
            while k < runs.count {
                merged.append(k + 1 < runs.count ? merge(runs[k], runs[k + 1]) : runs[k])
                k += 2
            }
            runs = merged
        }
        return runs.first ?? []
    }

    /// Below this many rows per part, sorting in parts does not pay.
    static let minRowsPerPart = 32_768

    /// Two sorted runs as one, a row of `a` first on ties when it comes first in position.
    private func merge(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        let keys = self.keys
        return withExtendedLifetime(self) {
            [Int32](unsafeUninitializedCapacity: a.count + b.count) { out, initialized in
                var i = 0, j = 0, k = 0
                while i < a.count, j < b.count {
                    let c = RowOrdering.compare(keys, Int(a[i]), Int(b[j]))
                    if c < 0 || (c == 0 && a[i] < b[j]) {
                        out[k] = a[i]; i += 1
                    } else {
                        out[k] = b[j]; j += 1
                    }
                    k += 1
                }
                while i < a.count { out[k] = a[i]; i += 1; k += 1 }
                while j < b.count { out[k] = b[j]; j += 1; k += 1 }
                initialized = k
            }
        }
    }

    /// Row positions `0..<count` in sorted order (ties in position order).
    func sortedIndices() -> [Int32] {
        var indices = (0..<Int32(count)).map { $0 }
        let keys = self.keys
        withExtendedLifetime(self) {
            indices.withUnsafeMutableBufferPointer { p in
                p.sort { x, y in
                    let c = RowOrdering.compare(keys, Int(x), Int(y))
                    return c != 0 ? c < 0 : x < y
                }
            }
        }
        return indices
    }
}

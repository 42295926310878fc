// Turns key columns (GROUP BY keys, join keys, DISTINCT rows) into fixed-width 64-bit
// words, so that hashing and comparing a key never touches a `Value` or a `String`:
// numbers by bit pattern, strings by a code in a dictionary the encoder owns.

/// Encodes one key column. Equal words ⇔ equal values (NULL is handled by the caller's
/// null word). Strings get codes in `strings`, the encoder's own dictionary; a source
/// dictionary's codes are remapped once per distinct code, not once per row.
///
/// A string column whose first rows come coded in a source dictionary (a table column's)
/// borrows that dictionary as `strings`: its codes are the words, nothing is copied, and the
/// keys decode to the same dictionary, so a partial aggregate's rows reach the final one in
/// the table's codes. The first string from anywhere else ends the borrowing: `strings`
/// becomes a copy of the source's (the same codes), which the encoder then extends.
final class KeyEncoder {
    let type: DataType
    /// Words per row: an INTERVAL takes two, everything else one.
    let width: Int
    /// The encoder's string codes (for string types); a source's dictionary while `borrowed`.
    private(set) var strings: StringDictionary
    /// `strings` is a source's dictionary, read and never written to.
    private var borrowed = false

    /// Source dictionary code → local code + 1; 0: not yet looked at; `absent`: not in `strings`.
    private final class Remap {
        let dictionary: StringDictionary
        var codes: [UInt32] = []
        init(_ dictionary: StringDictionary) { self.dictionary = dictionary }
    }
    private var remaps: [ObjectIdentifier: Remap] = [:]
    /// LIST keys: the value of each code of `strings` (which holds their `ListKey` bytes).
    private var lists: [Value] = []
    private var lastRemap: Remap?
    private static let absent = UInt32.max

    /// The word of a string that is not among the keys (in lookup mode): matches nothing.
    static let missingWord = UInt64.max

    init(type: DataType) {
        self.type = type
        self.width = type == .interval ? 2 : 1
        self.strings = StringDictionary()
    }

    /// An encoder that looks strings up in `other`'s codes (never inserting) with remaps of
    /// its own, so that several threads can encode lookups for one table at once.
    init(lookingUpIn other: KeyEncoder) {
        self.type = other.type
        self.width = other.width
        self.strings = other.strings
        self.borrowed = other.borrowed
    }

    /// Takes `dictionary` as `strings` when nothing has been encoded yet.
    private func borrow(_ dictionary: StringDictionary) {
        guard !borrowed, type == .varchar || type == .json, strings.count == 0, remaps.isEmpty else { return }
        strings = dictionary
        borrowed = true
    }

    /// Whether `dictionary`'s codes are this encoder's words: it is `strings` already, or is
    /// borrowed as `strings` now because nothing has been encoded yet.
    func codesAreWords(of dictionary: StringDictionary) -> Bool {
        borrow(dictionary)
        return strings === dictionary
    }

    /// Ends the borrowing before a string is added: `strings` becomes a copy of the source's
    /// (the same codes, so every word given so far keeps its meaning), and the source's codes
    /// map to themselves.
    private func ownStrings() {
        guard borrowed else { return }
        let source = strings
        strings = source.snapshot()
        borrowed = false
        let remap = Remap(source)
        remap.codes = (0..<UInt32(strings.count)).map { $0 + 1 }
        remaps[ObjectIdentifier(source)] = remap
        lastRemap = remap
    }

    /// Writes the words of rows `0..<n` of `vector` at `words[row * stride + offset …]` and
    /// ORs `nullBit` into `words[row * stride + nullOffset]` for NULL rows (whose words are 0).
    /// With `insert` false, strings never seen before get `missingWord` instead of a new code:
    /// callers look keys up only after every insertion, so the remap may remember misses.
    func encode(_ vector: Vector, count n: Int, into words: UnsafeMutablePointer<UInt64>, stride: Int,
                offset: Int, nullOffset: Int, nullBit: UInt64, insert: Bool) {
        if case .null = vector.storage {
            for row in 0..<n {
                for w in 0..<width { words[row * stride + offset + w] = 0 }
                words[row * stride + nullOffset] |= nullBit
            }
            return
        }
        if insert, case .string(.dictionary(_, let dictionary)) = vector.storage { borrow(dictionary) }
        switch vector.storage {
        case .int64(let a):
            a.withUnsafeBufferPointer { p in
                for row in 0..<n { words[row * stride + offset] = UInt64(bitPattern: p[row]) }
            }
        case .double(let a):
            a.withUnsafeBufferPointer { p in
                for row in 0..<n { words[row * stride + offset] = KeyEncoder.word(p[row]) }
            }
        case .boolean(let a):
            a.withUnsafeBufferPointer { p in
                for row in 0..<n { words[row * stride + offset] = p[row] ? 1 : 0 }
            }
        case .interval(let a):
            a.withUnsafeBufferPointer { p in
                for row in 0..<n {
                    let x = p[row]
                    words[row * stride + offset] = UInt64(UInt32(bitPattern: x.months)) << 32 | UInt64(UInt32(bitPattern: x.days))
                    words[row * stride + offset + 1] = UInt64(bitPattern: x.nanoseconds)
                }
            }
        case .string(.dictionary(let codes, let dictionary)) where dictionary === strings:
            codes.withUnsafeBufferPointer { c in
                for row in 0..<n { words[row * stride + offset] = UInt64(c[row]) }
            }
        case .string(.dictionary(let codes, let dictionary)):
            if insert { ownStrings() }
            let remap = self.remap(for: dictionary)
            let strings = self.strings
            codes.withUnsafeBufferPointer { c in
                remap.codes.withUnsafeMutableBufferPointer { m in
                    for row in 0..<n {
                        let code = Int(c[row])
                        // A NULL row's code is a placeholder that may lie outside the dictionary.
                        guard code < m.count else { words[row * stride + offset] = 0; continue }
                        var local = m[code]
                        if local == 0 {
                            local = dictionary.withBytes(UInt32(code)) { bytes in
                                if insert { return strings.code(for: bytes) + 1 }
                                return strings.lookup(bytes).map { $0 + 1 } ?? KeyEncoder.absent
                            }
                            m[code] = local
                        }
                        words[row * stride + offset] = local == KeyEncoder.absent ? KeyEncoder.missingWord : UInt64(local - 1)
                    }
                }
            }
        case .string(.flat(let heap)):
            if insert { ownStrings() }
            let strings = self.strings
            for row in 0..<n {
                words[row * stride + offset] = heap.withBytes(row) { bytes in
                    if insert { return UInt64(strings.code(for: bytes)) }
                    return strings.lookup(bytes).map { UInt64($0) } ?? KeyEncoder.missingWord
                }
            }
        case .list:
            // Lists are rare as keys: each row's value is serialized and coded like a string.
            if insert { ownStrings() }
            let strings = self.strings
            for row in 0..<n where !vector.isNull(row) {
                let value = vector.value(at: row)
                words[row * stride + offset] = ListKey.bytes(value).withUnsafeBytes { bytes in
                    if insert {
                        let code = strings.code(for: bytes)
                        if Int(code) == lists.count { lists.append(value) }
                        return UInt64(code)
                    }
                    return strings.lookup(bytes).map { UInt64($0) } ?? KeyEncoder.missingWord
                }
            }
        case .null:
            break
        }
        if let validity = vector.validity {
            for row in 0..<n where !validity.isValid(row) {
                for w in 0..<width { words[row * stride + offset + w] = 0 }
                words[row * stride + nullOffset] |= nullBit
            }
        }
    }

    private func remap(for dictionary: StringDictionary) -> Remap {
        let remap: Remap
        if let last = lastRemap, last.dictionary === dictionary {
            remap = last
        } else if let known = remaps[ObjectIdentifier(dictionary)] {
            remap = known
        } else {
            remap = Remap(dictionary)
            remaps[ObjectIdentifier(dictionary)] = remap
        }
        lastRemap = remap
        // The dictionary may have grown since the last batch.
        if remap.codes.count < dictionary.count {
            remap.codes.append(contentsOf: repeatElement(0, count: dictionary.count - remap.codes.count))
        }
        return remap
    }

    /// The word of a DOUBLE: its bits, with -0.0 as 0.0 and every NaN alike (as DuckDB groups them).
    @inline(__always)
    static func word(_ x: Double) -> UInt64 {
        if x == 0 { return 0 }
        if x.isNaN { return Double.nan.bitPattern }
        return x.bitPattern
    }

    /// Rebuilds a vector of this encoder's type from words laid out as `encode` wrote them.
    func decode(_ words: UnsafePointer<UInt64>, stride: Int, offset: Int, nullOffset: Int, nullBit: UInt64,
                rows: Range<Int>) -> Vector {
        let n = rows.count
        var validity: Validity?
        for k in 0..<n where words[(rows.lowerBound + k) * stride + nullOffset] & nullBit != 0 {
            if validity == nil { validity = Validity(allValid: n) }
            validity?.set(k, valid: false)
        }
        @inline(__always) func word(_ k: Int) -> UInt64 { words[(rows.lowerBound + k) * stride + offset] }
        let storage: VectorStorage
        switch type {
        case .null: return Vector(type: .null, storage: .null(count: n))
        case .integer, .date, .timestamp: storage = .int64((0..<n).map { Int64(bitPattern: word($0)) })
        case .double: storage = .double((0..<n).map { Double(bitPattern: word($0)) })
        case .boolean: storage = .boolean((0..<n).map { word($0) != 0 })
        case .interval:
            storage = .interval((0..<n).map { k in
                let a = word(k), b = words[(rows.lowerBound + k) * stride + offset + 1]
                return Interval(months: Int32(bitPattern: UInt32(truncatingIfNeeded: a >> 32)),
                                days: Int32(bitPattern: UInt32(truncatingIfNeeded: a)),
                                nanoseconds: Int64(bitPattern: b))
            })
        case .varchar, .json:
            storage = .string(.dictionary(codes: (0..<n).map { UInt32(truncatingIfNeeded: word($0)) }, dictionary: strings))
        case .list:
            var builder = VectorBuilder(type: type)
            for k in 0..<n {
                let code = Int(word(k))
                builder.append(validity?.isValid(k) == false || code >= lists.count ? .null : lists[code])
            }
            return builder.build()
        }
        return Vector(type: type, storage: storage, validity: validity)
    }
}

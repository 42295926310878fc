// The hash table behind GROUP BY, DISTINCT, set operations and hash joins: distinct
// multi-column keys, each given a dense index 0, 1, 2, … in order of first appearance.

/// Distinct keys of a fixed list of column types. A key is stored as `stride` words: the
/// columns' words (see `KeyEncoder`) and one word of NULL bits, so NULL is a value of its own
/// and equal to NULL. Open addressing with linear probing over key indexes.
final class KeyTable {
    let types: [DataType]
    private let encoders: [KeyEncoder]
    private let offsets: [Int]
    /// Words per key: the columns' words, then one word of NULL bits per 64 columns.
    let stride: Int
    private let nullOffset: Int

    private(set) var count = 0
    private var keys: UnsafeMutablePointer<UInt64>
    private var keyCapacity: Int
    private var hashes: UnsafeMutablePointer<UInt64>
    /// Key index + 1; 0 is empty. A power of two, at most half full.
    private var slots: UnsafeMutablePointer<Int32>
    private var slotCount: Int

    /// How keys are looked up: one string column through its codes, one other column by a
    /// single word, or any columns by all their words.
    private enum Mode { case string, word, general }
    private let mode: Mode
    /// `.string`: the key of each code of the encoder's dictionary, or -1.
    private var dense: [Int32] = []
    /// `.string`, `.word`: the key that is NULL, or -1.
    private var nullKey: Int32 = -1
    /// `.word` over integers: key + 1 of each value `directBase + i` (0: none yet), while the
    /// values span fewer than `directLimit`; `directSpan` is 0 before the first batch.
    private var direct: [Int32] = []
    private var directBase: Int64 = 0
    private var directSpan = 0
    private static let directLimit: Int64 = 1 << 16
    /// Every column dictionary-coded with a small dictionary or of integers within a small
    /// span: key + 1 of each combination of the columns' codes (0: none yet), a column's
    /// NULL taking the code after its last (`CodeDirect`); nil before the first batch, while
    /// the combinations are too many for the rows seen, or once given up.
    private var codeDirect: CodeDirect?
    /// How many times `codeDirect` was laid out, and the integer columns' spans so far.
    private var codeDirectSetups = 0
    private var codeDirectSpans: [ClosedRange<Int64>?] = []
    private static let codeDirectMaxSetups = 16
    /// Rows given to `findOrInsert` so far, and how many must have been seen before a layout
    /// found too large for fewer is tried again (`Int.max`: never).
    private var rowsSeen = 0
    private var codeDirectRetryAt = 0

    /// Scratch space for one batch of encoded rows.
    private var scratch: UnsafeMutablePointer<UInt64>
    private var scratchRows = 0

    init(types: [DataType]) {
        self.types = types
        self.encoders = types.map(KeyEncoder.init)
        var offsets: [Int] = []
        var width = 0
        for e in encoders { offsets.append(width); width += e.width }
        self.offsets = offsets
        self.nullOffset = width
        self.stride = width + Swift.max(1, (types.count + 63) >> 6)
        keyCapacity = 64
        keys = .allocate(capacity: keyCapacity * stride)
        hashes = .allocate(capacity: keyCapacity)
        slotCount = 128
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        scratch = .allocate(capacity: 1)
        if types.count == 1, types[0].isString {
            mode = .string
        } else if types.count == 1, types[0] != .interval {
            mode = .word
        } else {
            mode = .general
        }
    }

    deinit {
        keys.deallocate()
        hashes.deallocate()
        slots.deallocate()
        scratch.deallocate()
    }

    /// Encodes rows `0..<n` of `columns` into the scratch buffer.
    private func encode(_ columns: [Vector], count n: Int, insert: Bool) {
        if scratchRows < n {
            scratch.deallocate()
            scratch = .allocate(capacity: Swift.max(n, 1) * stride)
            scratchRows = n
        }
        encode(columns, count: n, insert: insert, encoders: encoders, into: scratch)
    }

    /// Encodes rows `0..<n` of `columns` with `encoders` into `words` (room for `n` keys).
    private func encode(_ columns: [Vector], count n: Int, insert: Bool, encoders: [KeyEncoder],
                        into words: UnsafeMutablePointer<UInt64>) {
        for row in 0..<n {
            for w in nullOffset..<stride { words[row * stride + w] = 0 }
        }
        for (c, encoder) in encoders.enumerated() {
            encoder.encode(columns[c], count: n, into: words, stride: stride, offset: offsets[c],
                           nullOffset: nullOffset + c >> 6, nullBit: 1 << UInt64(c & 63), insert: insert)
        }
    }

    @inline(__always)
    private func hasNull(_ p: UnsafePointer<UInt64>) -> Bool {
        for w in nullOffset..<stride where p[w] != 0 { return true }
        return false
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt64>, _ stride: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for w in 0..<stride {
            h = StringDictionary.mix(h ^ p[w], 0xA076_1D64_78BD_642F)
        }
        return h
    }

    @inline(__always)
    private func equal(_ key: Int, _ p: UnsafePointer<UInt64>) -> Bool {
        let k = keys + key * stride
        for w in 0..<stride where k[w] != p[w] { return false }
        return true
    }

    /// The index of the key of every row of `columns` (`n` rows), adding new keys.
    /// With `skippingNulls`, rows with a NULL in any key column get -1 and add nothing.
    func findOrInsert(_ columns: [Vector], count n: Int, skippingNulls: Bool = false) -> [Int32] {
        rowsSeen += n
        if mode == .string, let out = findOrInsertOwnCodes(columns[0], count: n, skippingNulls: skippingNulls) {
            return out
        }
        if mode == .word, directSpan >= 0, let out = findOrInsertDirect(columns[0], count: n) { return out }
        if mode != .word, !skippingNulls, let out = findOrInsertCodes(columns, count: n) { return out }
        encode(columns, count: n, insert: true)
        return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            switch mode {
            case .string: insertStrings(n, skippingNulls, out)
            case .word: insertWords(n, skippingNulls, out)
            case .general: insertGeneral(n, skippingNulls, out)
            }
            initialized = n
        }
    }

    /// The index of the key of every row, or -1 where the key is not in the table. With
    /// `nullsMatch` false (joins), a row with a NULL key column never matches.
    func find(_ columns: [Vector], count n: Int, nullsMatch: Bool) -> [Int32] {
        encode(columns, count: n, insert: false)
        return find(n, nullsMatch, scratch)
    }

    /// The key indexes of `n` rows already encoded in `words`.
    private func find(_ n: Int, _ nullsMatch: Bool, _ words: UnsafeMutablePointer<UInt64>) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            switch mode {
            case .string, .word: findSingle(n, nullsMatch, out, words)
            case .general: findGeneral(n, nullsMatch, out, words)
            }
            initialized = n
        }
    }

    /// Looks keys up from one thread while other threads do the same: its own scratch
    /// buffer and its own encoders (whose code remaps are per thread), over a table no one
    /// inserts into any more.
    final class Prober {
        private let table: KeyTable
        private let encoders: [KeyEncoder]
        private var scratch: UnsafeMutablePointer<UInt64>
        private var scratchRows = 0

        init(_ table: KeyTable) {
            self.table = table
            self.encoders = table.encoders.map { KeyEncoder(lookingUpIn: $0) }
            scratch = .allocate(capacity: 1)
        }

        deinit { scratch.deallocate() }

        /// One string key of dictionary codes: the key of each code of `codeKeysSource`
        /// (-1: none, -2: not looked up yet), so that a row costs one array read.
        private var codeKeys: [Int32] = []
        private var codeKeysSource: ObjectIdentifier?

        /// As `KeyTable.find`.
        func find(_ columns: [Vector], count n: Int, nullsMatch: Bool) -> [Int32] {
            if table.mode == .string, !nullsMatch, columns.count == 1,
               case .string(.dictionary(let codes, let dictionary)) = columns[0].storage {
                return findCodes(codes, dictionary, columns[0].validity, n)
            }
            if scratchRows < n {
                scratch.deallocate()
                scratch = .allocate(capacity: Swift.max(n, 1) * table.stride)
                scratchRows = n
            }
            table.encode(columns, count: n, insert: false, encoders: encoders, into: scratch)
            return table.find(n, nullsMatch, scratch)
        }

        /// Keys of `n` rows of dictionary codes: each code looked up once, then read.
        private func findCodes(_ codes: [UInt32], _ dictionary: StringDictionary, _ validity: Validity?, _ n: Int) -> [Int32] {
            if codeKeysSource != ObjectIdentifier(dictionary) {
                codeKeysSource = ObjectIdentifier(dictionary)
                codeKeys = []
            }
            if codeKeys.count < dictionary.count {
                codeKeys += [Int32](repeating: -2, count: dictionary.count - codeKeys.count)
            }
            let strings = table.encoders[0].strings
            let dense = table.dense
            var out = [Int32](repeating: -1, count: n)
            codes.withUnsafeBufferPointer { c in
                codeKeys.withUnsafeMutableBufferPointer { keys in
                    for row in 0..<n {
                        let code = Int(c[row])
                        // A NULL row's code is a placeholder that may lie outside the dictionary.
                        guard code < keys.count else { continue }
                        var key = keys[code]
                        if key == -2 {
                            let local = dictionary.withBytes(UInt32(code)) { strings.lookup($0) }
                            key = local.map { Int($0) < dense.count ? dense[Int($0)] : -1 } ?? -1
                            keys[code] = key
                        }
                        out[row] = key
                    }
                }
            }
            if let validity {
                for row in 0..<n where !validity.isValid(row) { out[row] = -1 }
            }
            return out
        }
    }

    private func insertGeneral(_ n: Int, _ skippingNulls: Bool, _ out: UnsafeMutableBufferPointer<Int32>) {
        for row in 0..<n {
            let p = UnsafePointer(scratch + row * stride)
            // Rows in time order often repeat the previous row's key: no hash, no probe.
            if row > 0, KeyTable.same(p, p - stride, stride) { out[row] = out[row - 1]; continue }
            if skippingNulls, hasNull(p) { out[row] = -1; continue }
            out[row] = insertHashed(p)
        }
    }

    /// The key of the encoded row at `p` in `.general` mode, added if new.
    private func insertHashed(_ p: UnsafePointer<UInt64>) -> Int32 {
        let h = KeyTable.hash(p, stride)
        var slot = Int(truncatingIfNeeded: h) & (slotCount - 1)
        while true {
            let entry = slots[slot]
            if entry == 0 { return Int32(insert(p, hash: h, slot: slot)) }
            let key = Int(entry) - 1
            if hashes[key] == h, equal(key, p) { return Int32(key) }
            slot = (slot + 1) & (slotCount - 1)
        }
    }

    @inline(__always)
    private static func same(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ stride: Int) -> Bool {
        for w in 0..<stride where a[w] != b[w] { return false }
        return true
    }

    private func findGeneral(_ n: Int, _ nullsMatch: Bool, _ out: UnsafeMutableBufferPointer<Int32>,
                             _ words: UnsafeMutablePointer<UInt64>) {
        for row in 0..<n {
            let p = UnsafePointer(words + row * stride)
            out[row] = -1
            if !nullsMatch, hasNull(p) { continue }
            let h = KeyTable.hash(p, stride)
            var slot = Int(truncatingIfNeeded: h) & (slotCount - 1)
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                let key = Int(entry) - 1
                if hashes[key] == h, equal(key, p) { out[row] = Int32(key); break }
                slot = (slot + 1) & (slotCount - 1)
            }
        }
    }

    /// The key of a NULL in a one-column table, adding it if needed.
    private func insertNullKey() -> Int32 {
        if nullKey < 0 { nullKey = appendOneColumnKey(word: 0, nullBits: 1) }
        return nullKey
    }

    /// One string column: a key is found through its code in the encoder's dictionary.
    private func insertStrings(_ n: Int, _ skippingNulls: Bool, _ out: UnsafeMutableBufferPointer<Int32>) {
        let codes = encoders[0].strings.count
        if dense.count < codes { dense.append(contentsOf: repeatElement(-1, count: codes - dense.count)) }
        for row in 0..<n {
            let p = scratch + row * 2
            if p[1] != 0 {
                out[row] = skippingNulls ? -1 : insertNullKey()
                continue
            }
            out[row] = insertDense(UnsafePointer(p))
        }
    }

    /// The key of the encoded non-NULL row at `p` in `.string` mode (`dense` grown to the
    /// encoder's dictionary), added if new.
    @inline(__always)
    private func insertDense(_ p: UnsafePointer<UInt64>) -> Int32 {
        let code = Int(truncatingIfNeeded: p[0])
        var key = dense[code]
        if key < 0 {
            key = Int32(append(p, hash: 0))
            dense[code] = key
        }
        return key
    }

    /// One string column coded in the encoder's own dictionary (a table column's, borrowed):
    /// each row's key read through `dense` by its code, with no pass that encodes the rows
    /// first; nil for any other column.
    private func findOrInsertOwnCodes(_ column: Vector, count n: Int, skippingNulls: Bool) -> [Int32]? {
        guard case .string(.dictionary(let codes, let dictionary)) = column.storage, codes.count >= n,
              encoders[0].codesAreWords(of: dictionary) else { return nil }
        if dense.count < dictionary.count {
            dense.append(contentsOf: repeatElement(-1, count: dictionary.count - dense.count))
        }
        let validity = column.validity
        var keys = dense
        dense = []  // mutated in place below, then put back
        defer { dense = keys }
        return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            codes.withUnsafeBufferPointer { c in
                keys.withUnsafeMutableBufferPointer { keys in
                    for row in 0..<n {
                        // A NULL row's code is a placeholder that may lie outside the dictionary.
                        if let validity, !validity.isValid(row) {
                            out[row] = skippingNulls ? -1 : insertNullKey()
                            continue
                        }
                        let code = Int(c[row])
                        guard code < keys.count else { out[row] = -1; continue }
                        var key = keys[code]
                        if key < 0 {
                            key = appendOneColumnKey(word: UInt64(code), nullBits: 0)
                            keys[code] = key
                        }
                        out[row] = key
                    }
                }
            }
            initialized = n
        }
    }

    /// Stores the key of a one-column table (its word and its NULL bits) without entering it
    /// in the slots.
    private func appendOneColumnKey(word w: UInt64, nullBits: UInt64) -> Int32 {
        var words: (UInt64, UInt64) = (w, nullBits)
        return withUnsafePointer(to: &words) { p in
            p.withMemoryRebound(to: UInt64.self, capacity: 2) { Int32(append($0, hash: 0)) }
        }
    }

    /// One column of numbers or booleans: hashing a single word.
    private func insertWords(_ n: Int, _ skippingNulls: Bool, _ out: UnsafeMutableBufferPointer<Int32>) {
        for row in 0..<n {
            let p = UnsafePointer(scratch + row * 2)
            // Times in order repeat the previous row's bucket: no hash, no probe.
            if row > 0, p[0] == p[-2], p[1] == p[-1] { out[row] = out[row - 1]; continue }
            if p[1] != 0 {
                out[row] = skippingNulls ? -1 : insertNullKey()
                continue
            }
            let w = p[0]
            let h = StringDictionary.mix(w, 0x9E37_79B9_7F4A_7C15)
            var slot = Int(truncatingIfNeeded: h) & (slotCount - 1)
            while true {
                let entry = slots[slot]
                if entry == 0 {
                    out[row] = Int32(insert(p, hash: h, slot: slot))
                    break
                }
                let key = Int(entry) - 1
                if keys[key * 2] == w { out[row] = Int32(key); break }
                slot = (slot + 1) & (slotCount - 1)
            }
        }
    }

    /// Integers within a small span (HTTP statuses, small counts): keys found by indexing
    /// `direct` with the value minus `directBase`, as DuckDB's perfect hash aggregate does.
    /// Gives up for good (`directSpan` -1) once the values spread wider.
    private func findOrInsertDirect(_ column: Vector, count n: Int) -> [Int32]? {
        guard case .int64(let a) = column.storage, column.validity == nil, n > 0 else { return nil }
        var lo = a[0], hi = a[0]
        for x in a.prefix(n) {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
        }
        if directSpan > 0 {
            lo = Swift.min(lo, directBase)
            hi = Swift.max(hi, directBase + Int64(directSpan) - 1)
        }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, span < KeyTable.directLimit else {
            directSpan = -1
            direct = []
            return nil
        }
        if directSpan == 0 || lo != directBase || Int(span) + 1 != directSpan {
            // Re-lay the window over [lo, hi], keeping the keys already placed.
            var window = [Int32](repeating: 0, count: Int(span) + 1)
            for (k, entry) in direct.enumerated() where entry != 0 {
                window[Int(directBase - lo) + k] = entry
            }
            direct = window
            directBase = lo
            directSpan = Int(span) + 1
        }
        let base = directBase
        var window = direct
        direct = []  // mutated in place below, then put back
        defer { direct = window }
        return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { values in
                window.withUnsafeMutableBufferPointer { keys in
                    for row in 0..<n {
                        let slot = Int(values[row] &- base)
                        var key = keys[slot]
                        if key == 0 {
                            key = insertWord(UInt64(bitPattern: values[row])) + 1
                            keys[slot] = key
                        }
                        out[row] = key - 1
                    }
                }
            }
            initialized = n
        }
    }

    /// The combinations of key columns' codes, indexed directly.
    private struct CodeDirect {
        /// Where each column's codes come from.
        let sources: [CodeSource]
        /// Each column's codes + 1 (the last stands for NULL), and its place value.
        let radix: [Int]
        let place: [Int]
        /// Key + 1 of each combination; 0: none yet.
        var keys: [Int32]
    }

    /// A column's codes: a dictionary's codes, or integers minus `base`.
    private enum CodeSource: Equatable {
        case dictionary(ObjectIdentifier)
        case integers(base: Int64)
    }

    /// One batch's column: its dictionary codes or its integers.
    private enum CodeColumn {
        case codes([UInt32], StringDictionary)
        case integers([Int64])
    }

    /// At most this many combinations are indexed directly: `codeDirectRowsPerEntry` times
    /// the rows seen (an array of combinations costs about a row's hashing per that many
    /// entries to clear), never fewer than `codeDirectFloor` nor more than `codeDirectCeiling`.
    private static let codeDirectFloor = 1 << 14
    private static let codeDirectCeiling = 1 << 20
    private static let codeDirectRowsPerEntry = 16

    /// The key of every row when every column of `columns` is dictionary-coded or of integers,
    /// through `codeDirect` (rows of combinations not seen before are encoded and inserted as
    /// usual, in row order, so keys keep their order of first appearance); nil when the batch
    /// does not fit it (other storage, other dictionaries, a code added since the setup).
    private func findOrInsertCodes(_ columns: [Vector], count n: Int) -> [Int32]? {
        guard n > 0, codeDirect != nil
                || (codeDirectSetups < KeyTable.codeDirectMaxSetups && rowsSeen >= codeDirectRetryAt) else { return nil }
        var batch: [CodeColumn] = []
        batch.reserveCapacity(columns.count)
        for column in columns {
            switch column.storage {
            case .string(.dictionary(let c, let dictionary)) where c.count >= n: batch.append(.codes(c, dictionary))
            case .int64(let v) where v.count >= n: batch.append(.integers(v))
            default: return nil
            }
        }
        if codeDirect == nil, !setUpCodeDirect(batch, columns, count: n) { return nil }
        guard var combos = codeDirect, zip(combos.sources, batch).allSatisfy({ source, column in
            switch (source, column) {
            case (.dictionary(let id), .codes(_, let dictionary)): return id == ObjectIdentifier(dictionary)
            case (.integers, .integers): return true
            default: return false
            }
        }) else { return nil }
        var misses: [Int] = []
        let out: [Int32]
        let index: [Int]
        if columns.count == 1, columns[0].validity == nil, case .codes(let codes, let dictionary) = batch[0] {
            // One column without NULLs: the code is the combination (one pass, no index array).
            // A dictionary no larger than at the setup holds no code newer than it.
            let limit = combos.radix[0] - 1
            guard let found = KeyTable.lookUp(codes, count: n, below: dictionary.count <= limit ? nil : limit,
                                              combos.keys, &misses) else {
                return nil
            }
            out = found
            index = misses.isEmpty ? [] : codes.prefix(n).map { Int($0) }
        } else {
            var integersOutside = false
            guard let combined = KeyTable.combinations(batch, columns, combos, count: n, integersOutside: &integersOutside) else {
                guard integersOutside else { return nil }
                // Lay the combinations out again over the wider spans, with the keys already
                // placed.
                codeDirect = nil
                guard setUpCodeDirect(batch, columns, count: n, replacing: combos) else { return nil }
                return findOrInsertCodes(columns, count: n)
            }
            index = combined
            out = [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                combos.keys.withUnsafeBufferPointer { keys in
                    for row in 0..<n {
                        let k = keys[index[row]]
                        out[row] = k - 1
                        if k == 0 { misses.append(row) }
                    }
                }
                initialized = n
            }
        }
        guard !misses.isEmpty else { return out }
        codeDirect = nil  // the array is mutated in place below
        defer { codeDirect = combos }
        // New combinations: encode the first row of each (a batch's worth only at the start)
        // and insert them in row order, so keys keep their order of first appearance.
        var firsts: [Int32] = []
        for row in misses where combos.keys[index[row]] == 0 {
            combos.keys[index[row]] = -1  // set below
            firsts.append(Int32(row))
        }
        encode(columns.map { $0.gather(firsts) }, count: firsts.count, insert: true)
        if mode == .string {
            let codes = encoders[0].strings.count
            if dense.count < codes { dense.append(contentsOf: repeatElement(-1, count: codes - dense.count)) }
        }
        for (j, row) in firsts.enumerated() {
            let p = UnsafePointer(scratch + j * stride)
            let key: Int32
            switch mode {
            case .string: key = p[1] != 0 ? insertNullKey() : insertDense(p)
            case .word, .general: key = insertHashed(p)
            }
            combos.keys[index[Int(row)]] = key + 1
        }
        var result = out
        for row in misses { result[row] = combos.keys[index[row]] - 1 }
        return result
    }

    /// The key of each of the first `n` codes through `keys` (key + 1, 0: none yet), the rows
    /// with none in `misses`; nil when some code is `limit` or more (newer than the setup).
    /// A nil `limit`: every code is known to be below it (no pass over the codes for their
    /// maximum).
    private static func lookUp(_ codes: [UInt32], count n: Int, below limit: Int?, _ keys: [Int32],
                               _ misses: inout [Int]) -> [Int32]? {
        codes.withUnsafeBufferPointer { cp in
            if let limit {
                var top: UInt32 = 0
                for row in 0..<n { top = Swift.max(top, cp[row]) }
                guard Int(top) < limit else { return nil }
            }
            return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                keys.withUnsafeBufferPointer { keys in
                    for row in 0..<n {
                        let k = keys[Int(cp[row])]
                        out[row] = k - 1
                        if k == 0 { misses.append(row) }
                    }
                }
                initialized = n
            }
        }
    }

    /// Lays `codeDirect` out for `batch` (the spans of its integers joined to those seen
    /// before, a span that grows at least doubled so that times in order are laid out a few
    /// times only), with the keys of `previous` placed again when its dictionaries are the
    /// batch's; false when the combinations would be too many for the rows seen so far.
    private func setUpCodeDirect(_ batch: [CodeColumn], _ columns: [Vector], count n: Int,
                                 replacing previous: CodeDirect? = nil) -> Bool {
        codeDirectSetups += 1
        if codeDirectSpans.count != batch.count { codeDirectSpans = Array(repeating: nil, count: batch.count) }
        // Each column's radix (codes + 1 for NULL): exact, and with the integer spans widened.
        var exact: [Int] = [], widened: [Int] = [], bases: [Int64] = [], wideBases: [Int64] = []
        for (c, column) in batch.enumerated() {
            switch column {
            case .codes(_, let dictionary):
                exact.append(dictionary.count + 1)
                widened.append(dictionary.count + 1)
                bases.append(0)
                wideBases.append(0)
            case .integers(let values):
                var lo = Int64.max, hi = Int64.min
                let validity = columns[c].validity
                for row in 0..<n where validity?.isValid(row) ?? true {
                    lo = Swift.min(lo, values[row])
                    hi = Swift.max(hi, values[row])
                }
                let seen = codeDirectSpans[c]
                if let seen {
                    lo = Swift.min(lo, seen.lowerBound)
                    hi = Swift.max(hi, seen.upperBound)
                }
                if lo > hi { (lo, hi) = (0, 0) }
                codeDirectSpans[c] = lo...hi
                let (span, overflow) = hi.subtractingReportingOverflow(lo)
                guard !overflow, span < Int64(KeyTable.codeDirectCeiling) else {
                    codeDirectRetryAt = Int.max
                    return false
                }
                exact.append(Int(span) + 2)
                bases.append(lo)
                // Grown past what was seen: at least twice the old span, on the side it grew.
                var (wideLo, wideHi) = (lo, hi)
                if let seen, lo < seen.lowerBound || hi > seen.upperBound {
                    let old = seen.upperBound - seen.lowerBound + 1
                    let up = seen.upperBound.addingReportingOverflow(old)
                    let down = seen.lowerBound.subtractingReportingOverflow(old)
                    if hi > seen.upperBound, !up.overflow { wideHi = Swift.max(hi, up.partialValue) }
                    if lo < seen.lowerBound, !down.overflow { wideLo = Swift.min(lo, down.partialValue) }
                }
                let (wideSpan, wideOverflow) = wideHi.subtractingReportingOverflow(wideLo)
                if wideOverflow || wideSpan >= Int64(KeyTable.codeDirectCeiling) { (wideLo, wideHi) = (lo, hi) }
                widened.append(Int(wideHi - wideLo) + 2)
                wideBases.append(wideLo)
            }
        }
        func size(_ radix: [Int]) -> Int? {
            var size = 1
            for r in radix {
                guard size <= KeyTable.codeDirectCeiling / r else { return nil }
                size *= r
            }
            return size
        }
        let limit = Swift.min(KeyTable.codeDirectCeiling,
                              Swift.max(KeyTable.codeDirectFloor, rowsSeen * KeyTable.codeDirectRowsPerEntry))
        let radix: [Int], base: [Int64], total: Int
        if let s = size(widened), s <= limit {
            (radix, base, total) = (widened, wideBases, s)
        } else if let s = size(exact), s <= limit {
            (radix, base, total) = (exact, bases, s)
        } else {
            // Tried again once enough rows have been seen to pay for it, if ever.
            let needed = size(exact)
            codeDirectRetryAt = needed.map { $0 / KeyTable.codeDirectRowsPerEntry } ?? Int.max
            return false
        }
        var sources: [CodeSource] = []
        for (c, column) in batch.enumerated() {
            switch column {
            case .codes(_, let dictionary): sources.append(.dictionary(ObjectIdentifier(dictionary)))
            case .integers:
                sources.append(.integers(base: base[c]))
                // The span laid out, so that the next one holds it.
                codeDirectSpans[c] = base[c]...(base[c] + Int64(radix[c] - 2))
            }
        }
        // Dictionary columns vary fastest, integers slowest: when only the last integer
        // column's span grows, the keys move in blocks (`place`).
        var place = [Int](repeating: 0, count: batch.count)
        var p = 1
        for c in batch.indices.filter({ if case .codes = batch[$0] { return true } else { return false } })
                + batch.indices.filter({ if case .integers = batch[$0] { return true } else { return false } }) {
            place[c] = p
            p *= radix[c]
        }
        var fresh = CodeDirect(sources: sources, radix: radix, place: place, keys: [Int32](repeating: 0, count: total))
        if let previous { KeyTable.place(previous, into: &fresh) }
        codeDirect = fresh
        return true
    }

    /// Copies the keys of `old` into `new`, a layout of the same columns whose integer spans
    /// hold `old`'s (nothing when some column's dictionary differs: those keys are found
    /// again through their words).
    private static func place(_ old: CodeDirect, into new: inout CodeDirect) {
        var shift: [Int] = []
        for (a, b) in zip(old.sources, new.sources) {
            switch (a, b) {
            case (.dictionary(let x), .dictionary(let y)) where x == y: shift.append(0)
            case (.integers(let x), .integers(let y)) where x >= y: shift.append(Int(x - y))
            default: return
            }
        }
        let columns = old.radix.count
        // Only the slowest column changed: each of its codes' blocks moves whole.
        if let outer = old.place.indices.max(by: { old.place[$0] < old.place[$1] }),
           new.place[outer] == old.place[outer],
           old.radix.indices.allSatisfy({ $0 == outer || (old.radix[$0] == new.radix[$0] && shift[$0] == 0) }) {
            let block = old.place[outer]
            old.keys.withUnsafeBufferPointer { from in
                new.keys.withUnsafeMutableBufferPointer { to in
                    guard let source = from.baseAddress, let target = to.baseAddress else { return }
                    for code in 0..<old.radix[outer] {
                        let moved = code == old.radix[outer] - 1 ? new.radix[outer] - 1 : code + shift[outer]
                        (target + moved * block).update(from: source + code * block, count: block)
                    }
                }
            }
            return
        }
        new.keys.withUnsafeMutableBufferPointer { out in
            for (i, key) in old.keys.enumerated() where key != 0 {
                var index = 0
                for c in 0..<columns {
                    let code = i / old.place[c] % old.radix[c]
                    let moved = code == old.radix[c] - 1 ? new.radix[c] - 1 : code + shift[c]
                    index += moved * new.place[c]
                }
                out[index] = key
            }
        }
    }

    /// Each row's combination of the columns' codes (a NULL taking its column's last code),
    /// or nil if some code is newer than the setup of `combos` (`integersOutside`: some
    /// integer is outside its column's span).
    private static func combinations(_ batch: [CodeColumn], _ columns: [Vector], _ combos: CodeDirect,
                                     count n: Int, integersOutside: inout Bool) -> [Int]? {
        var index = [Int](repeating: 0, count: n)
        for (c, column) in columns.enumerated() {
            let nullCode = combos.radix[c] - 1, place = combos.place[c]
            let fits: Bool
            switch (batch[c], combos.sources[c]) {
            case (.codes(let codes, _), _):
                fits = codes.withUnsafeBufferPointer { cp in
                    index.withUnsafeMutableBufferPointer { ip in
                        var top: UInt32 = 0
                        if let validity = column.validity {
                            for row in 0..<n {
                                let code = validity.isValid(row) ? Int(cp[row]) : nullCode
                                if validity.isValid(row) { top = Swift.max(top, cp[row]) }
                                ip[row] += code * place
                            }
                        } else {
                            for row in 0..<n {
                                top = Swift.max(top, cp[row])
                                ip[row] += Int(cp[row]) * place
                            }
                        }
                        return Int(top) < nullCode
                    }
                }
            case (.integers(let values), .integers(let base)):
                fits = values.withUnsafeBufferPointer { vp in
                    index.withUnsafeMutableBufferPointer { ip in
                        // Wrapped to unsigned, a value below the base is above every code.
                        var top: UInt64 = 0
                        let validity = column.validity
                        for row in 0..<n {
                            let isValid = validity?.isValid(row) ?? true
                            let code = isValid ? UInt64(bitPattern: vp[row] &- base) : 0
                            top = Swift.max(top, code)
                            // Wrapping: an index made of a code outside the span is not used.
                            ip[row] &+= (isValid ? Int(truncatingIfNeeded: code) : nullCode) &* place
                        }
                        return top < UInt64(nullCode)
                    }
                }
                if !fits { integersOutside = true }
            default:
                fits = false
            }
            guard fits else { return nil }
        }
        return index
    }

    /// The key of one non-NULL word in `.word` mode, added if new.
    private func insertWord(_ w: UInt64) -> Int32 {
        var words: (UInt64, UInt64) = (w, 0)
        return withUnsafePointer(to: &words) { tuple in
            tuple.withMemoryRebound(to: UInt64.self, capacity: 2) { p in
                let h = StringDictionary.mix(w, 0x9E37_79B9_7F4A_7C15)
                var slot = Int(truncatingIfNeeded: h) & (slotCount - 1)
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return Int32(insert(p, hash: h, slot: slot)) }
                    let key = Int(entry) - 1
                    if keys[key * 2] == w { return Int32(key) }
                    slot = (slot + 1) & (slotCount - 1)
                }
            }
        }
    }

    private func findSingle(_ n: Int, _ nullsMatch: Bool, _ out: UnsafeMutableBufferPointer<Int32>,
                            _ words: UnsafeMutablePointer<UInt64>) {
        let isString = mode == .string
        for row in 0..<n {
            let p = words + row * 2
            if p[1] != 0 {
                out[row] = nullsMatch ? nullKey : -1
                continue
            }
            let w = p[0]
            if isString {
                out[row] = w == KeyEncoder.missingWord || Int(w) >= dense.count ? -1 : dense[Int(w)]
                continue
            }
            out[row] = -1
            let h = StringDictionary.mix(w, 0x9E37_79B9_7F4A_7C15)
            var slot = Int(truncatingIfNeeded: h) & (slotCount - 1)
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                let key = Int(entry) - 1
                if keys[key * 2] == w { out[row] = Int32(key); break }
                slot = (slot + 1) & (slotCount - 1)
            }
        }
    }

    /// Stores a key without entering it in the slots (NULL keys and dense string keys).
    private func append(_ p: UnsafePointer<UInt64>, hash h: UInt64) -> Int {
        if count == keyCapacity { growKeys() }
        let key = count
        (keys + key * stride).initialize(from: p, count: stride)
        hashes[key] = h
        count += 1
        return key
    }

    private func insert(_ p: UnsafePointer<UInt64>, hash h: UInt64, slot: Int) -> Int {
        if count == keyCapacity { growKeys() }
        let key = count
        (keys + key * stride).initialize(from: p, count: stride)
        hashes[key] = h
        slots[slot] = Int32(key + 1)
        count += 1
        if count * 2 > slotCount { growSlots() }
        return key
    }

    private func growKeys() {
        let capacity = keyCapacity * 2
        let newKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * stride)
        newKeys.moveInitialize(from: keys, count: count * stride)
        keys.deallocate()
        keys = newKeys
        let newHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        newHashes.moveInitialize(from: hashes, count: count)
        hashes.deallocate()
        hashes = newHashes
        keyCapacity = capacity
    }

    private func growSlots() {
        // Only hashed keys live in the slots: not the NULL key of a one-column table.
        slots.deallocate()
        slotCount *= 2
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        let mask = slotCount - 1
        for key in 0..<count where Int32(key) != nullKey {
            var slot = Int(truncatingIfNeeded: hashes[key]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(key + 1)
        }
    }

    /// The key columns of keys `range`, as vectors (strings dictionary-encoded).
    func keyVectors(_ range: Range<Int>) -> [Vector] {
        encoders.enumerated().map { c, encoder in
            encoder.decode(keys, stride: stride, offset: offsets[c], nullOffset: nullOffset + c >> 6,
                           nullBit: 1 << UInt64(c & 63), rows: range)
        }
    }
}

// The JSON paths of a segment's records, found while the reader reads them: when a record's
// `raw` is set, one walk over its text (still in cache) notes the scalar at each path
// (objects are descended, arrays are not) and interns string values per path in the
// worker's own tables, as the normalized columns are. The writer turns these notes into the
// sub-columns of each chunk (`ChunkPaths`); nothing is parsed again when chunks are packed.
// The same walk notes the JSON columns of tables loaded with `LOAD 'file' AS t`, a chunk at
// a time (`ChunkPaths.shred`).
//
// The notes follow `JSONReader.find`, so that a sub-column answers as the text does: the
// first of duplicate keys wins (a later duplicate and all below it is ignored), keys are
// compared decoded, a key of digits is never a path step (a path step of digits also indexes
// arrays), and a value the text functions would not read back the same way (a string with a
// bad escape, a number not in its shortest integer form, a float, an array) is noted as
// `other`, which keeps its path out of the sub-columns of every chunk holding it.

/// Per segment: the paths met, and per record the values noted (`notes`, in record order;
/// `EventSegment.pathEnds` gives each row's end).
// The walk reads and writes these arrays once or more per value; one thread uses a segment at
// a time and no access overlaps another, so Swift's run-time exclusivity checks (a fifth of
// the load's time in a profile) are left out with `@exclusivity(unchecked)`.
final class RecordPaths {
    /// A path is given up in a segment (its string values no longer interned, its notes read
    /// as `other`) once it holds more distinct strings than a quarter of its strings plus
    /// this (ids and times: a dictionary of them costs more than it saves). A path of up to
    /// this many values is never given up.
    static let distinctAllowance = 64
    /// Objects nested deeper than this are not descended; at most this many paths a segment.
    static let maxDepth = 16
    static let maxPaths = 1 << 20

    /// The kinds of note (`PathValues.Kinds` bits).
    enum Kind: UInt64 {
        case string = 1, integer = 2, boolean = 4, null = 8, object = 16, other = 32
    }

    /// Per path: parent path (-1 for a key of the record), key, and what the walk keeps.
    @exclusivity(unchecked) private(set) var parents: [Int32] = []
    /// The keys' bytes, one after another: path k's key is `keyBytes[keyStarts[k]..<keyStarts[k + 1]]`
    /// (one flat buffer, so comparing a key with the one expected retains nothing).
    @exclusivity(unchecked) private var keyBytes: [UInt8] = []
    @exclusivity(unchecked) private var keyStarts: [Int] = [0]
    /// (parent + 1 as 4 bytes) + key → path + 1.
    private let index = InternTable()
    @exclusivity(unchecked) private var lastRecord: [Int32] = []
    /// Per path: the position in its object of each child seen in the last record (records of
    /// one kind list their keys in one order, so a key is found without hashing).
    @exclusivity(unchecked) private var expected: [[Int32]] = []
    @exclusivity(unchecked) private var rootExpected: [Int32] = []
    /// Per path: its distinct strings (nil until it holds one), strings noted, given up.
    @exclusivity(unchecked) private(set) var strings: [InternTable?] = []
    /// The same tables, unretained, for the per-value walk (`strings` keeps them alive).
    @exclusivity(unchecked) private var tables: [Unmanaged<InternTable>?] = []
    @exclusivity(unchecked) private var stringNotes: [Int32] = []
    /// Per path: the code of its last string (`UInt32.max`: none yet). Many paths hold one
    /// value record after record (a service, a region, a kind), which is then compared
    /// instead of hashed.
    @exclusivity(unchecked) private var lastString: [UInt32] = []
    @exclusivity(unchecked) private(set) var capped: [Bool] = []
    @exclusivity(unchecked) private var spare: [InternTable] = []

    /// One note a value: path << 40 | kind << 32 | value (a string's code, an integer's index
    /// in `integers`, a boolean's 0 or 1).
    @exclusivity(unchecked) private(set) var notes: [UInt64] = []
    @exclusivity(unchecked) private(set) var integers: [Int64] = []

    @exclusivity(unchecked) private var record: Int32 = 0
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    @exclusivity(unchecked) private var decoded: [UInt8] = []

    func reset() {
        parents.removeAll(keepingCapacity: true)
        keyBytes.removeAll(keepingCapacity: true)
        keyStarts.removeAll(keepingCapacity: true)
        keyStarts.append(0)
        index.clear()
        lastRecord.removeAll(keepingCapacity: true)
        expected.removeAll(keepingCapacity: true)
        rootExpected.removeAll(keepingCapacity: true)
        for case let table? in strings {
            table.clear()
            spare.append(table)
        }
        strings.removeAll(keepingCapacity: true)
        tables.removeAll(keepingCapacity: true)
        stringNotes.removeAll(keepingCapacity: true)
        lastString.removeAll(keepingCapacity: true)
        capped.removeAll(keepingCapacity: true)
        notes.removeAll(keepingCapacity: true)
        integers.removeAll(keepingCapacity: true)
        record = 0
    }

    /// Drops the notes after the first `count` (a record that gave no row).
    func truncate(_ count: Int) {
        if notes.count > count { notes.removeSubrange(count...) }
    }

    @inline(__always)
    static func path(of note: UInt64) -> Int { Int(note >> 40) }
    @inline(__always)
    static func kind(of note: UInt64) -> UInt64 { note >> 32 & 0xFF }
    @inline(__always)
    static func value(of note: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: note) }

    /// The keys from the record down to `path`.
    func keyPath(_ path: Int) -> JSONKeyPath {
        var out: [[UInt8]] = []
        var at = path
        while at >= 0 {
            out.append(Array(keyBytes[keyStarts[at]..<keyStarts[at + 1]]))
            at = Int(parents[at])
        }
        return JSONKeyPath(keys: out.reversed())
    }

    // MARK: The walk

    /// Notes the paths of one record's text (nothing when it is not an object).
    func walk(_ p: Bytes) {
        record &+= 1
        var i = 0
        JSONSkip.skipSpace(p, &i)
        guard i < p.count, p[i] == UInt8(ascii: "{") else { return }
        _ = object(p, &i, parent: -1, depth: 0)
    }

    @inline(__always)
    private func note(_ path: Int, _ kind: Kind, _ value: UInt32) {
        notes.append(UInt64(path) << 40 | kind.rawValue << 32 | UInt64(value))
    }

    /// The path of `key` under `parent`, the `position`-th key of its object; nil when no
    /// more paths are kept.
    @inline(__always)
    private func child(_ parent: Int, _ key: Bytes, _ position: Int) -> Int? {
        let guess: Int32 = parent >= 0
            ? (position < expected[parent].count ? expected[parent][position] : -1)
            : (position < rootExpected.count ? rootExpected[position] : -1)
        if guess >= 0, keyEquals(Int(guess), key) { return Int(guess) }
        scratch.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: Int32(truncatingIfNeeded: parent).littleEndian) { scratch.append(contentsOf: $0) }
        scratch.append(contentsOf: key)
        let code = scratch.withUnsafeBytes { index.code(for: $0) }
        let found = Int(code) - 1
        if found == parents.count {
            guard found < RecordPaths.maxPaths else { return nil }
            parents.append(Int32(parent))
            keyBytes.append(contentsOf: key)
            keyStarts.append(keyBytes.count)
            lastRecord.append(0)
            expected.append([])
            strings.append(nil)
            tables.append(nil)
            stringNotes.append(0)
            lastString.append(.max)
            capped.append(false)
        }
        if parent >= 0 {
            if position < expected[parent].count { expected[parent][position] = Int32(found) }
            else if position == expected[parent].count { expected[parent].append(Int32(found)) }
        } else {
            if position < rootExpected.count { rootExpected[position] = Int32(found) }
            else if position == rootExpected.count { rootExpected.append(Int32(found)) }
        }
        return found
    }

    @inline(__always)
    private func keyEquals(_ path: Int, _ key: Bytes) -> Bool {
        let start = keyStarts[path]
        let n = keyStarts[path + 1] - start
        guard n == key.count else { return false }
        return keyBytes.withUnsafeBytes { StringDictionary.equal(Bytes(rebasing: $0[start..<(start + n)]), key) }
    }

    /// Walks the object at `i`; false when its text breaks off (what was noted stays).
    private func object(_ p: Bytes, _ i: inout Int, parent: Int, depth: Int) -> Bool {
        i += 1
        JSONSkip.skipSpace(p, &i)
        if i < p.count, p[i] == UInt8(ascii: "}") { i += 1; return true }
        var position = 0
        while true {
            defer { position += 1 }
            guard i < p.count, p[i] == UInt8(ascii: "\"") else { return false }
            let keyStart = i
            var keyEscaped = false
            guard JSONSkip.scanString(p, &i, strict: false, escaped: &keyEscaped) else { return false }
            let keyEnd = i
            JSONSkip.skipSpace(p, &i)
            guard i < p.count, p[i] == UInt8(ascii: ":") else { return false }
            i += 1
            JSONSkip.skipSpace(p, &i)
            var target: Int?
            let raw = Bytes(rebasing: p[(keyStart + 1)..<(keyEnd - 1)])
            if keyEscaped {
                decoded.removeAll(keepingCapacity: true)
                if JSONReader.decodeString(Bytes(rebasing: p[keyStart..<keyEnd]), into: &decoded), !RecordPaths.isIndex(decoded) {
                    let key = decoded
                    target = key.withUnsafeBytes { child(parent, $0, position) }
                }
            } else if !RecordPaths.isIndex(raw) {
                target = child(parent, raw, position)
            }
            if let n = target, lastRecord[n] != record {
                lastRecord[n] = record
                guard value(p, &i, n, depth: depth) else { return false }
            } else {
                // A key no path can name, or a later duplicate: the text functions never
                // look inside it.
                guard JSONSkip.skipFast(p, &i) else { return false }
            }
            JSONSkip.skipSpace(p, &i)
            guard i < p.count else { return false }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                JSONSkip.skipSpace(p, &i)
                continue
            }
            if p[i] == UInt8(ascii: "}") { i += 1; return true }
            return false
        }
    }

    /// A key of digits, which a path step also reads as an array index.
    @inline(__always)
    private static func isIndex<C: Collection>(_ key: C) -> Bool where C.Element == UInt8 {
        !key.isEmpty && key.count < 10 && key.allSatisfy { $0 &- 48 < 10 }
    }

    /// Notes the value at `i` for path `n`; false when the text breaks off.
    private func value(_ p: Bytes, _ i: inout Int, _ n: Int, depth: Int) -> Bool {
        let start = i
        guard i < p.count else { return false }
        switch p[i] {
        case UInt8(ascii: "{"):
            note(n, .object, 0)
            if depth + 1 < RecordPaths.maxDepth, object(p, &i, parent: n, depth: depth + 1) { return true }
            i = start
            return JSONSkip.skipFast(p, &i)
        case UInt8(ascii: "\""):
            var escaped = false
            guard JSONSkip.scanString(p, &i, strict: true, escaped: &escaped) else { break }
            if capped[n] {
                note(n, .other, 0)
                return true
            }
            let body = Bytes(rebasing: p[(start + 1)..<(i - 1)])
            if escaped {
                decoded.removeAll(keepingCapacity: true)
                guard JSONReader.decodeString(Bytes(rebasing: p[start..<i]), into: &decoded) else { break }
                let text = decoded
                text.withUnsafeBytes { string(n, $0) }
            } else {
                string(n, body)
            }
            return true
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            guard JSONSkip.skipValue(p, &i, depth: 0) else { break }
            switch p[start] {
            case UInt8(ascii: "t"): note(n, .boolean, 1)
            case UInt8(ascii: "f"): note(n, .boolean, 0)
            default: note(n, .null, 0)
            }
            return true
        case UInt8(ascii: "-"), 48...57:
            guard JSONSkip.skipNumber(p, &i), let x = RecordPaths.shortestInteger(Bytes(rebasing: p[start..<i])) else { break }
            note(n, .integer, UInt32(truncatingIfNeeded: integers.count))
            integers.append(x)
            return true
        default:
            break
        }
        // Arrays, floats, and values the text functions would not read back the same way.
        note(n, .other, 0)
        i = start
        return JSONSkip.skipFast(p, &i)
    }

    @inline(__always)
    private func string(_ n: Int, _ bytes: Bytes) {
        let handle: Unmanaged<InternTable>
        if let h = tables[n] {
            handle = h
        } else {
            let made = spare.popLast() ?? InternTable()
            strings[n] = made
            handle = Unmanaged.passUnretained(made)
            tables[n] = handle
        }
        stringNotes[n] += 1
        // `strings` keeps the table alive: used without a retain and release per value.
        let code: UInt32 = handle._withUnsafeGuaranteedRef { table in
            let last = lastString[n]
            if last != .max, StringDictionary.equal(table.bytes(of: last), bytes) { return last }
            let before = table.count
            let code = table.code(for: bytes)
            if table.count > before, table.count > Int(stringNotes[n]) / 4 + RecordPaths.distinctAllowance {
                capped[n] = true
            }
            lastString[n] = code
            return code
        }
        note(n, .string, code)
    }

    /// The integer of a number token written in its shortest form (`-12`, `0`; not `-0`,
    /// `007`, `1.0`, `1e3`), when it fits 64 bits.
    static func shortestInteger(_ token: Bytes) -> Int64? {
        let negative = token.first == UInt8(ascii: "-")
        let digits = negative ? token.count - 1 : token.count
        guard digits > 0, digits <= 19 else { return nil }
        let first = token[negative ? 1 : 0]
        guard !(first == 48 && (digits > 1 || negative)) else { return nil }
        var x: UInt64 = 0
        for k in (negative ? 1 : 0)..<token.count {
            let d = token[k] &- 48
            guard d < 10 else { return nil }
            x = x * 10 + UInt64(d)
        }
        if negative { return x <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- x) : nil }
        return x <= UInt64(Int64.max) ? Int64(x) : nil
    }
}

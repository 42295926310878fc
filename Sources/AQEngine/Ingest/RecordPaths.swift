// The JSON paths of a segment's records, found while the reader reads them: one walk over a
// record's text notes the scalar at each path (objects are descended, arrays are not) and
// interns string values per path in the worker's own tables, as the normalized columns are.
// A JSON record is walked once for its format's field slots and its paths together
// (`walk(_:at:fill:)`); a `raw` built from other text (a CSV row) is walked when it is set.
// The writer turns these notes into the sub-columns of each chunk (`ChunkPaths`); nothing is
// parsed again when chunks are packed.
// The same walk notes the JSON columns of tables loaded with `LOAD 'file' AS t`, a chunk at
// a time (`ChunkPaths.shred`).
//
// The notes follow `JSONReader.find`, so that a sub-column answers as the text does: the
// first of duplicate keys wins (a later duplicate and all below it is ignored), keys are
// compared decoded, a key of digits is never a path step (a path step of digits also indexes
// arrays), and a value the text functions would not read back the same way (a string with a
// bad escape, a number not in its shortest integer form, a float, an array) is noted as
// `other`, which keeps its path out of the sub-columns of every chunk holding it.

/// What a reader's walk of a record fills besides the notes: the slots of its format's trie
/// (`JSONScanner.walkObject`'s), read from the same bytes. Held unretained (the caller keeps
/// all three for the walk), and used without a retain and release at every key: retained
/// there, they cost more than the trie walk saved.
struct SlotFill {
    private let trieRef: Unmanaged<FieldTrie>
    private let slotsRef: Unmanaged<FieldSlots>
    private let scannerRef: Unmanaged<JSONScanner>

    init(trie: FieldTrie, slots: FieldSlots, scanner: JSONScanner) {
        trieRef = Unmanaged.passUnretained(trie)
        slotsRef = Unmanaged.passUnretained(slots)
        scannerRef = Unmanaged.passUnretained(scanner)
    }

    /// The text being read.
    var base: UnsafePointer<UInt8> { scannerRef._withUnsafeGuaranteedRef { $0.base } }

    /// The trie (for `RecordPaths` to tell whether the trie entries it remembers are this trie's).
    var trie: FieldTrie { trieRef.takeUnretainedValue() }
    @inline(__always) func isTrie(_ other: UnsafeMutableRawPointer?) -> Bool { trieRef.toOpaque() == other }

    /// The trie's entry of the key at `key` in `node`, or -1.
    @inline(__always)
    func find(_ node: Int, _ key: UnsafeRawPointer, _ length: Int) -> Int {
        trieRef._withUnsafeGuaranteedRef { $0.find(node: node, key: key, length: length) }
    }
    @inline(__always) func child(_ entry: Int) -> Int { trieRef._withUnsafeGuaranteedRef { $0.child(entry) } }
    @inline(__always) func slot(_ entry: Int) -> Int { trieRef._withUnsafeGuaranteedRef { $0.slot(entry) } }

    @inline(__always)
    func set(_ slot: Int, start: Int, end: Int, kind: FieldKind) {
        slotsRef._withUnsafeGuaranteedRef { $0.set(slot, start: start, end: end, kind: kind) }
    }

    @inline(__always)
    func setMemo(_ slot: Int, _ value: UInt64) { slotsRef._withUnsafeGuaranteedRef { $0.setMemo(slot, value) } }

    /// The trie walk of the object at `i` for `node` (where the path walk leaves off), its end or -1.
    func walkObject(_ i: Int, _ limit: Int, node: Int) -> Int {
        scannerRef.takeUnretainedValue().walkObject(i, limit, trie: trieRef.takeUnretainedValue(), node: node,
                                                    slots: slotsRef.takeUnretainedValue())
    }

    /// The trie walk of the value at `i` of the key of `entry`, its end or -1.
    func walkValue(_ i: Int, _ limit: Int, entry: Int) -> Int {
        scannerRef.takeUnretainedValue().walkValue(i, limit, trie: trieRef.takeUnretainedValue(), entry: entry,
                                                   slots: slotsRef.takeUnretainedValue())
    }

    /// Forgets every slot's value.
    func clear() { slotsRef._withUnsafeGuaranteedRef { $0.clear() } }
}

/// Per segment: the paths met, and per record the values noted (`notes`, in record order;
/// `EventSegment.pathEnds` gives each row's end).
// The walk reads and writes its state once or more per value; one thread uses a segment at a
// time and no access overlaps another, so Swift's run-time exclusivity checks are left out
// (`@exclusivity(unchecked)`: they were a fifth of the load's time in a profile). What it
// touches per value lives in unsafe buffers it owns (one `PathState` a path, the keys' bytes,
// the notes), so a value costs no uniqueness check or retain either; the arrays others read
// (`parents`, `strings`, `capped`, `integers`) change only when a path is made or given up,
// or on an integer.
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

    /// What the walk keeps of one path, together so that a value loads one line of it: its
    /// fields run from the widest to the narrowest (Swift lays them out in this order), which
    /// makes it 64 bytes, and the buffer starts on a line, so a path is one cache line.
    private struct PathState {
        /// The path's distinct strings (`strings` keeps the table alive).
        var table: Unmanaged<InternTable>?
        /// The bytes of its last string (see `lastCode`). The bytes are the table's, which moves
        /// them only when a string is added to it, and they are taken again then.
        var lastBytes: UnsafeRawPointer?
        /// The record that last had the path (a later duplicate key in it is ignored).
        var lastRecord: Int32 = 0
        /// The path of the key after this one, and of the first key of this path's object, in
        /// the last record that had them (-1: none). Records of one kind list their keys in one
        /// order, so a key is found by one comparison instead of a hash.
        var next: Int32 = -1
        var firstChild: Int32 = -1
        /// The key: `keyBase[keyStart..<keyStart + keyCount]`.
        var keyStart: Int32 = 0
        var keyCount: Int32 = 0
        /// String values noted.
        var stringNotes: Int32 = 0
        /// The code and length of its last string (`lastCode` `UInt32.max`: none yet). Many
        /// paths hold one value record after record (a service, a region, a kind), which is
        /// then compared instead of hashed.
        var lastCode: UInt32 = .max
        var lastCount: Int32 = 0
        /// The trie entry of this path's key (as written, when it has no escape) in trie node
        /// `trieNode` of the walk's trie (-2: none yet), so that a key found by `next` is not
        /// looked up in the trie again.
        var trieNode: Int32 = -2
        var trieEntry: Int32 = -1
        /// Whether the key holds no quote or backslash: then a key written as its bytes is it.
        var keyPlain = false
        /// Whether the path is given up.
        var capped = false
        /// Whether the last string was written without an escape, so that text writing exactly
        /// its bytes between quotes is it again.
        var lastPlain = false
    }

    /// Per path: parent path (-1 for a key of the record).
    @exclusivity(unchecked) private(set) var parents: [Int32] = []
    /// Per path: its distinct strings (nil until it holds one), and whether it was given up.
    @exclusivity(unchecked) private(set) var strings: [InternTable?] = []
    @exclusivity(unchecked) private(set) var capped: [Bool] = []
    /// Integer values, by the index their notes hold.
    @exclusivity(unchecked) private(set) var integers: [Int64] = []

    @exclusivity(unchecked) private var state: UnsafeMutablePointer<PathState>
    @exclusivity(unchecked) private var stateCapacity = 64
    @exclusivity(unchecked) private var keyBase: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var keyCount = 0
    @exclusivity(unchecked) private var keyCapacity = 1 << 12
    /// The path of the record's first key in the last record.
    @exclusivity(unchecked) private var rootFirst: Int32 = -1
    /// (parent + 1 as 4 bytes) + key → path + 1.
    private let index = InternTable()
    @exclusivity(unchecked) private var spare: [InternTable] = []

    /// One note a value: path << 40 | kind << 32 | value (a string's code, an integer's index
    /// in `integers`, a boolean's 0 or 1).
    @exclusivity(unchecked) private var noteBase: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private(set) var noteCount = 0
    @exclusivity(unchecked) private var noteCapacity = 1 << 12

    @exclusivity(unchecked) private var record: Int32 = 0
    /// The trie whose entries `PathState.trieEntry` holds, kept so that its address names it.
    @exclusivity(unchecked) private var entriesTrie: FieldTrie?
    @exclusivity(unchecked) private var entriesTrieID: UnsafeMutableRawPointer?
    /// Set when the trie walk that a record's walk also does finds the record broken.
    @exclusivity(unchecked) private var trieBroken = false
    /// Whether the last string value read had an escape (for its slot).
    @exclusivity(unchecked) private var lastEscaped = false
    /// The path + 1 and code the last string value was interned under (`FieldSlots.memo`),
    /// 0 when it was not.
    @exclusivity(unchecked) private var lastInterned: UInt64 = 0
    /// The index's key of a path being looked up: the parent, then the key's bytes.
    @exclusivity(unchecked) private var scratchBase: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var scratchCapacity = 256
    @exclusivity(unchecked) private var decoded: [UInt8] = []

    init() {
        state = RecordPaths.buffer(stateCapacity, alignment: 64)
        keyBase = .allocate(capacity: keyCapacity)
        noteBase = .allocate(capacity: noteCapacity)
        scratchBase = .allocate(byteCount: scratchCapacity, alignment: 8)
    }

    deinit {
        scratchBase.deallocate()
        UnsafeMutableRawPointer(state).deallocate()
        keyBase.deallocate()
        noteBase.deallocate()
    }

    /// The notes taken since the last `reset`; valid until the next walk or reset.
    var notes: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: noteBase, count: noteCount) }

    func reset() {
        parents.removeAll(keepingCapacity: true)
        keyCount = 0
        index.clear()
        rootFirst = -1
        for case let table? in strings {
            table.clear()
            spare.append(table)
        }
        strings.removeAll(keepingCapacity: true)
        capped.removeAll(keepingCapacity: true)
        noteCount = 0
        integers.removeAll(keepingCapacity: true)
        record = 0
    }

    /// Drops the notes after the first `count` (a record that gave no row).
    func truncate(_ count: Int) {
        if noteCount > count { noteCount = count }
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
            let s = state[at]
            out.append(Array(UnsafeBufferPointer(start: keyBase + Int(s.keyStart), count: Int(s.keyCount))))
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
        _ = object(p, &i, parent: -1, depth: 0, node: -1, fill: nil)
    }

    /// Notes the paths of the record at `start` (a `{`) of `p`, the scanner's text up to where
    /// the record must end, and fills the slots of `fill` as `JSONScanner.walkObject` does,
    /// from the same reading of the bytes: a key of the trie is matched as written (raw), and
    /// the last of duplicate keys fills its slot while the first is noted. Returns the end of
    /// the record, or -1 where the trie walk finds it broken.
    func walk(_ p: Bytes, at start: Int, fill: SlotFill) -> Int {
        record &+= 1
        trieBroken = false
        if !fill.isTrie(entriesTrieID) {
            for k in 0..<parents.count { state[k].trieNode = -2 }
            let trie = fill.trie
            entriesTrie = trie
            entriesTrieID = Unmanaged.passUnretained(trie).toOpaque()
        }
        var i = start
        if object(p, &i, parent: -1, depth: 0, node: 0, fill: fill) { return i }
        if trieBroken { return -1 }
        // The path walk stops at some text the trie walk reads on (it checks numbers and
        // strings more strictly): what was noted stays, and the trie walk decides.
        fill.clear()
        return fill.walkObject(start, p.count, node: 0)
    }

    @inline(__always)
    private func note(_ path: Int, _ kind: Kind, _ value: UInt32) {
        // The count read once: the store through `noteBase` could alias `self` for the compiler.
        let count = noteCount
        if count == noteCapacity { RecordPaths.grow(&noteBase, count: count, capacity: &noteCapacity, to: count + 1) }
        noteBase[count] = UInt64(path) << 40 | kind.rawValue << 32 | UInt64(value)
        noteCount = count + 1
    }

    /// Room for `capacity` elements, starting at a multiple of `alignment` bytes (the paths'
    /// states start on a cache line).
    private static func buffer<T>(_ capacity: Int, alignment: Int = MemoryLayout<T>.alignment) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<T>.stride, alignment: alignment)
            .bindMemory(to: T.self, capacity: capacity)
    }

    /// Makes room in a buffer for `needed` elements (doubling), keeping its first `count`.
    private static func grow<T>(_ base: inout UnsafeMutablePointer<T>, count: Int, capacity: inout Int, to needed: Int,
                                alignment: Int = MemoryLayout<T>.alignment) {
        var size = capacity * 2
        while size < needed { size *= 2 }
        let bigger: UnsafeMutablePointer<T> = buffer(size, alignment: alignment)
        bigger.moveInitialize(from: base, count: count)
        UnsafeMutableRawPointer(base).deallocate()
        base = bigger
        capacity = size
    }

    /// The path of `key` under `parent`, `guess` first (the path that came here in the last
    /// record, -1 for none); nil when no more paths are kept.
    @inline(__always)
    private func child(_ parent: Int, _ key: Bytes, _ guess: Int) -> Int? {
        if guess >= 0 {
            let s = state[guess]
            if Int(s.keyCount) == key.count,
               StringDictionary.equal(Bytes(start: keyBase + Int(s.keyStart), count: Int(s.keyCount)), key) {
                return guess
            }
        }
        return lookup(parent, key)
    }

    /// The path of `key` under `parent` by its hash, made when new.
    private func lookup(_ parent: Int, _ key: Bytes) -> Int? {
        if key.count + 4 > scratchCapacity {
            scratchBase.deallocate()
            scratchCapacity = key.count + 4
            scratchBase = .allocate(byteCount: scratchCapacity, alignment: 8)
        }
        scratchBase.storeBytes(of: Int32(truncatingIfNeeded: parent).littleEndian, as: Int32.self)
        if let source = key.baseAddress, key.count > 0 { (scratchBase + 4).copyMemory(from: source, byteCount: key.count) }
        let code = index.code(for: Bytes(start: scratchBase, count: key.count + 4))
        let found = Int(code) - 1
        if found == parents.count {
            guard found < RecordPaths.maxPaths else { return nil }
            if found == stateCapacity {
                RecordPaths.grow(&state, count: found, capacity: &stateCapacity, to: found + 1, alignment: 64)
            }
            if keyCount + key.count > keyCapacity {
                RecordPaths.grow(&keyBase, count: keyCount, capacity: &keyCapacity, to: keyCount + key.count)
            }
            if let source = key.baseAddress, key.count > 0 {
                (keyBase + keyCount).initialize(from: source.assumingMemoryBound(to: UInt8.self), count: key.count)
            }
            var s = PathState()
            s.keyStart = Int32(keyCount)
            s.keyCount = Int32(key.count)
            s.keyPlain = !key.contains { $0 == 0x22 || $0 == 0x5C }
            (state + found).initialize(to: s)
            keyCount += key.count
            parents.append(Int32(parent))
            strings.append(nil)
            capped.append(false)
        }
        return found
    }

    /// Walks the object at `i`; false when its text breaks off (what was noted stays). With
    /// `node` (a node of `fill`'s trie, else -1) it fills that node's slots too.
    private func object(_ p: Bytes, _ i: inout Int, parent: Int, depth: Int, node: Int, fill: SlotFill?) -> Bool {
        i += 1
        JSONSkip.skipSpace(p, &i)
        if i < p.count, p[i] == UInt8(ascii: "}") { i += 1; return true }
        // The path of this object's previous key in this record, and the guess for the next.
        var previous = -1
        var guess = Int(parent >= 0 ? state[parent].firstChild : rootFirst)
        while true {
            guard i < p.count, p[i] == UInt8(ascii: "\"") else { return false }
            let keyStart = i
            var keyEscaped = false
            var target: Int?
            if let n = guessedKey(p, keyStart, guess) {
                // The key the last record had here, written as its bytes: no scan for its end.
                i = keyStart + n + 2
                target = guess
            } else {
                guard JSONSkip.scanString(p, &i, strict: false, escaped: &keyEscaped) else { return false }
                let raw = Bytes(rebasing: p[(keyStart + 1)..<(i - 1)])
                if keyEscaped {
                    decoded.removeAll(keepingCapacity: true)
                    if JSONReader.decodeString(Bytes(rebasing: p[keyStart..<i]), into: &decoded), !RecordPaths.isIndex(decoded) {
                        // Read in place (no copy to retain): nothing below touches `decoded`.
                        target = decoded.withUnsafeBytes { child(parent, $0, guess) }
                    }
                } else if !RecordPaths.isIndex(raw) {
                    target = child(parent, raw, guess)
                }
            }
            let keyEnd = i
            JSONSkip.skipSpace(p, &i)
            guard i < p.count, p[i] == UInt8(ascii: ":") else { return false }
            i += 1
            JSONSkip.skipSpace(p, &i)
            var entry = -1
            if node >= 0, let fill, let base = p.baseAddress {
                // A key without escapes is its path's key: its entry in `node` is the one found
                // the last time (the path's parent fixes the node but for escaped keys above).
                if !keyEscaped, let n = target, state[n].trieNode == Int32(node) {
                    entry = Int(state[n].trieEntry)
                } else {
                    entry = fill.find(node, base + keyStart + 1, keyEnd - keyStart - 2)
                    if !keyEscaped, let n = target {
                        state[n].trieNode = Int32(node)
                        state[n].trieEntry = Int32(entry)
                    }
                }
            }
            if let n = target {
                if previous >= 0 {
                    state[previous].next = Int32(n)
                } else if parent >= 0 {
                    state[parent].firstChild = Int32(n)
                } else {
                    rootFirst = Int32(n)
                }
                previous = n
                guess = Int(state[n].next)
            }
            if let n = target, state[n].lastRecord != record {
                state[n].lastRecord = record
                if entry >= 0, let fill {
                    guard value(p, &i, n, depth: depth, entry: entry, fill: fill) else { return false }
                } else {
                    guard value(p, &i, n, depth: depth) else { return false }
                }
            } else if entry >= 0, let fill {
                // A later duplicate (or a key no path names) that the trie wants: its value
                // is read as the trie walk reads it, and the last one fills the slot.
                guard i < p.count else { return false }
                let e = fill.walkValue(i, p.count, entry: entry)
                if e < 0 {
                    trieBroken = true
                    return false
                }
                i = e
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

    /// The length of path `guess`'s key when the key at `start` (a quote) of `p` is written as
    /// exactly its bytes (`writtenAs`), else nil. A key without quote or backslash written so
    /// has no escape, so it is that key (and, being a path's, no index).
    @inline(__always)
    private func guessedKey(_ p: Bytes, _ start: Int, _ guess: Int) -> Int? {
        guard guess >= 0 else { return nil }
        let s = state[guess]
        let n = Int(s.keyCount)
        guard s.keyPlain, RecordPaths.writtenAs(p, start, keyBase + Int(s.keyStart), n) else { return nil }
        return n
    }

    /// Whether the string token at `start` (a quote) of `p` is the `n` bytes at `bytes` and a
    /// closing quote.
    @inline(__always)
    private static func writtenAs(_ p: Bytes, _ start: Int, _ bytes: UnsafeRawPointer, _ n: Int) -> Bool {
        guard let base = p.baseAddress else { return false }
        let end = start + 1 + n
        return end < p.count && p[end] == UInt8(ascii: "\"") && StringDictionary.sameBytes(bytes, base + start + 1, n)
    }

    /// A key of digits, which a path step also reads as an array index.
    @inline(__always)
    private static func isIndex<C: Collection>(_ key: C) -> Bool where C.Element == UInt8 {
        !key.isEmpty && key.count < 10 && key.allSatisfy { $0 &- 48 < 10 }
    }

    /// Notes the value at `i` for path `n`; false when the text breaks off.
    @inline(__always)
    private func value(_ p: Bytes, _ i: inout Int, _ n: Int, depth: Int) -> Bool {
        let start = i
        guard i < p.count else { return false }
        switch p[i] {
        case UInt8(ascii: "{"):
            note(n, .object, 0)
            if depth + 1 < RecordPaths.maxDepth, object(p, &i, parent: n, depth: depth + 1, node: -1, fill: nil) { return true }
            i = start
            return JSONSkip.skipFast(p, &i)
        case UInt8(ascii: "\""):
            if let m = lastStringAgain(p, start, n) {
                // The path's last string again, written as its bytes: no scan for its end.
                i = start + m + 2
                lastEscaped = false
                state[n].stringNotes += 1
                noteLastString(n)
                return true
            }
            var escaped = false
            guard JSONSkip.scanString(p, &i, strict: true, escaped: &escaped) else {
                // A raw control byte: noted as `other`, the string read as the trie walk reads it.
                note(n, .other, 0)
                i = start
                guard JSONSkip.skipFast(p, &i) else { return false }
                lastEscaped = Bytes(rebasing: p[(start + 1)..<(i - 1)]).contains(0x5C)
                return true
            }
            lastEscaped = escaped
            if state[n].capped {
                note(n, .other, 0)
                return true
            }
            let body = Bytes(rebasing: p[(start + 1)..<(i - 1)])
            if escaped {
                decoded.removeAll(keepingCapacity: true)
                guard JSONReader.decodeString(Bytes(rebasing: p[start..<i]), into: &decoded) else { break }
                decoded.withUnsafeBytes { string(n, $0, plain: false) }
            } else {
                string(n, body, plain: true)
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

    /// `value` for a key that the trie wants too (its entry `entry`): the path's notes and,
    /// from the same reading, the entry's slot, or the slots of its node's object.
    private func value(_ p: Bytes, _ i: inout Int, _ n: Int, depth: Int, entry: Int, fill: SlotFill) -> Bool {
        let start = i
        guard i < p.count else { return false }
        let c = p[i]
        let child = fill.child(entry)
        let slot = fill.slot(entry)
        if child >= 0, c == UInt8(ascii: "{") {
            note(n, .object, 0)
            if !(depth + 1 < RecordPaths.maxDepth && object(p, &i, parent: n, depth: depth + 1, node: child, fill: fill)) {
                if trieBroken { return false }
                // The path walk broke off inside (what it noted stays): the trie walk reads the
                // object, and decides whether the record is broken.
                let e = fill.walkObject(start, p.count, node: child)
                if e < 0 {
                    trieBroken = true
                    return false
                }
                i = e
            }
            if slot >= 0 { fill.set(slot, start: start, end: i, kind: .object) }
            return true
        }
        lastInterned = 0
        guard value(p, &i, n, depth: depth) else { return false }
        if slot >= 0 {
            if c == UInt8(ascii: "\"") {
                fill.set(slot, start: start + 1, end: i - 1, kind: lastEscaped ? .escapedString : .string)
                // (An escaped string's code is of its decoded text, which is what the slot's
                // text decodes to: the walk interns only strings whose escapes are all valid.)
                if lastInterned != 0 { fill.setMemo(slot, lastInterned) }
            } else {
                fill.set(slot, start: start, end: i, kind: JSONScanner.kind(of: c))
            }
        }
        return true
    }

    /// The length of path `n`'s last string when the string at `start` (a quote) of `p` is
    /// written as exactly its bytes and a closing quote, else nil. The last string was written
    /// without an escape (so it holds no quote, backslash or control byte), so that text is
    /// the same string, and as the strict scan reads it.
    @inline(__always)
    private func lastStringAgain(_ p: Bytes, _ start: Int, _ n: Int) -> Int? {
        let s = state[n]
        guard s.lastPlain, !s.capped, s.lastCode != .max, let last = s.lastBytes else { return nil }
        let m = Int(s.lastCount)
        guard RecordPaths.writtenAs(p, start, last, m) else { return nil }
        return m
    }

    /// Notes path `n`'s last string again.
    @inline(__always)
    private func noteLastString(_ n: Int) {
        let code = state[n].lastCode
        note(n, .string, code)
        lastInterned = UInt64(n + 1) << 32 | UInt64(code)
    }

    /// Interns `bytes` for path `n` and notes it; `plain`: it was written without an escape.
    @inline(__always)
    private func string(_ n: Int, _ bytes: Bytes, plain: Bool) {
        state[n].stringNotes += 1
        let s = state[n]
        if s.lastCode != .max, StringDictionary.equal(Bytes(start: s.lastBytes, count: Int(s.lastCount)), bytes) {
            noteLastString(n)
            return
        }
        let handle: Unmanaged<InternTable>
        if let h = s.table {
            handle = h
        } else {
            let made = spare.popLast() ?? InternTable()
            strings[n] = made
            handle = Unmanaged.passUnretained(made)
            state[n].table = handle
        }
        // `strings` keeps the table alive: used without a retain and release per value.
        let (code, kept, added, distinct) = handle._withUnsafeGuaranteedRef { table -> (UInt32, Bytes, Bool, Int) in
            let before = table.count
            let code = table.code(for: bytes)
            return (code, table.bytes(of: code), table.count > before, table.count)
        }
        if added, distinct > Int(s.stringNotes) / 4 + RecordPaths.distinctAllowance {
            state[n].capped = true
            capped[n] = true
        }
        // (A string too long for the count is not remembered.)
        state[n].lastCode = kept.count <= Int(Int32.max) ? code : .max
        state[n].lastBytes = kept.baseAddress
        state[n].lastCount = Int32(truncatingIfNeeded: kept.count)
        state[n].lastPlain = plain
        note(n, .string, code)
        lastInterned = UInt64(n + 1) << 32 | UInt64(code)
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

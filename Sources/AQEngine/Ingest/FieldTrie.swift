// The fields a format needs, as a tree of object keys, and the slots a record's values land
// in. The JSON scanner looks each key up in the current level's node and descends only into
// the objects on a wanted path: everything else is skipped without building anything.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable tree of key paths. Node 0 is the top-level object. Each key of a node maps to
/// a slot (the value is wanted), a child node (descend into the object), or both.
final class FieldTrie: @unchecked Sendable {
    private(set) var slotCount = 0
    private var keyBytes: [UInt8] = []
    private var keyStart: [Int] = []
    private var keyLength: [Int] = []
    private var entrySlot: [Int32] = []
    private var entryChild: [Int32] = []
    /// Per node: an open-addressing table of entry indices + 1 (0 empty), `tableSize` wide.
    private var tables: [[Int32]] = [[]]
    private var nodeKeys: [[Int]] = [[]]

    /// `paths`: key path → slot. Several paths may share a slot (aliases: a CSV header name and
    /// a JSON key for the same field).
    init(_ paths: [([String], Int)]) {
        var slots = 0
        for (path, slot) in paths {
            var node = 0
            for (depth, key) in path.enumerated() {
                let last = depth == path.count - 1
                let entry = entryIndex(node: node, key: key) ?? addEntry(node: node, key: key)
                if last {
                    entrySlot[entry] = Int32(slot)
                } else {
                    if entryChild[entry] < 0 {
                        entryChild[entry] = Int32(tables.count)
                        tables.append([])
                        nodeKeys.append([])
                    }
                    node = Int(entryChild[entry])
                }
            }
            slots = max(slots, slot + 1)
        }
        slotCount = slots
        for node in 0..<tables.count { buildTable(node) }
        flatten()
    }

    private func entryIndex(node: Int, key: String) -> Int? {
        let bytes = Array(key.utf8)
        return nodeKeys[node].first { Array(keyBytes[keyStart[$0]..<keyStart[$0] + keyLength[$0]]) == bytes }
    }

    private func addEntry(node: Int, key: String) -> Int {
        let index = keyStart.count
        keyStart.append(keyBytes.count)
        keyLength.append(key.utf8.count)
        keyBytes.append(contentsOf: key.utf8)
        entrySlot.append(-1)
        entryChild.append(-1)
        nodeKeys[node].append(index)
        return index
    }

    private static let tableSize = 128

    private func buildTable(_ node: Int) {
        var table = [Int32](repeating: 0, count: FieldTrie.tableSize)
        for entry in nodeKeys[node] {
            let h = keyBytes.withUnsafeBytes { all in
                FieldTrie.hash(all.baseAddress! + keyStart[entry], keyLength[entry])
            }
            var i = h & (FieldTrie.tableSize - 1)
            while table[i] != 0 { i = (i + 1) & (FieldTrie.tableSize - 1) }
            table[i] = Int32(entry + 1)
        }
        tables[node] = table
    }

    // Flat copies for the lookup loop (no nested arrays, no bounds checks there).
    private var flatTables: UnsafeMutablePointer<Int32>!
    private var flatKeys: UnsafeMutablePointer<UInt8>!
    private var flatStart: UnsafeMutablePointer<Int>!
    private var flatLength: UnsafeMutablePointer<Int>!
    private var flatSlot: UnsafeMutablePointer<Int32>!
    private var flatChild: UnsafeMutablePointer<Int32>!

    private func flatten() {
        flatTables = .allocate(capacity: tables.count * FieldTrie.tableSize)
        for (n, table) in tables.enumerated() {
            for (i, v) in table.enumerated() { flatTables[n * FieldTrie.tableSize + i] = v }
        }
        flatKeys = .allocate(capacity: max(1, keyBytes.count))
        for (i, b) in keyBytes.enumerated() { flatKeys[i] = b }
        let n = max(1, keyStart.count)
        flatStart = .allocate(capacity: n)
        flatLength = .allocate(capacity: n)
        flatSlot = .allocate(capacity: n)
        flatChild = .allocate(capacity: n)
        for i in 0..<keyStart.count {
            flatStart[i] = keyStart[i]
            flatLength[i] = keyLength[i]
            flatSlot[i] = entrySlot[i]
            flatChild[i] = entryChild[i]
        }
    }

    deinit {
        flatTables.deallocate()
        flatKeys.deallocate()
        flatStart.deallocate()
        flatLength.deallocate()
        flatSlot.deallocate()
        flatChild.deallocate()
    }

    /// Hash of a key from its length and its first and last (up to) eight bytes.
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        var a: UInt64 = 0
        var b: UInt64 = 0
        if n >= 8 {
            a = p.loadUnaligned(as: UInt64.self)
            b = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for i in 0..<n { a = a << 8 | UInt64(p.load(fromByteOffset: i, as: UInt8.self)) }
        }
        let x = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
        return Int(truncatingIfNeeded: ((x ^ (x >> 29)) &* 0x1656_67B1_9E37_79F9) >> 40)
    }

    /// The entry of `key` in `node`, or -1.
    @inline(__always)
    func find(node: Int, key: UnsafeRawPointer, length: Int) -> Int {
        let mask = FieldTrie.tableSize - 1
        var i = FieldTrie.hash(key, length) & mask
        let table = flatTables + node * FieldTrie.tableSize
        while true {
            let e = Int(table[i])
            if e == 0 { return -1 }
            let entry = e - 1
            if flatLength[entry] == length, FieldTrie.equal(flatKeys + flatStart[entry], key, length) { return entry }
            i = (i + 1) & mask
        }
    }

    /// Byte equality of two keys of `n` bytes: two overlapping 8-byte loads for the usual key
    /// lengths (8…16), `memcmp` otherwise.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        if n >= 8, n <= 16 {
            let pa = UnsafeRawPointer(a)
            return pa.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && pa.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        return memcmp(a, b, n) == 0
    }

    @inline(__always) func slot(_ entry: Int) -> Int { Int(flatSlot[entry]) }
    @inline(__always) func child(_ entry: Int) -> Int { Int(flatChild[entry]) }
}

/// What a slot holds for the current record.
enum FieldKind: UInt8 {
    case absent = 0
    /// A JSON string without escapes, or a CSV cell without doubled quotes: the span is the text.
    case string
    /// A JSON string with backslash escapes: decode before use.
    case escapedString
    /// A CSV quoted cell with doubled quotes: undouble before use.
    case csvQuoted
    case number, trueLiteral, falseLiteral, null, object, array
}

/// The values of one record by slot: byte spans into the input buffer. A generation counter
/// clears every slot at once between records.
final class FieldSlots {
    let count: Int
    let start: UnsafeMutablePointer<Int>
    let end: UnsafeMutablePointer<Int>
    let kind: UnsafeMutablePointer<UInt8>
    /// Per slot: the path and code its string was interned under by the record's path walk
    /// (`RecordPaths`), path + 1 above the code; 0 for none. A mapper taking the string for a
    /// dictionary column maps that code instead of hashing the bytes again.
    let memo: UnsafeMutablePointer<UInt64>
    private let stamp: UnsafeMutablePointer<UInt32>
    private var generation: UInt32 = 1

    init(count: Int) {
        self.count = count
        let n = max(1, count)
        start = .allocate(capacity: n)
        end = .allocate(capacity: n)
        kind = .allocate(capacity: n)
        stamp = .allocate(capacity: n)
        memo = .allocate(capacity: n)
        memo.initialize(repeating: 0, count: n)
        stamp.initialize(repeating: 0, count: n)
        start.initialize(repeating: 0, count: n)
        end.initialize(repeating: 0, count: n)
        kind.initialize(repeating: 0, count: n)
    }

    deinit {
        start.deallocate()
        end.deallocate()
        kind.deallocate()
        memo.deallocate()
        stamp.deallocate()
    }

    /// Forgets every value.
    @inline(__always)
    func clear() {
        generation &+= 1
        if generation == 0 {
            stamp.update(repeating: 0, count: max(1, count))
            generation = 1
        }
    }

    @inline(__always)
    func set(_ slot: Int, start s: Int, end e: Int, kind k: FieldKind) {
        start[slot] = s
        end[slot] = e
        kind[slot] = k.rawValue
        memo[slot] = 0
        stamp[slot] = generation
    }

    /// The interned path and code of the string `set` last put in `slot` (see `memo`).
    @inline(__always)
    func setMemo(_ slot: Int, _ value: UInt64) { memo[slot] = value }

    /// `slot`'s memo for the current record, 0 for none.
    @inline(__always)
    func memoOf(_ slot: Int) -> UInt64 { stamp[slot] == generation ? memo[slot] : 0 }

    @inline(__always)
    func kindOf(_ slot: Int) -> FieldKind {
        stamp[slot] == generation ? FieldKind(rawValue: kind[slot]) ?? .absent : .absent
    }
}

// A byte-level JSON scanner written for reading audit logs: it walks a record's objects
// along the key paths of a `FieldTrie`, records where the wanted values are, and skips the
// rest without building anything. Skipped values are never recursed into (only the trie's
// few levels recurse), so deep input cannot exhaust the stack.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scans JSON values inside `base[0..<count]`. Positions are byte offsets; every method takes
/// a `limit` it never reads past and returns -1 when the text is not valid JSON there.
/// Strings and skipped values are read by `JSONSkip`.
final class JSONScanner {
    private(set) var base: UnsafePointer<UInt8>
    private(set) var count: Int

    init() {
        base = UnsafePointer(bitPattern: 1)!
        count = 0
    }

    func reset(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { JSONSkip.isSpace(c) }

    @inline(__always)
    func skipSpace(_ i: Int, _ limit: Int) -> Int {
        var i = i
        while i < limit, JSONSkip.isSpace(base[i]) { i += 1 }
        return i
    }

    /// The text before `limit`.
    @inline(__always)
    private func bytes(_ limit: Int) -> Bytes { Bytes(start: UnsafeRawPointer(base), count: limit) }

    /// The index of the quote that closes a string whose text starts at `from`, or -1.
    @inline(__always)
    func stringEnd(_ from: Int, _ limit: Int) -> Int { JSONSkip.stringEnd(bytes(limit), from) }

    /// True when `base[from..<to]` holds a backslash.
    @inline(__always)
    func hasBackslash(_ from: Int, _ to: Int) -> Bool {
        to > from && memchr(base + from, 0x5C, to - from) != nil
    }

    /// The end (one past) of the value starting at `i`, or -1.
    @inline(__always)
    func skipValue(_ i: Int, _ limit: Int) -> Int {
        var j = i
        return JSONSkip.skipFast(bytes(limit), &j) ? j : -1
    }

    /// Walks the object at `i` (`{`), putting the values of `node`'s keys in `slots` and
    /// descending into the objects of child nodes. Returns the end of the object or -1.
    /// Keys written with escapes are not matched (no format's keys need them).
    func walkObject(_ i: Int, _ limit: Int, trie: FieldTrie, node: Int, slots: FieldSlots) -> Int {
        var j = skipSpace(i + 1, limit)
        guard j < limit else { return -1 }
        if base[j] == 0x7D { return j + 1 }
        while true {
            guard j < limit, base[j] == 0x22 else { return -1 }
            let keyStart = j + 1
            let keyEnd = stringEnd(keyStart, limit)
            if keyEnd < 0 { return -1 }
            j = keyEnd + 1
            if j < limit, base[j] != 0x3A { j = skipSpace(j, limit) }
            guard j < limit, base[j] == 0x3A else { return -1 }
            j += 1
            if j < limit, JSONScanner.isSpace(base[j]) { j = skipSpace(j, limit) }
            guard j < limit else { return -1 }
            let entry = trie.find(node: node, key: base + keyStart, length: keyEnd - keyStart)
            j = entry >= 0 ? walkValue(j, limit, trie: trie, entry: entry, slots: slots) : skipValue(j, limit)
            if j < 0 { return -1 }
            if j < limit, base[j] != 0x2C, base[j] != 0x7D { j = skipSpace(j, limit) }
            guard j < limit else { return -1 }
            if base[j] == 0x2C {
                j += 1
                if j < limit, base[j] != 0x22 { j = skipSpace(j, limit) }
                continue
            }
            if base[j] == 0x7D { return j + 1 }
            return -1
        }
    }

    /// Reads the value at `j` (not a space) of the key of trie entry `entry`: puts it in the
    /// entry's slot, or walks its object when the entry has a child node (and the value is an
    /// object). Returns the end of the value or -1. The one reading of a matched key's value,
    /// for this walk and for the path walk (`RecordPaths`) where it leaves a value to it.
    @inline(__always)
    func walkValue(_ j: Int, _ limit: Int, trie: FieldTrie, entry: Int, slots: FieldSlots) -> Int {
        let c = base[j]
        let child = trie.child(entry)
        let slot = trie.slot(entry)
        if child >= 0, c == 0x7B {
            let e = walkObject(j, limit, trie: trie, node: child, slots: slots)
            if e >= 0, slot >= 0 { slots.set(slot, start: j, end: e, kind: .object) }
            return e
        }
        guard slot >= 0 else { return skipValue(j, limit) }
        if c == 0x22 {
            let e = stringEnd(j + 1, limit)
            if e < 0 { return -1 }
            slots.set(slot, start: j + 1, end: e, kind: hasBackslash(j + 1, e) ? .escapedString : .string)
            return e + 1
        }
        let e = skipValue(j, limit)
        if e < 0 { return -1 }
        slots.set(slot, start: j, end: e, kind: JSONScanner.kind(of: c))
        return e
    }

    /// The kind of a value that is not a string, from its first byte.
    @inline(__always)
    static func kind(of c: UInt8) -> FieldKind {
        switch c {
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x74: return .trueLiteral
        case 0x66: return .falseLiteral
        case 0x6E: return .null
        default: return .number
        }
    }

    /// True when the object at `i` (`{`) has `key` as its first key.
    func firstKey(of i: Int, _ limit: Int, is key: StaticString) -> Bool {
        let j = skipSpace(i + 1, limit)
        guard j < limit, base[j] == 0x22 else { return false }
        let e = stringEnd(j + 1, limit)
        let n = key.utf8CodeUnitCount
        return e - (j + 1) == n && memcmp(base + j + 1, key.utf8Start, n) == 0
    }

    /// Calls `body` with the start of each element of the array at `i` (`[`); `body` returns
    /// the element's end or -1. Returns the end of the array, or -1 when it is broken.
    @inline(__always)
    func forEachElement(_ i: Int, _ limit: Int, _ body: (Int) -> Int) -> Int {
        var j = skipSpace(i + 1, limit)
        guard j < limit else { return -1 }
        if base[j] == 0x5D { return j + 1 }
        while true {
            j = skipSpace(j, limit)
            guard j < limit else { return -1 }
            j = body(j)
            if j < 0 { return -1 }
            j = skipSpace(j, limit)
            guard j < limit else { return -1 }
            if base[j] == 0x2C { j += 1; continue }
            if base[j] == 0x5D { return j + 1 }
            return -1
        }
    }
}

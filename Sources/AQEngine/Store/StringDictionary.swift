// An append-only dictionary of distinct strings, shared by every chunk of one column, so
// that dictionary codes compare, group and join across the whole table. Functions on a
// dictionary-encoded column run once per distinct value, not once per row.

import CScan

/// Distinct strings and their codes `0..<count`. Codes never change once given.
/// Not thread-safe: one writer at a time (the log readers build a dictionary per worker and
/// remap codes when they merge).
///
/// Its stored properties skip Swift's run-time exclusivity checks: no access to them overlaps
/// another, and the load looks a string up in a dictionary per value (the checks were 2% of a
/// load's instructions).
public final class StringDictionary: @unchecked Sendable {
    @exclusivity(unchecked) public private(set) var heap = StringHeap()
    /// Open addressing, capacity a power of two: the high half of the string's hash above
    /// code + 1 (0: empty), so that a probe compares the hash from the slot it loads and reads
    /// a string's bytes only when the hashes agree.
    @exclusivity(unchecked) private var slots: [UInt64] = [UInt64](repeating: 0, count: 64)
    @exclusivity(unchecked) private var hashes: [UInt64] = []

    public init() {}

    public var count: Int { heap.count }

    /// A dictionary of the strings of `heap`, code i for string i; nil when a string repeats
    /// (a dictionary's strings are distinct).
    public static func rebuilt(from heap: StringHeap) -> StringDictionary? {
        let dictionary = StringDictionary()
        dictionary.hashes.reserveCapacity(heap.count)
        for i in 0..<heap.count {
            guard heap.withBytes(i, { dictionary.code(for: $0) }) == UInt32(i) else { return nil }
        }
        return dictionary
    }

    /// A dictionary with the same strings and codes that later additions to this one do not
    /// change (its storage is shared until either is written to).
    public func snapshot() -> StringDictionary {
        let copy = StringDictionary()
        copy.heap = heap
        copy.slots = slots
        copy.hashes = hashes
        return copy
    }

    /// The code of a string, adding it if it is new.
    public func code(for p: UnsafeRawBufferPointer) -> UInt32 {
        code(for: p, hash: StringDictionary.hash(p))
    }

    /// `code(for:)` of a string whose `hash` is known (a reader's table keeps its strings').
    public func code(for p: UnsafeRawBufferPointer, hash h: UInt64) -> UInt32 {
        let (found, slot) = probe(p, hash: h)
        if let found { return found }
        let code = UInt32(heap.count)
        heap.append(p)
        hashes.append(h)
        slots[slot] = StringDictionary.slot(hash: h, code: code)
        if heap.count * 2 > slots.count { grow() }
        return code
    }

    public func code(for s: String) -> UInt32 {
        var s = s
        return s.withUTF8 { code(for: UnsafeRawBufferPointer($0)) }
    }

    /// Fetches the slot a string of hash `h` is probed at into the cache, for a loop that will
    /// look it up a few strings later (each probe's first load misses the cache otherwise).
    @inline(__always)
    public func prefetch(hash h: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { aq_prefetch(base + (Int(truncatingIfNeeded: h) & (slots.count - 1))) }
        }
    }

    /// The code of a string if it is present, without adding it.
    public func lookup(_ p: UnsafeRawBufferPointer) -> UInt32? {
        probe(p, hash: StringDictionary.hash(p)).code
    }

    /// The code of `p` (hash `h`) if present, else the empty slot where it would go.
    @inline(__always)
    private func probe(_ p: UnsafeRawBufferPointer, hash h: UInt64) -> (code: UInt32?, slot: Int) {
        let tag = h & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { slots in
            heap.offsets.withUnsafeBufferPointer { offsets in
                heap.bytes.withUnsafeBytes { bytes in
                    let mask = slots.count - 1
                    var slot = Int(truncatingIfNeeded: h) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return (nil, slot) }
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let code = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                            let lo = Int(offsets[code]), hi = Int(offsets[code + 1])
                            if hi - lo == p.count {
                                guard let a = bytes.baseAddress, let b = p.baseAddress else { return (UInt32(code), slot) }
                                if StringDictionary.sameBytes(a + lo, b, p.count) { return (UInt32(code), slot) }
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func slot(hash: UInt64, code: UInt32) -> UInt64 {
        hash & 0xFFFF_FFFF_0000_0000 | UInt64(code &+ 1)
    }

    public func lookup(_ s: String) -> UInt32? {
        var s = s
        return s.withUTF8 { lookup(UnsafeRawBufferPointer($0)) }
    }

    public func string(_ code: UInt32) -> String { heap.string(Int(code)) }

    public func withBytes<R>(_ code: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try heap.withBytes(Int(code), body)
    }

    private func grow() {
        let capacity = slots.count * 2
        var newSlots = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        for code in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while newSlots[slot] != 0 { slot = (slot + 1) & mask }
            newSlots[slot] = StringDictionary.slot(hash: hashes[code], code: UInt32(code))
        }
        slots = newSlots
    }

    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return sameBytes(pa, pb, a.count)
    }

    /// Whether the `n` bytes at `a` and at `b` are equal. Up to 32 bytes (keys, names,
    /// codes: most strings a load compares) are compared as 8-byte words in line, the last
    /// word overlapping the one before; longer runs by `memcmp`. Reads no byte past `n`.
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        if n >= 8 {
            guard n <= 32 else { return memcmp(a, b, n) == 0 }
            var k = 0
            while k + 8 < n {
                if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                    return false
                }
                k += 8
            }
            return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        var k = 0
        while k < n {
            if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }

    /// A fast 64-bit hash of bytes (wyhash-style multiply-mix): 16 bytes a step, the two words
    /// multiplied together, then a word and the last bytes. (A word a step chained one
    /// multiply after another; interning hashes every string a load reads.)
    public static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let n = p.count
        while i + 16 <= n {
            let a = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
            h = mix(a ^ 0x5896_44CC_E0F5_9D39, b ^ h)
            i += 16
        }
        if i + 8 <= n {
            h = mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0xA076_1D64_78BD_642F)
            i += 8
        }
        if i < n {
            // The last `n - i` bytes as a little-endian word, read in one or two loads that
            // may overlap bytes already hashed (shifted out) instead of byte by byte.
            let rest = n - i
            var w: UInt64
            if n >= 8 {
                w = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self).littleEndian >> UInt64(8 * (8 - rest))
            } else if n >= 4 {
                let low = UInt64(p.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian)
                let high = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self).littleEndian)
                w = low | (high >> UInt64(8 * (8 - n))) << 32
            } else {
                w = 0
                var shift: UInt64 = 0
                while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            }
            h = mix(h ^ w, 0xE703_7ED1_A0B4_28DB)
        }
        return mix(h, 0x8EBC_6AF0_9C88_C6E3)
    }

    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

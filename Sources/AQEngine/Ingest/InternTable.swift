// A worker's dictionary of one column while it reads: strings → dense codes, in flat unsafe
// buffers that are kept and cleared between units. The table's shared `StringDictionary`
// takes the strings when the segment joins the table.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Distinct strings and their codes `0..<count`; code 0 is the empty string (NULL's code).
final class InternTable {
    private(set) var count = 0
    private var bytes: UnsafeMutablePointer<UInt8>
    private var byteCount = 0
    private var byteCapacity: Int
    /// `offsets[c] ..< offsets[c + 1]` are the bytes of code c.
    private var offsets: UnsafeMutablePointer<Int>
    private var hashes: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    /// Open addressing, twice `capacity` wide: the high half of the string's hash above code + 1
    /// (0: empty), so that a probe compares the hash from the slot it loads, not from `hashes`.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int

    init() {
        capacity = 64
        byteCapacity = 1 << 12
        bytes = .allocate(capacity: byteCapacity)
        offsets = .allocate(capacity: capacity + 1)
        hashes = .allocate(capacity: capacity)
        slots = .allocate(capacity: capacity * 2)
        mask = capacity * 2 - 1
        clear()
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
        hashes.deallocate()
        slots.deallocate()
    }

    /// Forgets every string but the empty one (code 0), keeping the memory.
    func clear() {
        slots.update(repeating: 0, count: mask + 1)
        count = 0
        byteCount = 0
        offsets[0] = 0
        _ = code(for: Bytes(start: nil, count: 0))
    }

    @inline(__always)
    func bytes(of code: UInt32) -> Bytes {
        let c = Int(code)
        return Bytes(start: bytes + offsets[c], count: offsets[c + 1] - offsets[c])
    }

    /// The hash of code `code`'s string (`StringDictionary.hash`), for a dictionary taking it.
    @inline(__always)
    func hash(of code: UInt32) -> UInt64 { hashes[Int(code)] }

    /// The code of `p`, added when new.
    @inline(__always)
    func code(for p: Bytes) -> UInt32 { code(for: p, hash: StringDictionary.hash(p)) }

    /// `code(for:)` of a string whose hash (`StringDictionary.hash`) is known.
    @inline(__always)
    func code(for p: Bytes, hash h: UInt64) -> UInt32 {
        let n = p.count
        var i = Int(truncatingIfNeeded: h) & mask
        let tag = h & 0xFFFF_FFFF_0000_0000
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            let c = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
            if slot & 0xFFFF_FFFF_0000_0000 == tag, offsets[c + 1] - offsets[c] == n,
               n == 0 || StringDictionary.sameBytes(bytes + offsets[c], p.baseAddress!, n) {
                return UInt32(c)
            }
            i = (i + 1) & mask
        }
        return insert(p, hash: h, slot: i)
    }

    private func insert(_ p: Bytes, hash h: UInt64, slot: Int) -> UInt32 {
        let n = p.count
        if byteCount + n > byteCapacity {
            var size = byteCapacity * 2
            while size < byteCount + n { size *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
            bigger.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = bigger
            byteCapacity = size
        }
        if n > 0 { memcpy(bytes + byteCount, p.baseAddress!, n) }
        byteCount += n
        let c = count
        hashes[c] = h
        offsets[c + 1] = byteCount
        slots[slot] = InternTable.slot(hash: h, code: c)
        count += 1
        if count == capacity { grow() }
        return UInt32(c)
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newOffsets = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity + 1)
        newOffsets.update(from: offsets, count: count + 1)
        offsets.deallocate()
        offsets = newOffsets
        let newHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newHashes.update(from: hashes, count: count)
        hashes.deallocate()
        hashes = newHashes
        slots.deallocate()
        slots = .allocate(capacity: newCapacity * 2)
        slots.initialize(repeating: 0, count: newCapacity * 2)
        mask = newCapacity * 2 - 1
        capacity = newCapacity
        for c in 0..<count {
            var i = Int(truncatingIfNeeded: hashes[c]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = InternTable.slot(hash: hashes[c], code: c)
        }
    }

    @inline(__always)
    private static func slot(hash: UInt64, code: Int) -> UInt64 {
        hash & 0xFFFF_FFFF_0000_0000 | UInt64(code + 1)
    }
}

// Text columns of UUIDs (request and event ids) kept as their 16 bytes: random hex digits are
// what zstd compresses worst and slowest (about 2× at a few hundred MB/s, all of it Huffman
// coding), and 16 bytes is as small, for next to no work. Only text that comes back byte for
// byte is kept so: `8-4-4-4-12` hex digits, the letters of a chunk all lower or all upper case.

enum UUIDText {
    /// The characters of a UUID.
    static let length = 36

    /// Where each of a UUID's 16 bytes has its two hex digits.
    private static let digitPairs: [Int] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]
    /// Per byte: the value of the hex digit it is, with 0x10 set for a lower-case letter and
    /// 0x20 for an upper-case one; 0x40 for a byte that is no hex digit.
    private static let digitValues: [UInt8] = (0..<256).map { b -> UInt8 in
        switch UInt8(b) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt8(b) - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return (UInt8(b) - 87) | 0x10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return (UInt8(b) - 55) | 0x20
        default: return 0x40
        }
    }
    /// Per byte value: its two hex digits, lower and upper case, as a UInt16 whose bytes in
    /// memory are the two digits in order.
    private static let digitsOf: [[UInt16]] = ["0123456789abcdef", "0123456789ABCDEF"].map { digits in
        let d = Array(digits.utf8)
        return (0..<256).map { UInt16(littleEndian: UInt16(d[$0 >> 4]) | UInt16(d[$0 & 0x0F]) << 8) }
    }

    /// The 16 bytes of each UUID record in order, then a bit per record (least significant
    /// first) set for the records that are UUIDs (the others are empty): the bytes
    /// `PackedText` keeps for `recordCount` records laid out as `plain` (their bytes, then their
    /// lengths as little-endian UInt32). nil unless some record is a UUID and every other is
    /// empty, and the letters of all are of one case.
    static func encode(_ plain: UnsafeRawBufferPointer, recordCount n: Int) -> (bytes: [UInt8], upper: Bool)? {
        guard n > 0, let base = plain.baseAddress, plain.count >= 4 * n else { return nil }
        let lengths = plain.count - 4 * n
        // Each UUID takes 36 bytes of the text: their count is known before reading them.
        guard lengths % length == 0, lengths > 0 else { return nil }
        let present = lengths / length
        let mapSize = (n + 7) / 8
        // The digits' flags, or-ed over every record (0x40: a byte that is no digit).
        var flags: UInt8 = 0
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: 16 * present + mapSize) { out, initialized in
            initialized = 0
            guard let o = out.baseAddress else { failed = true; return }
            o.initialize(repeating: 0, count: out.count)
            initialized = out.count
            let map = o + 16 * present
            var at = 0
            var next = o
            digitValues.withUnsafeBufferPointer { values in
                digitPairs.withUnsafeBufferPointer { pairs in
                    for r in 0..<n {
                        let count = Int(UInt32(littleEndian: plain.loadUnaligned(fromByteOffset: lengths + 4 * r, as: UInt32.self)))
                        if count == 0 { continue }
                        guard count == length, at + length <= lengths else { failed = true; return }
                        let text = base.assumingMemoryBound(to: UInt8.self) + at
                        guard text[8] == 0x2D, text[13] == 0x2D, text[18] == 0x2D, text[23] == 0x2D else {
                            failed = true
                            return
                        }
                        for j in 0..<16 {
                            let high = values[Int(text[pairs[j]])]
                            let low = values[Int(text[pairs[j] + 1])]
                            flags |= high | low
                            next[j] = high << 4 | low & 0x0F
                        }
                        map[r / 8] |= 1 << UInt8(r % 8)
                        next += 16
                        at += length
                    }
                }
            }
            if at != lengths || flags & 0x40 != 0 || flags & 0x30 == 0x30 { failed = true }
        }
        return failed ? nil : (bytes, flags & 0x20 != 0)
    }

    /// How many of `n` records `bytes` (as `encode` makes them) hold a UUID; nil when the
    /// bytes are not the size `encode` makes for that many.
    static func count(_ bytes: [UInt8], recordCount n: Int) -> Int? {
        let mapSize = (n + 7) / 8
        guard n >= 0, bytes.count >= mapSize else { return nil }
        var present = 0
        for b in bytes[(bytes.count - mapSize)...] { present += b.nonzeroBitCount }
        // (Bits past the last record are never set.)
        guard bytes.count == 16 * present + mapSize, n % 8 == 0 || bytes[bytes.count - 1] >> UInt8(n % 8) == 0 else {
            return nil
        }
        return present
    }

    /// The records of `bytes` (as `encode` makes them): each UUID in the case given, the other
    /// records empty; nil when the bytes are not the size `encode` makes.
    static func decode(_ bytes: [UInt8], recordCount n: Int, upper: Bool) -> StringHeap? {
        guard let present = count(bytes, recordCount: n) else { return nil }
        let map = 16 * present
        var offsets = [UInt32](repeating: 0, count: n + 1)
        let text = [UInt8](unsafeUninitializedCapacity: present * length) { out, initialized in
            guard let o = UnsafeMutableRawPointer(out.baseAddress) else { initialized = 0; return }
            var at = 0
            var next = 0
            digitsOf[upper ? 1 : 0].withUnsafeBufferPointer { digits in
                digitPairs.withUnsafeBufferPointer { pairs in
                    for r in 0..<n {
                        if bytes[map + r / 8] & (1 << UInt8(r % 8)) != 0 {
                            for j in 0..<16 {
                                o.storeBytes(of: digits[Int(bytes[next + j])], toByteOffset: at + pairs[j], as: UInt16.self)
                            }
                            o.storeBytes(of: 0x2D, toByteOffset: at + 8, as: UInt8.self)
                            o.storeBytes(of: 0x2D, toByteOffset: at + 13, as: UInt8.self)
                            o.storeBytes(of: 0x2D, toByteOffset: at + 18, as: UInt8.self)
                            o.storeBytes(of: 0x2D, toByteOffset: at + 23, as: UInt8.self)
                            at += length
                            next += 16
                        }
                        offsets[r + 1] = UInt32(truncatingIfNeeded: at)
                    }
                }
            }
            initialized = at
        }
        return StringHeap(bytes: text, offsets: offsets)
    }
}

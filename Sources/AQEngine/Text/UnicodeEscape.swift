// The pieces of a JSON `\u` escape that both JSON decoders share (the readers' lenient
// `JSONText.unescape` and the JSON functions' strict `JSONReader.decodeString`): the code point
// of an escape, surrogate pairs joined, and a code point written as UTF-8. Shared, so that the
// two give the same bytes for every escape both accept (a column may take the code the path
// walk interned with the second for the text the first decodes).

enum UnicodeEscape {
    /// The value of the four hex digits at `p[i..<i + 4]`, read no further than `end`; nil
    /// when there are not four hex digits there.
    @inline(__always)
    static func hex4(_ p: UnsafeRawBufferPointer, _ i: Int, end: Int) -> UInt32? {
        guard i + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i + k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// The code point of the `\u` escape whose four hex digits start at `p[i]` (read no further
    /// than `end`), with the bytes it takes from `i`: a surrogate pair (`\uD83D\uDE00`) is
    /// joined, a surrogate left alone is U+FFFD. Nil when there are not four hex digits.
    @inline(__always)
    static func codePoint(_ p: UnsafeRawBufferPointer, _ i: Int, end: Int) -> (code: UInt32, length: Int)? {
        guard let high = hex4(p, i, end: end) else { return nil }
        if high >= 0xD800, high < 0xDC00, i + 10 <= end, p[i + 4] == 0x5C, p[i + 5] == 0x75,
           let low = hex4(p, i + 6, end: end), low >= 0xDC00, low < 0xE000 {
            return (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), 10)
        }
        return (high >= 0xD800 && high < 0xE000 ? 0xFFFD : high, 4)
    }

    /// Writes `code` as UTF-8 at `p` (at most 4 bytes; never more than the 6 of its escape);
    /// returns how many bytes.
    @inline(__always)
    static func encodeUTF8(_ code: UInt32, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        if code < 0x80 { p[0] = UInt8(code); return 1 }
        if code < 0x800 {
            p[0] = UInt8(0xC0 | (code >> 6)); p[1] = UInt8(0x80 | (code & 0x3F)); return 2
        }
        if code < 0x10000 {
            p[0] = UInt8(0xE0 | (code >> 12)); p[1] = UInt8(0x80 | ((code >> 6) & 0x3F))
            p[2] = UInt8(0x80 | (code & 0x3F)); return 3
        }
        p[0] = UInt8(0xF0 | (code >> 18)); p[1] = UInt8(0x80 | ((code >> 12) & 0x3F))
        p[2] = UInt8(0x80 | ((code >> 6) & 0x3F)); p[3] = UInt8(0x80 | (code & 0x3F))
        return 4
    }
}

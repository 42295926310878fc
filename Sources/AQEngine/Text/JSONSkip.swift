// Skipping JSON over bytes without building anything: whitespace, a string, a literal, a
// number, a whole value, either strictly (its syntax checked) or fast (strings must end and
// brackets match). The one JSON skipper of the log readers, casts and the JSON functions.

import CScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum JSONSkip {
    /// Deeper nesting than this is refused by the strict skipper (it recurses).
    static let maxDepth = 512

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// Skips whitespace at `i`. A byte above 0x20 (the next token of JSON written without
    /// spaces, the common case) ends it with one comparison instead of four.
    @inline(__always)
    static func skipSpace(_ p: Bytes, _ i: inout Int) {
        while i < p.count, p[i] <= 0x20, isSpace(p[i]) { i += 1 }
    }

    // MARK: Strict

    /// Skips one value starting at `i` (no leading whitespace), checking its syntax.
    static func skipValue(_ p: Bytes, _ i: inout Int, depth: Int) -> Bool {
        guard i < p.count, depth < maxDepth else { return false }
        switch p[i] {
        case 0x22:
            return skipString(p, &i)
        case 0x7B:
            i += 1
            skipSpace(p, &i)
            if i < p.count, p[i] == 0x7D { i += 1; return true }
            while true {
                guard i < p.count, p[i] == 0x22, skipString(p, &i) else { return false }
                skipSpace(p, &i)
                guard i < p.count, p[i] == 0x3A else { return false }
                i += 1
                skipSpace(p, &i)
                guard skipValue(p, &i, depth: depth + 1) else { return false }
                skipSpace(p, &i)
                guard i < p.count else { return false }
                if p[i] == 0x2C { i += 1; skipSpace(p, &i); continue }
                if p[i] == 0x7D { i += 1; return true }
                return false
            }
        case 0x5B:
            i += 1
            skipSpace(p, &i)
            if i < p.count, p[i] == 0x5D { i += 1; return true }
            while true {
                guard skipValue(p, &i, depth: depth + 1) else { return false }
                skipSpace(p, &i)
                guard i < p.count else { return false }
                if p[i] == 0x2C { i += 1; skipSpace(p, &i); continue }
                if p[i] == 0x5D { i += 1; return true }
                return false
            }
        case 0x74: return skipWord(p, &i, "true")
        case 0x66: return skipWord(p, &i, "false")
        case 0x6E: return skipWord(p, &i, "null")
        default: return skipNumber(p, &i)
        }
    }

    @inline(__always)
    static func skipWord(_ p: Bytes, _ i: inout Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count, memcmp(p.baseAddress! + i, word.utf8Start, n) == 0 else { return false }
        i += n
        return true
    }

    /// `-? digits (. digits)? ([eE] [+-]? digits)?`, as JSON writes numbers.
    static func skipNumber(_ p: Bytes, _ i: inout Int) -> Bool {
        let start = i
        if i < p.count, p[i] == 0x2D { i += 1 }
        var digits = 0
        while i < p.count, p[i] &- 0x30 < 10 { i += 1; digits += 1 }
        guard digits > 0 else { i = start; return false }
        if i < p.count, p[i] == 0x2E {
            i += 1
            var f = 0
            while i < p.count, p[i] &- 0x30 < 10 { i += 1; f += 1 }
            guard f > 0 else { return false }
        }
        if i < p.count, p[i] | 0x20 == 0x65 {
            i += 1
            if i < p.count, p[i] == 0x2D || p[i] == 0x2B { i += 1 }
            var e = 0
            while i < p.count, p[i] &- 0x30 < 10 { i += 1; e += 1 }
            guard e > 0 else { return false }
        }
        return true
    }

    /// Skips a string starting at its opening quote, refusing raw control characters.
    @inline(__always)
    static func skipString(_ p: Bytes, _ i: inout Int) -> Bool {
        var escaped = false
        return scanString(p, &i, strict: true, escaped: &escaped)
    }

    /// Skips a string starting at its opening quote in one pass, setting `escaped` when it
    /// holds a backslash; `strict` refuses raw control characters. Sixteen bytes are tested at
    /// a time for a quote, a backslash or (strict) a control byte (SSE2, `CScan`; elsewhere
    /// eight, as a word), and the scan jumps to the first such byte, so plain text costs well
    /// under an instruction a byte and a short string a test or two.
    @inline(__always)
    static func scanString(_ p: Bytes, _ i: inout Int, strict: Bool, escaped: inout Bool) -> Bool {
        guard let base = p.baseAddress else { return false }
        let n = p.count
        i += 1
        while true {
            if AQ_SCAN16 != 0, i + 16 <= n {
                let found = aq_string_stops16(base + i, strict ? 1 : 0)
                if found == 0 {
                    i += 16
                    continue
                }
                i += found.trailingZeroBitCount
            } else if i + 8 <= n {
                let found = specialBytes(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)), strict: strict)
                if found == 0 {
                    i += 8
                    continue
                }
                i += found.trailingZeroBitCount >> 3
            }
            guard i < n else { return false }
            let c = p[i]
            if c == 0x22 { i += 1; return true }
            if c == 0x5C { escaped = true; i += 2; continue }
            if strict, c < 0x20 { return false }
            i += 1
        }
    }

    /// The high bit of each of the eight bytes of `x` (first byte lowest) that is a quote, a
    /// backslash or (`strict`) below 0x20: the "some byte is zero / less than n" tests of bit
    /// twiddling. Bytes above a flagged one may be flagged wrongly (a borrow runs on), the
    /// lowest flagged one never is.
    @inline(__always)
    private static func specialBytes(_ x: UInt64, strict: Bool) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let q = x ^ (ones &* 0x22)
        let b = x ^ (ones &* 0x5C)
        var found = ((q &- ones) & ~q) | ((b &- ones) & ~b)
        if strict { found |= (x &- ones &* 0x20) & ~x }
        return found & high
    }

    // MARK: Fast

    /// The index of the quote that closes a string whose text starts at `from`, or -1.
    @inline(__always)
    static func stringEnd(_ p: Bytes, _ from: Int) -> Int {
        guard let base = p.baseAddress else { return -1 }
        var i = from
        while i < p.count {
            guard let q = memchr(base + i, 0x22, p.count - i) else { return -1 }
            let qi = UnsafeRawPointer(q) - base
            // A quote preceded by an odd number of backslashes is escaped.
            var k = qi - 1
            while k >= from, p[k] == 0x5C { k -= 1 }
            if (qi - 1 - k) & 1 == 0 { return qi }
            i = qi + 1
        }
        return -1
    }

    /// Skips a string starting at its opening quote, without checking its content. Its first
    /// 32 bytes are tested in line for a quote or a backslash (two blocks of sixteen, or four
    /// words: most keys and values end there, and a `memchr` call costs more than they do);
    /// the rest of a longer string is searched by `memchr`.
    @inline(__always)
    static func skipStringFast(_ p: Bytes, _ i: inout Int) -> Bool {
        guard let base = p.baseAddress else { return false }
        let n = p.count
        var k = i + 1
        let step = AQ_SCAN16 != 0 ? 16 : 8
        var tested = 0
        while tested < 32, k + step <= n {
            tested += step
            let found: Int
            if AQ_SCAN16 != 0 {
                found = Int(aq_string_stops16(base + k, 0))
            } else {
                found = Int(truncatingIfNeeded: specialBytes(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: k, as: UInt64.self)),
                                                             strict: false) >> 7)
            }
            if found == 0 {
                k += step
                continue
            }
            // A block's bit k, or a word's bit 8k (the high bits shifted down by 7).
            k += AQ_SCAN16 != 0 ? found.trailingZeroBitCount : found.trailingZeroBitCount >> 3
            if base.load(fromByteOffset: k, as: UInt8.self) == 0x22 {
                i = k + 1
                return true
            }
            // A backslash and the byte it escapes.
            k += 2
        }
        let e = stringEnd(p, min(k, n))
        guard e >= 0 else { return false }
        i = e + 1
        return true
    }

    /// Skips one value fast: strings by their quotes, containers by their brackets (which
    /// must match), literals by their words and numbers by their characters. No recursion,
    /// so no depth limit is needed.
    static func skipFast(_ p: Bytes, _ i: inout Int) -> Bool {
        let n = p.count
        guard i < n else { return false }
        switch p[i] {
        case 0x22: return skipStringFast(p, &i)
        case 0x7B, 0x5B: return skipContainer(p, &i)
        case 0x74: return skipWord(p, &i, "true")
        case 0x66: return skipWord(p, &i, "false")
        case 0x6E: return skipWord(p, &i, "null")
        case 0x2D, 0x30...0x39:
            i += 1
            while i < n {
                let c = p[i]
                guard c &- 0x30 < 10 || c == 0x2E || c | 0x20 == 0x65 || c == 0x2B || c == 0x2D else { break }
                i += 1
            }
            return true
        default:
            return false
        }
    }

    /// Skips an object or array starting at `i` (`{` or `[`), checking that brackets match
    /// and strings end. Other bytes between tokens are not checked one by one: where `CScan`
    /// can, 64 bytes without a backslash are read as masks (the bytes inside strings are those
    /// after an odd number of quotes, so only the brackets outside them are looked at), and
    /// other text is passed over sixteen bytes at a time.
    static func skipContainer(_ p: Bytes, _ i: inout Int) -> Bool {
        let n = p.count
        var depth = 0
        // Bit k tells whether the container open at depth k is an object; deeper ones spill.
        var objects: UInt64 = 0
        var deeper: [Bool] = []
        // The bracket `c`: 0 to go on, 1 when it closes the container, -1 when it does not match.
        @inline(__always) func bracket(_ c: UInt8) -> Int {
            if c == 0x7B || c == 0x5B {
                let isObject = c == 0x7B
                if depth < 64 {
                    objects = isObject ? objects | 1 << depth : objects & ~(1 << depth)
                } else {
                    deeper.append(isObject)
                }
                depth += 1
                return 0
            }
            guard depth > 0 else { return -1 }
            depth -= 1
            let wasObject = depth < 64 ? objects >> depth & 1 == 1 : deeper.removeLast()
            guard wasObject == (c == 0x7D) else { return -1 }
            return depth == 0 ? 1 : 0
        }
        // Bytes before this are read one token at a time (a block there held a backslash).
        var tokensUntil = 0
        // The quote that opened the string the last block ended in, or -1.
        var openQuote = -1
        while i < n {
            // A block starts outside any string, at the quote that opens one, or inside the
            // string that `openQuote` opened.
            if AQ_SCAN16 != 0, i >= tokensUntil, i + 64 <= n, let base = p.baseAddress {
                var quotes: UInt64 = 0
                var backslashes: UInt64 = 0
                var brackets: UInt64 = 0
                aq_json_masks64(base + i, &quotes, &backslashes, &brackets)
                if backslashes == 0 {
                    var inside = quotes
                    inside ^= inside << 1
                    inside ^= inside << 2
                    inside ^= inside << 4
                    inside ^= inside << 8
                    inside ^= inside << 16
                    inside ^= inside << 32
                    if openQuote >= 0 { inside = ~inside }
                    var outside = brackets & ~inside
                    while outside != 0 {
                        let k = outside.trailingZeroBitCount
                        switch bracket(p[i + k]) {
                        case -1: return false
                        case 1:
                            i += k + 1
                            return true
                        default: outside &= outside - 1
                        }
                    }
                    // Whether the block ends inside a string, and where that string opened.
                    if inside >> 63 == 1 {
                        if quotes != 0 { openQuote = i + 63 - quotes.leadingZeroBitCount }
                    } else {
                        openQuote = -1
                    }
                    i += 64
                    continue
                }
                tokensUntil = i + 64
                if openQuote >= 0 {
                    // A backslash in a string the blocks were reading: read from its quote.
                    i = openQuote
                    openQuote = -1
                }
            }
            if openQuote >= 0 {
                // Fewer than 64 bytes are left after a block that ended inside a string.
                i = openQuote
                openQuote = -1
            }
            // Other bytes are passed over sixteen at a time where `CScan` can.
            if AQ_SCAN16 != 0, i + 16 <= n, let base = p.baseAddress {
                let found = aq_container_stops16(base + i)
                if found == 0 {
                    i += 16
                    continue
                }
                i += found.trailingZeroBitCount
            }
            let c = p[i]
            if c == 0x22 {
                guard skipStringFast(p, &i) else { return false }
                continue
            }
            if c == 0x7B || c == 0x5B || c == 0x7D || c == 0x5D {
                switch bracket(c) {
                case -1: return false
                case 1:
                    i += 1
                    return true
                default: break
                }
            }
            i += 1
        }
        return false
    }
}

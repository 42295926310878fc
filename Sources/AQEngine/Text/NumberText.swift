// Decimal numbers read from bytes: `[+-]digits` as an Int64, `[+-]digits[.digits][e[+-]digits]`
// (and, where asked, inf / infinity / nan) as a Double. The one number reader of casts, table
// files and log fields; nothing is allocated for a number under 400 bytes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum NumberText {
    /// `[+-]digits` and nothing else; nil on anything else or overflow (Int64.min reads back).
    static func integer(_ s: Bytes) -> Int64? {
        var i = 0
        var negative = false
        if i < s.count, s[i] == 0x2D || s[i] == 0x2B {
            negative = s[i] == 0x2D
            i += 1
        }
        guard i < s.count else { return nil }
        var v: Int64 = 0
        while i < s.count {
            let d = s[i] &- 0x30
            guard d < 10 else { return nil }
            // Accumulate negatively so that Int64.min reads back.
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.subtractingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = r
            i += 1
        }
        if negative { return v }
        return v == .min ? nil : -v
    }

    /// A decimal number (`1.5`, `.5`, `5.`, `1e3`, `-2E-4`) and nothing else; with `special`,
    /// also `inf`, `infinity` and `nan` in any case, signed or not.
    static func double(_ s: Bytes, special: Bool = false) -> Double? {
        let n = s.count
        guard n > 0, n < 400 else { return nil }
        var i = 0
        if s[0] == 0x2D || s[0] == 0x2B { i = 1 }
        if special, i < n, s[i] | 0x20 == 0x69 || s[i] | 0x20 == 0x6E {
            let word = ByteText.slice(s, i, n)
            if isWord(word, "nan") { return .nan }
            guard isWord(word, "inf") || isWord(word, "infinity") else { return nil }
            return s[0] == 0x2D ? -.infinity : .infinity
        }
        var digits = 0
        while i < n, s[i] &- 0x30 < 10 { i += 1; digits += 1 }
        if i < n, s[i] == 0x2E {
            i += 1
            while i < n, s[i] &- 0x30 < 10 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < n, s[i] | 0x20 == 0x65 {
            i += 1
            if i < n, s[i] == 0x2B || s[i] == 0x2D { i += 1 }
            var exponent = 0
            while i < n, s[i] &- 0x30 < 10 { i += 1; exponent += 1 }
            guard exponent > 0 else { return nil }
        }
        guard i == n else { return nil }
        // strtod needs a terminated copy; the digits are checked, so it reads all of them.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { text in
            for k in 0..<n { text[k] = CChar(bitPattern: s[k]) }
            text[n] = 0
            return strtod(text.baseAddress!, nil)
        }
    }

    /// True when `p`, ASCII-lowercased, is `word` (lower case).
    private static func isWord(_ p: Bytes, _ word: StaticString) -> Bool {
        guard p.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<p.count where p[k] | 0x20 != w[k] { return false }
        return true
    }
}

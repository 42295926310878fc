// Small operations on UTF-8 text held as byte spans (no String per value): comparison with
// literals, searching, slicing, and integer parsing, for the log readers and the functions.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

typealias Bytes = UnsafeRawBufferPointer

enum ByteText {
    @inline(__always)
    static func equals(_ p: Bytes?, _ s: StaticString) -> Bool {
        guard let p else { return false }
        let n = s.utf8CodeUnitCount
        return p.count == n && memcmp(p.baseAddress!, s.utf8Start, n) == 0
    }

    @inline(__always)
    static func equals(_ a: Bytes, _ b: Bytes) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    @inline(__always)
    static func hasPrefix(_ p: Bytes?, _ s: StaticString) -> Bool {
        guard let p else { return false }
        let n = s.utf8CodeUnitCount
        return p.count >= n && memcmp(p.baseAddress!, s.utf8Start, n) == 0
    }

    @inline(__always)
    static func hasPrefix(_ p: Bytes, _ prefix: Bytes) -> Bool {
        p.count >= prefix.count && (prefix.count == 0 || memcmp(p.baseAddress!, prefix.baseAddress!, prefix.count) == 0)
    }

    /// True when `p`, ASCII-lowercased and without surrounding spaces, equals `s` (lower case).
    static func equalsFolded(_ p: Bytes?, _ s: StaticString) -> Bool {
        guard let p else { return false }
        let t = trimmed(p)
        let n = s.utf8CodeUnitCount
        guard t.count == n else { return false }
        let q = s.utf8Start
        for i in 0..<n {
            var c = t[i]
            if c >= 0x41, c <= 0x5A { c += 0x20 }
            if c != q[i] { return false }
        }
        return true
    }

    static func trimmed(_ p: Bytes) -> Bytes {
        var lo = 0
        var hi = p.count
        while lo < hi, p[lo] == 0x20 || p[lo] == 0x09 { lo += 1 }
        while hi > lo, p[hi - 1] == 0x20 || p[hi - 1] == 0x09 { hi -= 1 }
        return slice(p, lo, hi)
    }

    @inline(__always)
    static func slice(_ p: Bytes, _ from: Int, _ to: Int) -> Bytes {
        Bytes(start: p.baseAddress.map { $0 + from }, count: to - from)
    }

    /// The text from `from` to the end, or nil when that is empty.
    @inline(__always)
    static func suffix(_ p: Bytes, from: Int) -> Bytes? {
        from < p.count ? slice(p, from, p.count) : nil
    }

    @inline(__always)
    static func firstIndex(_ p: Bytes, _ c: UInt8) -> Int? {
        guard p.count > 0, let q = memchr(p.baseAddress!, Int32(c), p.count) else { return nil }
        return UnsafeRawPointer(q) - p.baseAddress!
    }

    @inline(__always)
    static func lastIndex(_ p: Bytes, _ c: UInt8) -> Int? {
        var i = p.count - 1
        while i >= 0 {
            if p[i] == c { return i }
            i -= 1
        }
        return nil
    }

    @inline(__always)
    static func contains(_ p: Bytes, _ c: UInt8) -> Bool { firstIndex(p, c) != nil }

    /// A decimal integer with optional surrounding spaces and sign; nil otherwise or on overflow.
    static func integer(_ p: Bytes?) -> Int64? {
        guard let p else { return nil }
        return NumberText.integer(trimmed(p))
    }

    /// The namespace of a repository path: its first segment, when there are several.
    @inline(__always)
    static func namespace(ofRepository repo: Bytes?) -> Bytes? {
        guard let repo, let slash = firstIndex(repo, 0x2F), slash > 0 else { return nil }
        return slice(repo, 0, slash)
    }

    static func string(_ p: Bytes) -> String { String(decoding: p, as: UTF8.self) }

    /// A value for a message: at most 40 bytes, quoted.
    static func quoted(_ p: Bytes) -> String {
        let shown = p.count > 40 ? string(slice(p, 0, 40)) + "…" : string(p)
        return "'" + shown + "'"
    }
}

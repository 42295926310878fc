// How values of each type order, as DuckDB orders them: numbers numerically (NaN above
// every other DOUBLE), strings by their UTF-8 bytes, intervals by their length with a
// month of 30 days, false before true. Used by min/max, arg_min/arg_max, sorts and top-N.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ValueOrder {
    @inline(__always)
    static func less(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return a < b
    }

    /// Byte-wise comparison: negative, zero or positive.
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = Swift.min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    /// The length of an interval in nanoseconds, a month counted as 30 days.
    @inline(__always)
    static func length(_ x: Interval) -> Int128 {
        (Int128(x.months) * 30 + Int128(x.days)) * Int128(TimeMath.nanosPerDay) + Int128(x.nanoseconds)
    }

    @inline(__always)
    static func less(_ a: Interval, _ b: Interval) -> Bool { length(a) < length(b) }

    /// An unsigned word whose order is the order of the DOUBLE (for sort keys).
    @inline(__always)
    static func orderedWord(_ x: Double) -> UInt64 {
        if x.isNaN { return UInt64.max }
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// An unsigned word whose order is the order of the signed integer.
    @inline(__always)
    static func orderedWord(_ x: Int64) -> UInt64 { UInt64(bitPattern: x) ^ (1 << 63) }

    /// The first eight bytes of a string, big-endian, zero-padded: comparing these words
    /// orders strings by their first eight bytes.
    @inline(__always)
    static func prefixWord(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var w: UInt64 = 0
        let n = Swift.min(8, p.count)
        for i in 0..<n { w |= UInt64(p[i]) << UInt64(56 - 8 * i) }
        return w
    }
}

extension ValueOrder {
    /// Boxed values of one type compared (for LIST sort keys, which are rare): negative,
    /// zero or positive. Lists compare element by element, a NULL element after any value,
    /// a list before a longer one it starts.
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.boolean(let x), .boolean(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.integer(let x), .integer(let y)), (.date(let x), .date(let y)), (.timestamp(let x), .timestamp(let y)):
            return x < y ? -1 : (x > y ? 1 : 0)
        case (.double(let x), .double(let y)):
            return less(x, y) ? -1 : (less(y, x) ? 1 : 0)
        case (.interval(let x), .interval(let y)):
            let l = length(x), r = length(y)
            return l < r ? -1 : (l > r ? 1 : 0)
        case (.list(let x, _), .list(let y, _)):
            for (p, q) in zip(x, y) {
                let c = compare(p, q)
                if c != 0 { return c }
            }
            return x.count - y.count
        default:
            let x = Array((formatted(a) ?? "").utf8), y = Array((formatted(b) ?? "").utf8)
            return x.withUnsafeBytes { p in y.withUnsafeBytes { q in compare(p, q) } }
        }
    }
}

// The canonical text of a value, as DuckDB prints it: what a cast to VARCHAR gives and what
// the shell shows. Integers plain; doubles in the shortest form that reads back exactly
// (`0.1`, `1e+20`, `1000000000000000.0`, `inf`, `nan`); booleans `true`/`false`; timestamps
// `2024-04-12 08:58:30.5`; dates `2024-04-12`; intervals `1 day 02:00:00`; strings as they are;
// lists `[1, 2]`, `[a, NULL]`.

extension Value {
    /// The text of the value; nil for NULL.
    public var text: String? { formatted(self) }
}

/// The canonical text of `value`, or nil for NULL.
public func formatted(_ value: Value) -> String? {
    switch value {
    case .null: return nil
    case .boolean(let b): return b ? "true" : "false"
    case .integer(let x): return String(x)
    case .double(let d): return ValueFormat.double(d)
    case .varchar(let s), .json(let s): return s
    case .date(let d): return TimeMath.formatDate(d)
    case .timestamp(let t): return TimeMath.formatTimestamp(t)
    case .interval(let v): return TimeMath.formatInterval(v)
    case .list(let elements, _):
        // As DuckDB casts a list to VARCHAR: `[1, 2]`, `[a, NULL]`, `[[x]]`.
        return "[" + elements.map { formatted($0) ?? "NULL" }.joined(separator: ", ") + "]"
    }
}


public enum ValueFormat {
    /// A DOUBLE as DuckDB prints it. Swift's shortest round-trip form already has DuckDB's
    /// shape (fixed notation for exponents -4…15, else `1e+20`, `1.5e-07`), and DuckDB
    /// spells the special values `inf`, `-inf`, `nan`, `-nan` (sqrt(-1)) as Swift does.
    public static func double(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        return d.description
    }

    /// Appends the decimal digits of `x` to `out` (no String made).
    @inline(__always)
    static func appendInteger(_ x: Int64, to out: inout [UInt8]) {
        if x == 0 { out.append(UInt8(ascii: "0")); return }
        var m = x.magnitude
        if x < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // scratch for up to 24 digits
        withUnsafeMutableBytes(of: &digits) { buf in
            var k = 0
            while m > 0 {
                buf[k] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
                k += 1
            }
            while k > 0 { k -= 1; out.append(buf[k]) }
        }
    }
}

// Calendar arithmetic, and reading and writing times without Foundation: the civil-date
// algorithms of H. Hinnant ("chrono-compatible low-level date algorithms"), exact for
// the proleptic Gregorian calendar. Used by casts, literals, functions and the log readers.

public enum TimeMath {
    public static let nanosPerSecond: Int64 = 1_000_000_000
    public static let nanosPerDay: Int64 = 86_400 * 1_000_000_000

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    @inlinable
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (days since 1970-01-01).
    @inlinable
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    @inlinable
    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Floor division, for splitting nanoseconds into days before 1970 correctly.
    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    // MARK: Reading

    /// Reads `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.f…]]`,
    /// optionally followed by `Z`, `UTC`, or an offset `±HH`, `±HH:MM`, `±HHMM` (spaces before
    /// the zone are allowed). Without a zone the time is UTC. Returns UTC nanoseconds, or nil
    /// when the text is not such a time or a field is out of range (hour 24, second 60,
    /// day 31 of a 30-day month, more than 9 fraction digits).
    public static func parseTimestamp(_ p: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        let n = p.count
        @inline(__always) func digit(_ k: Int) -> Int64? {
            guard k < n else { return nil }
            let c = p[k] &- 48
            return c < 10 ? Int64(c) : nil
        }
        @inline(__always) func number(_ count: Int) -> Int64? {
            var v: Int64 = 0
            for k in 0..<count { guard let d = digit(i + k) else { return nil }; v = v * 10 + d }
            i += count
            return v
        }
        // Year: 4 digits (a leading '-' or more digits are not accepted).
        guard let year = number(4) else { return nil }
        guard i < n, p[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let month = number(2), i < n, p[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let day = number(2) else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        // Years outside about 1677…2262 do not fit in nanoseconds: not a timestamp.
        let (dayNanos, dayOverflow) = daysFromCivil(year: year, month: month, day: day).multipliedReportingOverflow(by: nanosPerDay)
        if dayOverflow { return nil }
        var nanos = dayNanos
        if i == n { return nanos }
        guard p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        guard let hour = number(2), i < n, p[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let minute = number(2) else { return nil }
        var second: Int64 = 0
        if i < n, p[i] == UInt8(ascii: ":") {
            i += 1
            guard let s = number(2) else { return nil }
            second = s
        }
        guard hour < 24, minute < 60, second < 60 else { return nil }
        let (withTime, timeOverflow) = nanos.addingReportingOverflow((hour * 3600 + minute * 60 + second) * nanosPerSecond)
        if timeOverflow { return nil }
        nanos = withTime
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            var fraction: Int64 = 0
            var digits = 0
            while let d = digit(i) {
                digits += 1
                guard digits <= 9 else { return nil }
                fraction = fraction * 10 + d
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { fraction *= 10 }
            let (withFraction, fractionOverflow) = nanos.addingReportingOverflow(fraction)
            if fractionOverflow { return nil }
            nanos = withFraction
        }
        while i < n, p[i] == UInt8(ascii: " ") { i += 1 }
        if i == n { return nanos }
        let c = p[i]
        if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
            return i + 1 == n ? nanos : nil
        }
        if c == UInt8(ascii: "U"), n - i == 3, p[i + 1] == UInt8(ascii: "T"), p[i + 2] == UInt8(ascii: "C") {
            return nanos
        }
        guard c == UInt8(ascii: "+") || c == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let offsetHours = number(2) else { return nil }
        var offsetMinutes: Int64 = 0
        if i < n {
            if p[i] == UInt8(ascii: ":") { i += 1 }
            guard let m = number(2) else { return nil }
            offsetMinutes = m
        }
        guard i == n, offsetHours < 24, offsetMinutes < 60 else { return nil }
        let offset = (offsetHours * 3600 + offsetMinutes * 60) * nanosPerSecond
        let (utc, offsetOverflow) = c == UInt8(ascii: "+") ? nanos.subtractingReportingOverflow(offset)
                                                          : nanos.addingReportingOverflow(offset)
        return offsetOverflow ? nil : utc
    }

    public static func parseTimestamp(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseTimestamp(UnsafeRawBufferPointer($0)) }
    }

    /// Reads `YYYY-MM-DD` as a day number.
    public static func parseDate(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseDays(UnsafeRawBufferPointer($0)) }
    }

    /// Reads the day of `YYYY-MM-DD`, optionally followed by a time and zone as in
    /// `parseTimestamp` (a zone can move the day). Any year 0000…9999 is accepted, also
    /// those whose timestamps do not fit in nanoseconds.
    public static func parseDays(_ p: UnsafeRawBufferPointer) -> Int64? {
        guard p.count >= 10 else { return nil }
        var fields: [Int64] = []
        for (start, width) in [(0, 4), (5, 2), (8, 2)] {
            var v: Int64 = 0
            for k in start..<(start + width) {
                let c = p[k] &- 48
                guard c < 10 else { return nil }
                v = v * 10 + Int64(c)
            }
            fields.append(v)
        }
        guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-") else { return nil }
        let (year, month, day) = (fields[0], fields[1], fields[2])
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if p.count == 10 { return days }
        // Read the time and zone on 1970-01-01 and carry the day shift a zone may cause.
        var rest: [UInt8] = Array("1970-01-01".utf8)
        rest.append(contentsOf: p[10...])
        guard let ns = rest.withUnsafeBytes({ parseTimestamp($0) }) else { return nil }
        return days + floorDiv(ns, nanosPerDay)
    }

    // MARK: Writing

    /// DuckDB's `infinity` and `-infinity` TIMESTAMPs (nanoseconds) and DATEs (days, far
    /// beyond any real date but small enough for day arithmetic not to overflow): later, or
    /// earlier, than every other value. Casts from text make them.
    public static let infinity = Int64.max
    public static let negativeInfinity = -Int64.max
    public static let dateInfinity = Int64(Int32.max)
    public static let dateNegativeInfinity = -Int64(Int32.max)

    /// Whether a TIMESTAMP (or, with `date`, a DATE) is `infinity` or `-infinity`.
    @inline(__always)
    public static func isInfinite(_ v: Int64, date: Bool = false) -> Bool {
        date ? (v == dateInfinity || v == dateNegativeInfinity) : (v == infinity || v == negativeInfinity)
    }

    /// `infinity` or `-infinity` (any case) as a TIMESTAMP (or, with `date`, a DATE), or nil.
    public static func parseInfinity(_ p: UnsafeRawBufferPointer, date: Bool = false) -> Int64? {
        var bytes = Array(p)
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes.removeFirst() }
        guard bytes.count == 8, String(decoding: bytes, as: UTF8.self).lowercased() == "infinity" else { return nil }
        if date { return negative ? dateNegativeInfinity : dateInfinity }
        return negative ? negativeInfinity : infinity
    }

    /// Bytes enough for any timestamp's or date's text (`writeTimestamp`, `writeDate`).
    public static let maxTextBytes = 64

    /// `2024-04-12 08:58:30.855892463`, `2024-04-12 08:58:30.5`, `2024-04-12 08:58:30`:
    /// trailing zeros of the fraction dropped, as DuckDB prints its timestamps.
    public static func formatTimestamp(_ nanos: Int64) -> String {
        text { writeTimestamp(nanos, into: $0) }
    }

    /// `2024-04-12`; years outside 0…9999 are written with their sign or extra digits.
    public static func formatDate(_ days: Int64) -> String {
        text { writeDate(days, into: $0) }
    }

    /// The text `write` puts into a buffer of `maxTextBytes`, as one string.
    @inline(__always)
    private static func text(_ write: (UnsafeMutablePointer<UInt8>) -> Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxTextBytes) { buffer in
            guard let base = buffer.baseAddress else { return "" }
            let n = write(base)
            return String(decoding: UnsafeBufferPointer(start: base, count: n), as: UTF8.self)
        }
    }

    /// Writes `formatTimestamp(nanos)` into `out` (room for `maxTextBytes`) without making a
    /// string; returns the number of bytes. The one writer of a timestamp's text.
    public static func writeTimestamp(_ nanos: Int64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if nanos == infinity { return writeASCII("infinity", into: out) }
        if nanos == negativeInfinity { return writeASCII("-infinity", into: out) }
        let days = floorDiv(nanos, nanosPerDay)
        let within = nanos &- days &* nanosPerDay
        var n = writeDate(days, into: out)
        out[n] = UInt8(ascii: " ")
        let seconds = within / nanosPerSecond
        writeTwoDigits(seconds / 3600, into: out + n + 1)
        out[n + 3] = UInt8(ascii: ":")
        writeTwoDigits(seconds / 60 % 60, into: out + n + 4)
        out[n + 6] = UInt8(ascii: ":")
        writeTwoDigits(seconds % 60, into: out + n + 7)
        n += 9
        var fraction = within % nanosPerSecond
        if fraction != 0 {
            var width = 9
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
            out[n] = UInt8(ascii: ".")
            for k in stride(from: width, to: 0, by: -1) {
                out[n + k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10)
                fraction /= 10
            }
            n += 1 + width
        }
        return n
    }

    /// Writes `formatDate(days)` into `out` (room for `maxTextBytes`); returns the number
    /// of bytes. The one writer of a date's text.
    public static func writeDate(_ days: Int64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if days == dateInfinity { return writeASCII("infinity", into: out) }
        if days == dateNegativeInfinity { return writeASCII("-infinity", into: out) }
        let (y, m, d) = civilFromDays(days)
        var n = 0
        if y < 0 { out[0] = UInt8(ascii: "-"); n = 1 }
        // The year's digits, at least four.
        var year = y.magnitude
        var digits = 0
        var t = year
        repeat { digits += 1; t /= 10 } while t > 0
        let width = max(4, digits)
        for k in stride(from: n + width - 1, through: n, by: -1) {
            out[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: year % 10)
            year /= 10
        }
        n += width
        out[n] = UInt8(ascii: "-")
        writeTwoDigits(m, into: out + n + 1)
        out[n + 3] = UInt8(ascii: "-")
        writeTwoDigits(d, into: out + n + 4)
        return n + 6
    }

    @inline(__always)
    private static func writeTwoDigits(_ v: Int64, into out: UnsafeMutablePointer<UInt8>) {
        out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v / 10)
        out[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
    }

    private static func writeASCII(_ text: StaticString, into out: UnsafeMutablePointer<UInt8>) -> Int {
        out.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }

    /// `1 day 02:00:00`, `15 minutes` style, as DuckDB prints intervals.
    public static func formatInterval(_ v: Interval) -> String {
        var parts: [String] = []
        if v.months != 0 {
            let years = v.months / 12, months = v.months % 12
            if years != 0 { parts.append("\(years) year" + (abs(years) == 1 ? "" : "s")) }
            if months != 0 { parts.append("\(months) month" + (abs(months) == 1 ? "" : "s")) }
        }
        if v.days != 0 { parts.append("\(v.days) day" + (abs(v.days) == 1 ? "" : "s")) }
        if v.nanoseconds != 0 || parts.isEmpty {
            var ns = v.nanoseconds
            var text = ns < 0 ? "-" : ""
            ns = abs(ns)
            let seconds = ns / nanosPerSecond
            appendTwoDigits(&text, seconds / 3600)
            text += ":"
            appendTwoDigits(&text, seconds / 60 % 60)
            text += ":"
            appendTwoDigits(&text, seconds % 60)
            var fraction = ns % nanosPerSecond
            if fraction != 0 {
                var width = 9
                while fraction % 10 == 0 { fraction /= 10; width -= 1 }
                let digits = String(fraction)
                text += "." + String(repeating: "0", count: width - digits.count) + digits
            }
            parts.append(text)
        }
        return parts.joined(separator: " ")
    }

    @inline(__always)
    static func appendTwoDigits(_ out: inout String, _ v: Int64) {
        if v < 10 { out += "0" }
        out += String(v)
    }
}

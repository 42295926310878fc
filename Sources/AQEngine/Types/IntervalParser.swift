// Reading an INTERVAL from text, as DuckDB does: `15 minutes`, `1 hour`, `7 days`, `2 weeks`,
// `1 month`, `1 year 2 months 3 days 04:05:06.5`, `00:15:00`, `1.5 hours`, `15m`, `-1 day`,
// `2 days ago`, `@ 5 hours` (PostgreSQL's verbose form), a bare number of seconds. Used by
// casts and by INTERVAL literals.

extension Interval {
    /// The interval `text` spells, or nil when it is not one (or out of range).
    public init?(parsing text: String) {
        var text = text
        guard let v = text.withUTF8({ IntervalParser.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = v
    }
}

enum IntervalParser {
    enum Unit {
        case nanoseconds(Int64)
        case days(Int64)
        case months(Int64)
    }

    static let units: [String: Unit] = {
        var u: [String: Unit] = [:]
        func add(_ names: [String], _ unit: Unit) { for n in names { u[n] = unit } }
        add(["ns", "nanosecond", "nanoseconds", "nsec", "nsecs"], .nanoseconds(1))
        add(["us", "usec", "usecs", "microsecond", "microseconds"], .nanoseconds(1_000))
        add(["ms", "msec", "msecs", "millisecond", "milliseconds"], .nanoseconds(1_000_000))
        add(["s", "sec", "secs", "second", "seconds"], .nanoseconds(1_000_000_000))
        add(["m", "min", "mins", "minute", "minutes"], .nanoseconds(60_000_000_000))
        add(["h", "hr", "hrs", "hour", "hours"], .nanoseconds(3_600_000_000_000))
        add(["d", "day", "days"], .days(1))
        add(["w", "week", "weeks"], .days(7))
        add(["mon", "mons", "month", "months"], .months(1))
        add(["quarter", "quarters"], .months(3))
        add(["y", "yr", "yrs", "year", "years"], .months(12))
        add(["decade", "decades"], .months(120))
        add(["century", "centuries"], .months(1200))
        add(["millennium", "millennia", "millenniums"], .months(12000))
        return u
    }()

    static func parse(_ p: UnsafeRawBufferPointer) -> Interval? {
        var months: Int64 = 0, days: Int64 = 0, nanos: Int64 = 0
        let n = p.count
        // PostgreSQL's verbose form starts with `@` (`@ 1 minute`, `@ 14 seconds ago`).
        var i = n > 0 && p[0] == UInt8(ascii: "@") ? 1 : 0
        var sawSomething = false
        @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        @inline(__always) func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
        while true {
            while i < n, isSpace(p[i]) { i += 1 }
            if i == n { break }
            var negative = false
            if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
                negative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n, isDigit(p[i]) || p[i] == UInt8(ascii: ".") else {
                // `ago` at the end negates everything before it.
                if !negative, i + 3 <= n, sawSomething,
                   (p[i] | 0x20) == 97, (p[i + 1] | 0x20) == 103, (p[i + 2] | 0x20) == 111 {
                    var j = i + 3
                    while j < n, isSpace(p[j]) { j += 1 }
                    guard j == n else { return nil }
                    months = -months; days = -days; nanos = -nanos
                    break
                }
                return nil
            }
            // Integer part, then an optional fraction.
            var whole: Int64 = 0
            var digits = 0
            while i < n, isDigit(p[i]) {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(p[i] - 48))
                if o1 || o2 { return nil }
                whole = a
                digits += 1
                i += 1
            }
            if i < n, p[i] == UInt8(ascii: ":") {
                // A time `H:MM[:SS[.f]]`.
                guard digits > 0, let t = parseTime(p, &i, hours: whole) else { return nil }
                let (s, o) = nanos.addingReportingOverflow(negative ? -t : t)
                if o { return nil }
                nanos = s
                sawSomething = true
                continue
            }
            var fraction: Int64 = 0, scale: Int64 = 1
            if i < n, p[i] == UInt8(ascii: ".") {
                i += 1
                while i < n, isDigit(p[i]) {
                    if scale < 1_000_000_000 { fraction = fraction * 10 + Int64(p[i] - 48); scale *= 10 }
                    digits += 1
                    i += 1
                }
            }
            guard digits > 0 else { return nil }
            while i < n, isSpace(p[i]) { i += 1 }
            let wordStart = i
            while i < n, isLetter(p[i]) { i += 1 }
            let word = String(decoding: UnsafeRawBufferPointer(rebasing: p[wordStart..<i]), as: UTF8.self).lowercased()
            let unit: Unit
            if word.isEmpty {
                unit = .nanoseconds(1_000_000_000)
            } else if let u = units[word] {
                unit = u
            } else if word == "ago" {
                // `5 ago` is not an interval.
                return nil
            } else {
                return nil
            }
            let sign: Int64 = negative ? -1 : 1
            switch unit {
            case .nanoseconds(let size):
                guard let v = scaled(whole, fraction, scale, size) else { return nil }
                let (s, o) = nanos.addingReportingOverflow(sign * v)
                if o { return nil }
                nanos = s
            case .days(let size):
                let (d, o1) = whole.multipliedReportingOverflow(by: size)
                if o1 || d > Int64(Int32.max) { return nil }
                days += sign * d
                if fraction != 0, let v = scaled(0, fraction, scale, size * TimeMath.nanosPerDay) {
                    let (s, o) = nanos.addingReportingOverflow(sign * v)
                    if o { return nil }
                    nanos = s
                }
            case .months(let size):
                let (m, o1) = whole.multipliedReportingOverflow(by: size)
                if o1 || m > Int64(Int32.max) { return nil }
                months += sign * m
                if fraction != 0 {
                    // A fraction of a month is 30 days (DuckDB); of a year, months then days.
                    let fm = fraction * size / scale
                    months += sign * fm
                    let restDays = (fraction * size - fm * scale) * 30 / scale
                    days += sign * restDays
                }
            }
            guard abs(months) <= Int64(Int32.max), abs(days) <= Int64(Int32.max) else { return nil }
            sawSomething = true
        }
        guard sawSomething, let m = Int32(exactly: months), let d = Int32(exactly: days) else { return nil }
        return Interval(months: m, days: d, nanoseconds: nanos)
    }

    /// `whole.fraction` units of `size` nanoseconds, or nil on overflow.
    static func scaled(_ whole: Int64, _ fraction: Int64, _ scale: Int64, _ size: Int64) -> Int64? {
        let (w, o) = whole.multipliedReportingOverflow(by: size)
        if o { return nil }
        // fraction/scale * size without overflow: scale ≤ 10^18, so split size.
        let f = Int64((Double(fraction) / Double(scale) * Double(size)).rounded())
        let (t, o2) = w.addingReportingOverflow(f)
        return o2 ? nil : t
    }

    /// The rest of `H:MM[:SS[.fffffffff]]` after the hours, as nanoseconds.
    static func parseTime(_ p: UnsafeRawBufferPointer, _ i: inout Int, hours: Int64) -> Int64? {
        let n = p.count
        func two() -> Int64? {
            var v: Int64 = 0, k = 0
            while i < n, k < 2, p[i] >= 48, p[i] <= 57 { v = v * 10 + Int64(p[i] - 48); i += 1; k += 1 }
            return k > 0 ? v : nil
        }
        guard p[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let minutes = two(), minutes < 60 else { return nil }
        var seconds: Int64 = 0, fraction: Int64 = 0
        if i < n, p[i] == UInt8(ascii: ":") {
            i += 1
            guard let s = two(), s < 60 else { return nil }
            seconds = s
            if i < n, p[i] == UInt8(ascii: ".") {
                i += 1
                var digits = 0
                while i < n, p[i] >= 48, p[i] <= 57 {
                    if digits < 9 { fraction = fraction * 10 + Int64(p[i] - 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in min(digits, 9)..<9 { fraction *= 10 }
            }
        }
        guard hours < 2_562_047 else { return nil }
        return (hours * 3600 + minutes * 60 + seconds) * TimeMath.nanosPerSecond + fraction
    }
}

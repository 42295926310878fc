// Time functions with DuckDB's names and results: now(), ago(d), date_trunc(part, t),
// time_bucket(width, t), epoch(t). TIMESTAMP values are UTC nanoseconds; DATE values days.

import AQSyntax

enum TimeFunctions {
    static let all: [String: [Overload]] = [
        "now": [Overload([], .timestamp, foldable: false) { _, n, fc in
            Vector(type: .timestamp, storage: .int64([Int64](repeating: fc.execution.now, count: n)))
        }],
        "current_timestamp": [Overload([], .timestamp, foldable: false) { _, n, fc in
            Vector(type: .timestamp, storage: .int64([Int64](repeating: fc.execution.now, count: n)))
        }],
        "ago": [Overload([.interval], .timestamp, foldable: false) { args, n, fc in
            let now = Vector(type: .timestamp, storage: .int64([Int64](repeating: fc.execution.now, count: n)))
            return try Arithmetic.apply(.subtract, now, args[0], type: .timestamp, range: fc.range)
        }],
        "date_trunc": [
            Overload([.varchar, .timestamp], .timestamp) { args, n, fc in try dateTrunc(args, n, fc, isDate: false) },
            Overload([.varchar, .date], .timestamp) { args, n, fc in try dateTrunc(args, n, fc, isDate: true) },
        ],
        "time_bucket": [
            Overload([.interval, .timestamp], .timestamp) { args, n, fc in try timeBucket(args, n, fc, isDate: false) },
            Overload([.interval, .date], .date) { args, n, fc in try timeBucket(args, n, fc, isDate: true) },
        ],
        "epoch": [
            Overload([.timestamp], .double) { args, _, _ in
                let out = try FunctionKernels.mapInt64(args[0], zero: 0.0) { t in
                    let s = TimeMath.floorDiv(t, TimeMath.nanosPerSecond)
                    return Double(s) + Double(t &- s &* TimeMath.nanosPerSecond) / 1e9
                }
                return Vector(type: .double, storage: .double(out), validity: TimePartFunctions.finiteValidity(args[0], out.count))
            },
            Overload([.date], .double) { args, _, _ in
                let out = try FunctionKernels.mapInt64(args[0], zero: 0.0) { Double($0) * 86_400 }
                return Vector(type: .double, storage: .double(out), validity: TimePartFunctions.finiteValidity(args[0], out.count))
            },
            Overload([.interval], .double) { args, _, _ in
                // A year is 365.25 days and a month 30 days, as DuckDB counts them.
                let out = try args[0].intervalValues().map { v -> Double in
                    let years = Double(v.months / 12), months = Double(v.months % 12)
                    return years * 31_557_600 + months * 2_592_000 + Double(v.days) * 86_400 + Double(v.nanoseconds) / 1e9
                }
                return Vector(type: .double, storage: .double(out), validity: args[0].validity)
            },
        ],
    ]

    /// A timestamp taken apart.
    struct Parts {
        var days: Int64
        var seconds: Int64
        var nanoseconds: Int64
        var year: Int64, month: Int64, day: Int64

        init(_ t: Int64) {
            days = TimeMath.floorDiv(t, TimeMath.nanosPerDay)
            // Wrapping: the product may overflow near -infinity, the difference never does.
            let within = t &- days &* TimeMath.nanosPerDay
            seconds = within / TimeMath.nanosPerSecond
            nanoseconds = within % TimeMath.nanosPerSecond
            (year, month, day) = TimeMath.civilFromDays(days)
        }

        /// Midnight of a day (a DATE, which may lie outside the range of timestamps).
        init(days: Int64) {
            self.days = days
            seconds = 0
            nanoseconds = 0
            (year, month, day) = TimeMath.civilFromDays(days)
        }
    }

    // MARK: date_trunc

    enum Unit {
        case nanoseconds(Int64)
        case week, isoYear, month, quarter, year, decade, century, millennium
    }

    static func unit(named name: String) -> Unit? {
        switch name.lowercased() {
        case "microsecond", "microseconds", "us", "usec", "usecs": return .nanoseconds(1_000)
        case "millisecond", "milliseconds", "ms", "msec", "msecs": return .nanoseconds(1_000_000)
        case "second", "seconds", "s", "sec", "secs", "epoch": return .nanoseconds(TimeMath.nanosPerSecond)
        case "minute", "minutes", "m", "min", "mins": return .nanoseconds(60 * TimeMath.nanosPerSecond)
        case "hour", "hours", "h", "hr", "hrs": return .nanoseconds(3600 * TimeMath.nanosPerSecond)
        case "day", "days", "d", "dow", "dayofweek", "isodow", "doy", "dayofyear", "julian":
            return .nanoseconds(TimeMath.nanosPerDay)
        case "week", "weeks", "w", "yearweek", "isoweek": return .week
        case "isoyear": return .isoYear
        case "month", "months", "mon", "mons": return .month
        case "quarter", "quarters": return .quarter
        case "year", "years", "y", "yr", "yrs": return .year
        case "decade", "decades": return .decade
        case "century", "centuries": return .century
        case "millennium", "millennia", "millenniums": return .millennium
        default: return nil
        }
    }

    /// `t` truncated to the start of its `unit` (weeks start on Monday); nil when that is
    /// before the first representable timestamp.
    @inline(__always)
    static func truncate(_ t: Int64, _ unit: Unit) -> Int64? {
        // `infinity` and `-infinity` stay as they are.
        if TimeMath.isInfinite(t) { return t }
        switch unit {
        case .nanoseconds(let size):
            let (r, o) = TimeMath.floorDiv(t, size).multipliedReportingOverflow(by: size)
            return o ? nil : r
        case .week:
            let days = TimeMath.floorDiv(t, TimeMath.nanosPerDay)
            // 1970-01-01 was a Thursday: Monday-based weekday is (days + 3) mod 7.
            let (r, o) = (days - (days + 3).modulo(7)).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
            return o ? nil : r
        case .isoYear:
            // The Monday of ISO week 1 of the day's ISO year.
            let days = TimeMath.floorDiv(t, TimeMath.nanosPerDay)
            let year = StrftimeFunctions.isoWeek(days).year
            let jan4 = TimeMath.daysFromCivil(year: year, month: 1, day: 4)
            let (r, o) = (jan4 - (jan4 + 3).modulo(7)).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
            return o ? nil : r
        default:
            let (y, m, _) = TimeMath.civilFromDays(TimeMath.floorDiv(t, TimeMath.nanosPerDay))
            var year = y, month: Int64 = 1
            switch unit {
            case .month: month = m
            case .quarter: month = (m - 1) / 3 * 3 + 1
            case .year: break
            case .decade: year = TimeMath.floorDiv(y, 10) * 10
            case .century: year = TimeMath.floorDiv(y, 100) * 100
            case .millennium: year = TimeMath.floorDiv(y, 1000) * 1000
            default: break
            }
            let (r, o) = TimeMath.daysFromCivil(year: year, month: month, day: 1).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
            return o ? nil : r
        }
    }

    /// The end (exclusive) of the unit that starts at `start`; `start` when not known (so that
    /// no later time is taken to be inside it).
    static func unitEnd(_ start: Int64, _ unit: Unit) -> Int64 {
        func plusMonths(_ k: Int64) -> Int64 { monthStart(after: start, k) }
        switch unit {
        case .nanoseconds(let size):
            let (r, o) = start.addingReportingOverflow(size)
            return o ? Int64.max : r
        case .week:
            let (r, o) = start.addingReportingOverflow(7 * TimeMath.nanosPerDay)
            return o ? Int64.max : r
        case .isoYear: return start
        case .month: return plusMonths(1)
        case .quarter: return plusMonths(3)
        case .year: return plusMonths(12)
        case .decade: return plusMonths(120)
        case .century: return plusMonths(1200)
        case .millennium: return plusMonths(12000)
        }
    }

    /// The first day of the month `k` months after the month of `t` (Int64.max past the range).
    static func monthStart(after t: Int64, _ k: Int64) -> Int64 {
        let (y, m, _) = TimeMath.civilFromDays(TimeMath.floorDiv(t, TimeMath.nanosPerDay))
        let total = y * 12 + m - 1 + k
        let year = TimeMath.floorDiv(total, 12)
        let (r, o) = TimeMath.daysFromCivil(year: year, month: total - year * 12 + 1, day: 1)
            .multipliedReportingOverflow(by: TimeMath.nanosPerDay)
        return o ? Int64.max : r
    }

    /// Days as timestamps (midnight); an error for a day outside the range of timestamps.
    static func midnights(_ days: [Int64], _ validity: Validity?, _ fc: FunctionContext) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: days.count)
        try validity.withView { vv in
            for i in 0..<days.count where vv.isValid(i) {
                if TimeMath.isInfinite(days[i], date: true) {
                    out[i] = days[i] > 0 ? TimeMath.infinity : TimeMath.negativeInfinity
                    continue
                }
                let (t, o) = days[i].multipliedReportingOverflow(by: TimeMath.nanosPerDay)
                if o { throw ExecutionError.overflow("date out of the range of timestamps", range: fc.range) }
                out[i] = t
            }
        }
        return out
    }

    static func outOfRange(_ name: String, _ fc: FunctionContext) -> ExecutionError {
        outOfRange(name, fc.range)
    }

    static func outOfRange(_ name: String, _ range: SourceRange?) -> ExecutionError {
        .overflow("timestamp out of range in \(name)", range: range)
    }

    static func dateTrunc(_ args: [Vector], _ n: Int, _ fc: FunctionContext, isDate: Bool) throws -> Vector {
        var validity = Validity.and(args[0].effectiveValidity, args[1].effectiveValidity)
        var times = try args[1].int64Values()
        if isDate { times = try midnights(times, validity, fc) }
        let parts = try args[0].stringValues()
        func resolve(_ name: String) throws -> Unit {
            guard let u = unit(named: name) else {
                throw ExecutionError.invalidArgument(function: "date_trunc", message: "unknown date part '\(name)'", range: fc.range)
            }
            return u
        }
        var out = [Int64](repeating: 0, count: n)
        if let name = FunctionKernels.constantString(fc, 0) {
            // Checked only when some time is not NULL (DuckDB: date_trunc('x', NULL) is NULL).
            guard (0..<n).contains(where: { validity?.isValid($0) ?? true }) else {
                return Vector.nulls(type: .timestamp, count: n)
            }
            let u = try resolve(name)
            // Log rows come mostly in time order: the last row's unit [lo, hi) usually holds
            // the next row too, which saves the division or the calendar.
            var lo = Int64.max, hi = Int64.min, last: Int64 = 0
            try validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    let t = times[i]
                    if t >= lo && t < hi { out[i] = last; continue }
                    guard let r = truncate(t, u) else { throw outOfRange("date_trunc", fc) }
                    out[i] = r
                    (lo, hi, last) = (r, unitEnd(r, u), r)
                }
            }
        } else {
            var cache: (String, Unit)?
            try validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    let name = parts.string(i)
                    let u: Unit
                    if let cache, cache.0 == name { u = cache.1 } else { u = try resolve(name); cache = (name, u) }
                    guard let r = truncate(times[i], u) else { throw outOfRange("date_trunc", fc) }
                    out[i] = r
                }
            }
        }
        if validity?.nullCount == n && n > 0 { validity = Validity(allNull: n) }
        return Vector(type: .timestamp, storage: .int64(out), validity: validity)
    }

    // MARK: time_bucket

    /// DuckDB's origins: 2000-01-03 (a Monday) for widths in days and time, 2000-01-01 for months.
    static let dayOrigin: Int64 = TimeMath.daysFromCivil(year: 2000, month: 1, day: 3) * TimeMath.nanosPerDay
    static let monthOrigin: Int64 = 2000 * 12

    static func timeBucket(_ args: [Vector], _ n: Int, _ fc: FunctionContext, isDate: Bool) throws -> Vector {
        let widths = try args[0].intervalValues()
        let validity = Validity.and(args[0].effectiveValidity, args[1].effectiveValidity)
        var times = try args[1].int64Values()
        if isDate { times = try midnights(times, validity, fc) }
        var out = [Int64](repeating: 0, count: n)
        var checked: Interval?
        // As in date_trunc: the last row's bucket [lo, hi) usually holds the next row.
        var lo = Int64.max, hi = Int64.min, last: Int64 = 0
        try validity.withView { vv in
            for i in 0..<n where vv.isValid(i) {
                let w = widths[i]
                if checked != w { try check(w, fc); checked = w; (lo, hi) = (Int64.max, Int64.min) }
                let t = times[i]
                if t >= lo && t < hi { out[i] = last; continue }
                if w.months != 0 {
                    let (y, m, _) = TimeMath.civilFromDays(TimeMath.floorDiv(times[i], TimeMath.nanosPerDay))
                    let k = TimeMath.floorDiv(y * 12 + m - 1 - monthOrigin, Int64(w.months))
                    let total = monthOrigin + k * Int64(w.months)
                    let year = TimeMath.floorDiv(total, 12)
                    let (r, o) = TimeMath.daysFromCivil(year: year, month: total - year * 12 + 1, day: 1)
                        .multipliedReportingOverflow(by: TimeMath.nanosPerDay)
                    if o { throw outOfRange("time_bucket", fc) }
                    out[i] = r
                    (lo, hi, last) = (r, monthStart(after: r, Int64(w.months)), r)
                } else {
                    let width = Int64(w.days) * TimeMath.nanosPerDay + w.nanoseconds
                    let (d, o1) = times[i].subtractingReportingOverflow(dayOrigin)
                    let (k, o2) = TimeMath.floorDiv(d, width).multipliedReportingOverflow(by: width)
                    let (r, o3) = dayOrigin.addingReportingOverflow(k)
                    if o1 || o2 || o3 { throw outOfRange("time_bucket", fc) }
                    out[i] = r
                    let (end, o4) = r.addingReportingOverflow(width)
                    (lo, hi, last) = (r, o4 ? Int64.max : end, r)
                }
            }
        }
        if isDate {
            return Vector(type: .date, storage: .int64(out.map { TimeMath.floorDiv($0, TimeMath.nanosPerDay) }), validity: validity)
        }
        return Vector(type: .timestamp, storage: .int64(out), validity: validity)
    }

    static func check(_ w: Interval, _ fc: FunctionContext) throws {
        if w.months != 0 {
            guard w.days == 0, w.nanoseconds == 0 else {
                throw ExecutionError.invalidArgument(function: "time_bucket",
                                                     message: "a width in months cannot have days or a time part", range: fc.range)
            }
            guard w.months > 0 else {
                throw ExecutionError.invalidArgument(function: "time_bucket", message: "the width must be positive", range: fc.range)
            }
            return
        }
        let (dayNanos, o) = Int64(w.days).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
        let (width, o2) = dayNanos.addingReportingOverflow(w.nanoseconds)
        guard !o, !o2, width > 0 else {
            throw ExecutionError.invalidArgument(function: "time_bucket", message: "the width must be positive", range: fc.range)
        }
    }
}

extension Int64 {
    /// The remainder with the sign of the divisor (Euclidean for a positive divisor).
    @inline(__always)
    func modulo(_ m: Int64) -> Int64 {
        let r = self % m
        return r < 0 ? r + m : r
    }
}

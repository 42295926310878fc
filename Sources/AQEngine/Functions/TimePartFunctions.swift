// Parts of times and differences between them, with DuckDB's names and results: year(t) …
// second(t), dayname, monthname, quarter, week, date_part(part, t), date_diff(part, a, b),
// epoch_ms/us/ns, to_timestamp(seconds), make_date, last_day. date_part('epoch', t) is
// whole seconds here (DuckDB gives a DOUBLE for that one part).

import AQSyntax

enum TimePartFunctions {
    typealias Parts = TimeFunctions.Parts

    /// A field of a time, by its DuckDB names.
    enum Part {
        case year, month, day, hour, minute, second, millisecond, microsecond, nanosecond
        case dayOfWeek, isoDayOfWeek, dayOfYear, week, yearWeek, quarter, isoYear, decade, century, millennium, epoch

        static let byName: [String: Part] = [
            "year": .year, "years": .year, "y": .year, "yr": .year, "yrs": .year,
            "month": .month, "months": .month, "mon": .month, "mons": .month,
            "day": .day, "days": .day, "d": .day, "dayofmonth": .day,
            "hour": .hour, "hours": .hour, "h": .hour, "hr": .hour, "hrs": .hour,
            "minute": .minute, "minutes": .minute, "m": .minute, "min": .minute, "mins": .minute,
            "second": .second, "seconds": .second, "s": .second, "sec": .second, "secs": .second,
            "millisecond": .millisecond, "milliseconds": .millisecond, "ms": .millisecond, "msec": .millisecond,
            "microsecond": .microsecond, "microseconds": .microsecond, "us": .microsecond, "usec": .microsecond,
            "nanosecond": .nanosecond, "nanoseconds": .nanosecond, "ns": .nanosecond,
            "dow": .dayOfWeek, "dayofweek": .dayOfWeek, "weekday": .dayOfWeek, "isodow": .isoDayOfWeek,
            "doy": .dayOfYear, "dayofyear": .dayOfYear, "week": .week, "weeks": .week, "w": .week,
            "weekofyear": .week, "yearweek": .yearWeek, "quarter": .quarter, "quarters": .quarter,
            "isoyear": .isoYear, "decade": .decade, "decades": .decade, "century": .century,
            "centuries": .century, "millennium": .millennium, "millennia": .millennium, "epoch": .epoch,
        ]

        func value(_ p: Parts) -> Int64 {
            switch self {
            case .year: return p.year
            case .month: return p.month
            case .day: return p.day
            case .hour: return p.seconds / 3600
            case .minute: return p.seconds / 60 % 60
            case .second: return p.seconds % 60
            case .millisecond: return p.seconds % 60 * 1000 + p.nanoseconds / 1_000_000
            case .microsecond: return p.seconds % 60 * 1_000_000 + p.nanoseconds / 1000
            case .nanosecond: return p.seconds % 60 * 1_000_000_000 + p.nanoseconds
            case .dayOfWeek: return (p.days + 4).modulo(7)
            case .isoDayOfWeek: return (p.days + 3).modulo(7) + 1
            case .dayOfYear: return p.days - TimeMath.daysFromCivil(year: p.year, month: 1, day: 1) + 1
            case .week: return StrftimeFunctions.isoWeek(p.days).week
            case .yearWeek:
                let w = StrftimeFunctions.isoWeek(p.days)
                return w.year * 100 + w.week
            case .quarter: return (p.month - 1) / 3 + 1
            case .isoYear: return StrftimeFunctions.isoWeek(p.days).year
            case .decade: return TimeMath.floorDiv(p.year, 10)
            case .century: return p.year > 0 ? (p.year - 1) / 100 + 1 : -((-p.year) / 100 + 1)
            case .millennium: return p.year > 0 ? (p.year - 1) / 1000 + 1 : -((-p.year) / 1000 + 1)
            case .epoch: return p.days * 86_400 + p.seconds
            }
        }
    }

    static func part(_ part: Part) -> [Overload] {
        [
            Overload([.timestamp], .integer) { args, n, _ in
                Vector(type: .integer, storage: .int64(try FunctionKernels.mapInt64(args[0], zero: Int64(0)) {
                    part.value(Parts($0))
                }), validity: finiteValidity(args[0], n))
            },
            Overload([.date], .integer) { args, n, _ in
                Vector(type: .integer, storage: .int64(try FunctionKernels.mapInt64(args[0], zero: Int64(0)) {
                    part.value(Parts(days: $0))
                }), validity: finiteValidity(args[0], n))
            },
        ]
    }

    /// The validity of `v` with `infinity` and `-infinity` made NULL: they have no parts.
    static func finiteValidity(_ v: Vector, _ n: Int) -> Validity? {
        guard case .int64(let a) = v.storage else { return v.validity }
        var out: Validity?
        let date = v.type == .date
        for i in 0..<min(n, a.count) where TimeMath.isInfinite(a[i], date: date) {
            if out == nil { out = v.validity ?? Validity(allValid: n) }
            out?.set(i, valid: false)
        }
        return out ?? v.validity
    }

    static func names(_ table: [String], _ index: @escaping (Parts) -> Int) -> [Overload] {
        [
            Overload([.timestamp], .varchar) { args, n, _ in try text(args[0], n, isDate: false) { table[index($0)] } },
            Overload([.date], .varchar) { args, n, _ in try text(args[0], n, isDate: true) { table[index($0)] } },
        ]
    }

    static func text(_ v: Vector, _ n: Int, isDate: Bool, _ f: (Parts) -> String) throws -> Vector {
        let a = try v.int64Values()
        var writer = StringVectorWriter(capacity: n)
        v.validity.withView { vv in
            for i in 0..<n {
                guard vv.isValid(i), !TimeMath.isInfinite(a[i], date: isDate) else {
                    writer.appendNull()
                    continue
                }
                writer.append(f(isDate ? Parts(days: a[i]) : Parts(a[i])))
            }
        }
        return writer.build(.varchar)
    }

    static let all: [String: [Overload]] = {
        var t: [String: [Overload]] = [
            "year": part(.year), "month": part(.month), "day": part(.day), "dayofmonth": part(.day),
            "hour": part(.hour), "minute": part(.minute), "second": part(.second),
            "millisecond": part(.millisecond), "microsecond": part(.microsecond),
            "dayofweek": part(.dayOfWeek), "weekday": part(.dayOfWeek), "isodow": part(.isoDayOfWeek),
            "dayofyear": part(.dayOfYear), "week": part(.week), "weekofyear": part(.week), "yearweek": part(.yearWeek),
            "quarter": part(.quarter), "isoyear": part(.isoYear), "decade": part(.decade), "century": part(.century),
            "millennium": part(.millennium),
            "dayname": names(StrftimeFunctions.dayNames) { Int(($0.days + 4).modulo(7)) },
            "monthname": names(StrftimeFunctions.monthNames) { Int($0.month) - 1 },
            "date_part": datePart, "datepart": datePart,
            "date_diff": dateDiff, "datediff": dateDiff,
            "epoch_ms": epochScaled(1_000_000), "epoch_us": epochScaled(1_000), "epoch_ns": epochScaled(1),
            "last_day": [
                Overload([.date], .date) { args, _, _ in
                    Vector(type: .date, storage: .int64(try FunctionKernels.mapInt64(args[0], zero: Int64(0)) { d in
                        let (y, m, _) = TimeMath.civilFromDays(d)
                        return TimeMath.daysFromCivil(year: y, month: m, day: TimeMath.daysInMonth(year: y, month: m))
                    }), validity: args[0].validity)
                },
            ],
            "make_date": [
                Overload([.integer, .integer, .integer], .date) { args, n, fc in
                    let y = try args[0].int64Values(), m = try args[1].int64Values(), d = try args[2].int64Values()
                    let validity = Validity.and([args[0].effectiveValidity, args[1].effectiveValidity, args[2].effectiveValidity])
                    var out = [Int64](repeating: 0, count: n)
                    try validity.withView { vv in
                        for i in 0..<n where vv.isValid(i) {
                            guard (-290_000...290_000).contains(y[i]), (1...12).contains(m[i]),
                                  d[i] >= 1, d[i] <= TimeMath.daysInMonth(year: y[i], month: m[i]) else {
                                throw ExecutionError.invalidArgument(function: "make_date",
                                                                     message: "\(y[i])-\(m[i])-\(d[i]) is not a date", range: fc.range)
                            }
                            out[i] = TimeMath.daysFromCivil(year: y[i], month: m[i], day: d[i])
                        }
                    }
                    return Vector(type: .date, storage: .int64(out), validity: validity)
                },
            ],
            "to_timestamp": [
                Overload([.double], .timestamp) { args, _, fc in
                    let out = try FunctionKernels.mapDouble(args[0], zero: Int64(0)) { s in
                        let ns = (s * 1e9).rounded()
                        guard ns.isFinite, ns >= -9.2e18, ns <= 9.2e18 else { throw TimeFunctions.outOfRange("to_timestamp", fc) }
                        return Int64(ns)
                    }
                    return Vector(type: .timestamp, storage: .int64(out), validity: args[0].validity)
                },
            ],
        ]
        t["epoch_ms"]?.append(Overload([.integer], .timestamp) { args, _, fc in
            let out = try FunctionKernels.mapInt64(args[0], zero: Int64(0)) { ms in
                let (ns, o) = ms.multipliedReportingOverflow(by: 1_000_000)
                if o { throw TimeFunctions.outOfRange("epoch_ms", fc) }
                return ns
            }
            return Vector(type: .timestamp, storage: .int64(out), validity: args[0].validity)
        })
        return t
    }()

    static func epochScaled(_ divisor: Int64) -> [Overload] {
        [Overload([.timestamp], .integer) { args, n, _ in
            Vector(type: .integer, storage: .int64(try FunctionKernels.mapInt64(args[0], zero: Int64(0)) {
                TimeMath.floorDiv($0, divisor)
            }), validity: finiteValidity(args[0], n))
        }]
    }

    static func resolvePart(_ name: String, _ function: String, _ fc: FunctionContext) throws -> Part {
        guard let p = Part.byName[name.lowercased()] else {
            throw ExecutionError.invalidArgument(function: function, message: "unknown date part '\(name)'", range: fc.range)
        }
        return p
    }

    static let datePart: [Overload] = [.timestamp, .date].map { type in
        Overload([.varchar, type], .integer) { args, n, fc in
            let times = try args[1].int64Values(), names = try args[0].stringValues()
            let validity = Validity.and(args[0].effectiveValidity, args[1].effectiveValidity)
            var out = [Int64](repeating: 0, count: n)
            var cache: (String, Part)?
            try validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    let name = FunctionKernels.constantString(fc, 0) ?? names.string(i)
                    let p: Part
                    if let cache, cache.0 == name { p = cache.1 } else { p = try resolvePart(name, "date_part", fc); cache = (name, p) }
                    out[i] = p.value(type == .date ? Parts(days: times[i]) : Parts(times[i]))
                }
            }
            return Vector(type: .integer, storage: .int64(out), validity: validity)
        }
    }

    /// date_diff: the number of `part` boundaries between a and b (DuckDB's definition).
    static let dateDiff: [Overload] = [.timestamp, .date].map { type in
        Overload([.varchar, type, type], .integer) { args, n, fc in
            let a = try args[1].int64Values(), b = try args[2].int64Values(), names = try args[0].stringValues()
            let validity = Validity.and([args[0].effectiveValidity, args[1].effectiveValidity, args[2].effectiveValidity])
            var out = [Int64](repeating: 0, count: n)
            var cache: (String, Part)?
            try validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    let name = FunctionKernels.constantString(fc, 0) ?? names.string(i)
                    let p: Part
                    if let cache, cache.0 == name { p = cache.1 } else { p = try resolvePart(name, "date_diff", fc); cache = (name, p) }
                    let (x, y) = type == .date ? (a[i] &* TimeMath.nanosPerDay, b[i] &* TimeMath.nanosPerDay) : (a[i], b[i])
                    guard let d = difference(p, x, y, isDate: type == .date, a[i], b[i]) else {
                        throw ExecutionError.overflow("integer overflow in date_diff", range: fc.range)
                    }
                    out[i] = d
                }
            }
            return Vector(type: .integer, storage: .int64(out), validity: validity)
        }
    }

    /// nil when the count does not fit in an INTEGER.
    static func difference(_ p: Part, _ x: Int64, _ y: Int64, isDate: Bool, _ dayX: Int64, _ dayY: Int64) -> Int64? {
        func fixed(_ unit: Int64) -> Int64? {
            if isDate {
                let (r, o) = (dayY - dayX).multipliedReportingOverflow(by: TimeMath.nanosPerDay / unit)
                return o ? nil : r
            }
            let (r, o) = TimeMath.floorDiv(y, unit).subtractingReportingOverflow(TimeMath.floorDiv(x, unit))
            return o ? nil : r
        }
        let px = isDate ? Parts(days: dayX) : Parts(x), py = isDate ? Parts(days: dayY) : Parts(y)
        switch p {
        case .nanosecond: return fixed(1)
        case .microsecond: return fixed(1000)
        case .millisecond: return fixed(1_000_000)
        case .second, .epoch: return fixed(TimeMath.nanosPerSecond)
        case .minute: return fixed(60 * TimeMath.nanosPerSecond)
        case .hour: return fixed(3600 * TimeMath.nanosPerSecond)
        case .day, .dayOfWeek, .isoDayOfWeek, .dayOfYear: return py.days - px.days
        case .week, .yearWeek: return (py.days - px.days) / 7
        case .month: return (py.year * 12 + py.month) - (px.year * 12 + px.month)
        case .quarter: return (py.year * 4 + (py.month - 1) / 3) - (px.year * 4 + (px.month - 1) / 3)
        case .year, .isoYear: return py.year - px.year
        case .decade: return TimeMath.floorDiv(py.year, 10) - TimeMath.floorDiv(px.year, 10)
        case .century: return TimeMath.floorDiv(py.year, 100) - TimeMath.floorDiv(px.year, 100)
        case .millennium: return TimeMath.floorDiv(py.year, 1000) - TimeMath.floorDiv(px.year, 1000)
        }
    }
}

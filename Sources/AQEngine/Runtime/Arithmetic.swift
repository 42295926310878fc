// Arithmetic on vectors: overflow-checked INTEGER `+ - * // %`, DOUBLE arithmetic, division
// by zero as an error, calendar arithmetic on TIMESTAMP/DATE/INTERVAL and `||`. A NULL row
// never raises an error: checks look at valid rows only.

import AQSyntax

enum Arithmetic {
    static func apply(_ op: ArithmeticOperator, _ x: Vector, _ y: Vector, type: DataType,
                      range: SourceRange?) throws -> Vector {
        let n = x.count
        if x.isAllNull || y.isAllNull { return Vector.nulls(type: type, count: n) }
        let validity = Validity.and(x.validity, y.validity)
        if op == .concat { return try concat(x, y, validity: validity) }
        switch (x.storage, y.storage) {
        case (.int64(let a), .int64(let b)):
            switch (x.type, y.type) {
            case (.integer, .integer), (.date, .integer):
                return Vector(type: type, storage: .int64(try integers(op, a, b, validity, range)), validity: validity)
            case (.date, .date) where op == .subtract:
                return Vector(type: type, storage: .int64(try integers(.subtract, a, b, validity, range)), validity: validity)
            case (.timestamp, .timestamp) where op == .subtract:
                var out = [Interval](repeating: Interval(), count: n)
                try validity.withView { vv in
                    for i in 0..<n where vv.isValid(i) {
                        let (d, o) = a[i].subtractingReportingOverflow(b[i])
                        if o { throw ExecutionError.overflow("interval overflow in '-'", range: range) }
                        let days = d / TimeMath.nanosPerDay
                        guard let days32 = Int32(exactly: days) else {
                            throw ExecutionError.overflow("interval overflow in '-'", range: range)
                        }
                        out[i] = Interval(days: days32, nanoseconds: d - days * TimeMath.nanosPerDay)
                    }
                }
                return Vector(type: .interval, storage: .interval(out), validity: validity)
            default: break
            }
        case (.double(let a), .double(let b)):
            return Vector(type: type, storage: .double(try doubles(op, a, b, validity, range)), validity: validity)
        case (.int64(let t), .interval(let iv)) where op == .add || op == .subtract:
            return Vector(type: .timestamp, storage: .int64(try shift(t, iv, sign: op == .add ? 1 : -1, validity, range)),
                          validity: validity)
        case (.interval(let iv), .int64(let t)) where op == .add && y.type == .timestamp:
            return Vector(type: .timestamp, storage: .int64(try shift(t, iv, sign: 1, validity, range)), validity: validity)
        case (.interval(let a), .interval(let b)) where op == .add || op == .subtract:
            var out = [Interval](repeating: Interval(), count: n)
            try validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    out[i] = try combine(a[i], op == .add ? b[i] : scale(b[i], by: -1, range: range), range: range)
                }
            }
            return Vector(type: .interval, storage: .interval(out), validity: validity)
        case (.interval(let a), .int64(let k)) where op == .multiply:
            return Vector(type: .interval, storage: .interval(try scaled(a, k, validity, range)), validity: validity)
        case (.int64(let k), .interval(let a)) where op == .multiply:
            return Vector(type: .interval, storage: .interval(try scaled(a, k, validity, range)), validity: validity)
        default: break
        }
        throw ExecutionError.failed("internal error: no kernel for \(x.type) \(op.rawValue) \(y.type)", range: range)
    }

    // MARK: Numbers

    static func integers(_ op: ArithmeticOperator, _ a: [Int64], _ b: [Int64], _ validity: Validity?,
                         _ range: SourceRange?) throws -> [Int64] {
        let n = min(a.count, b.count)
        var out = [Int64](repeating: 0, count: n)
        var overflow = false
        switch op {
        case .add:
            for i in 0..<n { let r = a[i].addingReportingOverflow(b[i]); out[i] = r.partialValue; overflow = overflow || r.overflow }
        case .subtract:
            for i in 0..<n { let r = a[i].subtractingReportingOverflow(b[i]); out[i] = r.partialValue; overflow = overflow || r.overflow }
        case .multiply:
            for i in 0..<n { let r = a[i].multipliedReportingOverflow(by: b[i]); out[i] = r.partialValue; overflow = overflow || r.overflow }
        case .integerDivide, .divide, .modulo:
            try validity.withView { vv in
                for i in 0..<n {
                    let d = b[i]
                    if d == 0 {
                        if vv.isValid(i) { throw ExecutionError.divisionByZero(range: range) }
                        continue
                    }
                    if d == -1 {
                        // Int64.min / -1 overflows; Int64.min % -1 is 0.
                        if op == .modulo { out[i] = 0; continue }
                        let r = Int64(0).subtractingReportingOverflow(a[i])
                        out[i] = r.partialValue
                        if r.overflow && vv.isValid(i) { overflow = true }
                        continue
                    }
                    out[i] = op == .modulo ? a[i] % d : a[i] / d
                }
            }
            if overflow { throw ExecutionError.overflow("integer overflow in '\(op.rawValue)'", range: range) }
            return out
        case .concat:
            throw storageMismatch("integer concatenation")
        }
        if overflow {
            // Only a valid row's overflow is an error (NULL rows hold placeholders).
            try validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    let o: Bool
                    switch op {
                    case .add: o = a[i].addingReportingOverflow(b[i]).overflow
                    case .subtract: o = a[i].subtractingReportingOverflow(b[i]).overflow
                    default: o = a[i].multipliedReportingOverflow(by: b[i]).overflow
                    }
                    if o { throw ExecutionError.overflow("integer overflow in '\(op.rawValue)'", range: range) }
                }
            }
        }
        return out
    }

    static func doubles(_ op: ArithmeticOperator, _ a: [Double], _ b: [Double], _ validity: Validity?,
                        _ range: SourceRange?) throws -> [Double] {
        let n = min(a.count, b.count)
        var out = [Double](repeating: 0, count: n)
        switch op {
        case .add: for i in 0..<n { out[i] = a[i] + b[i] }
        case .subtract: for i in 0..<n { out[i] = a[i] - b[i] }
        case .multiply: for i in 0..<n { out[i] = a[i] * b[i] }
        case .divide, .integerDivide, .modulo:
            // DuckDB's `//` on DOUBLE is plain division; `%` keeps the dividend's sign (fmod).
            try validity.withView { vv in
                for i in 0..<n {
                    if b[i] == 0 {
                        if vv.isValid(i) { throw ExecutionError.divisionByZero(range: range) }
                        continue
                    }
                    out[i] = op == .modulo ? a[i].truncatingRemainder(dividingBy: b[i]) : a[i] / b[i]
                }
            }
        case .concat:
            throw storageMismatch("double concatenation")
        }
        return out
    }

    // MARK: Time

    /// `t + sign * iv` for every valid row: months by the calendar (the day clamped to the
    /// month's length, as DuckDB does), then days, then nanoseconds.
    static func shift(_ t: [Int64], _ iv: [Interval], sign: Int64, _ validity: Validity?,
                      _ range: SourceRange?) throws -> [Int64] {
        let n = min(t.count, iv.count)
        var out = [Int64](repeating: 0, count: n)
        try validity.withView { vv in
            for i in 0..<n where vv.isValid(i) {
                guard let r = addInterval(t[i], iv[i], sign: sign) else {
                    throw ExecutionError.overflow("timestamp out of range in '\(sign > 0 ? "+" : "-")'", range: range)
                }
                out[i] = r
            }
        }
        return out
    }

    /// One timestamp plus (or minus) one interval; nil when the result is out of range.
    @inline(__always)
    static func addInterval(_ t: Int64, _ v: Interval, sign: Int64) -> Int64? {
        var t = t
        if v.months != 0 {
            let days = TimeMath.floorDiv(t, TimeMath.nanosPerDay)
            let within = t &- days &* TimeMath.nanosPerDay
            let (y, m, d) = TimeMath.civilFromDays(days)
            let total = y * 12 + (m - 1) + sign * Int64(v.months)
            let ny = TimeMath.floorDiv(total, 12), nm = total - ny * 12 + 1
            guard ny > -300_000, ny < 300_000 else { return nil }
            let nd = min(d, TimeMath.daysInMonth(year: ny, month: nm))
            let (ns, o) = TimeMath.daysFromCivil(year: ny, month: nm, day: nd).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
            if o { return nil }
            t = ns + within
        }
        let (dayNanos, o1) = (sign * Int64(v.days)).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
        if o1 { return nil }
        let (t1, o2) = t.addingReportingOverflow(dayNanos)
        if o2 { return nil }
        let (ns, o3) = v.nanoseconds.multipliedReportingOverflow(by: sign)
        let (t2, o4) = t1.addingReportingOverflow(ns)
        return o3 || o4 ? nil : t2
    }

    static func combine(_ a: Interval, _ b: Interval, range: SourceRange?) throws -> Interval {
        let (m, o1) = a.months.addingReportingOverflow(b.months)
        let (d, o2) = a.days.addingReportingOverflow(b.days)
        let (ns, o3) = a.nanoseconds.addingReportingOverflow(b.nanoseconds)
        if o1 || o2 || o3 { throw ExecutionError.overflow("interval overflow", range: range) }
        return Interval(months: m, days: d, nanoseconds: ns)
    }

    static func scale(_ a: Interval, by k: Int64, range: SourceRange?) throws -> Interval {
        let (m, o1) = Int64(a.months).multipliedReportingOverflow(by: k)
        let (d, o2) = Int64(a.days).multipliedReportingOverflow(by: k)
        let (ns, o3) = a.nanoseconds.multipliedReportingOverflow(by: k)
        guard !o1, !o2, !o3, let m32 = Int32(exactly: m), let d32 = Int32(exactly: d) else {
            throw ExecutionError.overflow("interval overflow in '*'", range: range)
        }
        return Interval(months: m32, days: d32, nanoseconds: ns)
    }

    static func scaled(_ a: [Interval], _ k: [Int64], _ validity: Validity?, _ range: SourceRange?) throws -> [Interval] {
        let n = min(a.count, k.count)
        var out = [Interval](repeating: Interval(), count: n)
        try validity.withView { vv in
            for i in 0..<n where vv.isValid(i) { out[i] = try scale(a[i], by: k[i], range: range) }
        }
        return out
    }

    // MARK: Strings

    /// `a || b`: NULL when either side is NULL.
    static func concat(_ x: Vector, _ y: Vector, validity: Validity?) throws -> Vector {
        let a = try x.stringValues(), b = try y.stringValues()
        let n = x.count
        var writer = StringVectorWriter(capacity: n)
        var buffer: [UInt8] = []
        validity.withView { vv in
            for i in 0..<n {
                guard vv.isValid(i) else { writer.appendNull(); continue }
                buffer.removeAll(keepingCapacity: true)
                a.withBytes(i) { buffer.append(contentsOf: $0) }
                b.withBytes(i) { buffer.append(contentsOf: $0) }
                writer.append(bytes: buffer)
            }
        }
        return writer.build(.varchar)
    }
}

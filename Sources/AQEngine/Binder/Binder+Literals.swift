// Literals: integers (range-checked), doubles, strings, typed literals (`TIMESTAMP '…'`),
// duration literals (`7d`) and `INTERVAL '15 minutes'` / `INTERVAL 15 MINUTE`.

import AQSyntax

extension Binder {
    func bindLiteral(_ literal: Literal, range: SourceRange) throws -> BoundExpr {
        switch literal {
        case .null: return .constant(.null, .null, range: range)
        case .boolean(let b): return .constant(.boolean(b), .boolean, range: range)
        case .integer(let digits): return try integerLiteral(digits, range: range)
        case .double(let text):
            guard let x = Double(text), x.isFinite else {
                throw BindError.literalOutOfRange(kind: "number", text: text, range: range)
            }
            return .constant(.double(x), .double, range: range)
        case .string(let s): return .constant(.varchar(s), .varchar, range: range)
        case .duration(let value, let unit):
            guard let interval = IntervalText.interval(value, unitName: unit.rawValue) else {
                throw BindError.literalOutOfRange(kind: "duration", text: "\(value)\(unit.rawValue)", range: range)
            }
            return .constant(.interval(interval), .interval, range: range)
        case .typed(let typeName, let text):
            let type = try dataType(typeName)
            switch type {
            case .timestamp:
                guard let t = TimeMath.parseTimestamp(text) ?? Binder.infinity(text) else {
                    throw BindError.invalidLiteral(type: "TIMESTAMP", text: text, range: range)
                }
                return .constant(.timestamp(t), .timestamp, range: range)
            case .date:
                guard let d = TimeMath.parseDate(text) ?? Binder.infinity(text, date: true) else {
                    throw BindError.invalidLiteral(type: "DATE", text: text, range: range)
                }
                return .constant(.date(d), .date, range: range)
            case .interval:
                guard let i = IntervalText.parse(text) else {
                    throw BindError.invalidLiteral(type: "INTERVAL", text: text, range: range)
                }
                return .constant(.interval(i), .interval, range: range)
            case .varchar: return .constant(.varchar(text), .varchar, range: range)
            case .json: return .constant(.json(text), .json, range: range)
            default:
                return BoundExpr(.cast(.constant(.varchar(text), .varchar, range: range), isTry: false), type: type, range: range)
            }
        }
    }

    /// An integer literal, or an error when it does not fit in 64 bits.
    func integerLiteral(_ digits: String, range: SourceRange) throws -> BoundExpr {
        guard let x = Int64(digits) else {
            throw BindError.literalOutOfRange(kind: "integer", text: digits, range: range)
        }
        return .constant(.integer(x), .integer, range: range)
    }

    /// `INTERVAL '15 minutes'`, `INTERVAL '1' DAY`, `INTERVAL 15 MINUTE`, `INTERVAL (n) HOUR`.
    func bindInterval(_ value: Expr, unit: String?, range: SourceRange, _ ctx: ExprContext) throws -> BoundExpr {
        let bound = try bindExpr(value, ctx)
        guard let unit else {
            if case .constant(.varchar(let text)) = bound.kind {
                guard let i = IntervalText.parse(text) else {
                    throw BindError.invalidLiteral(type: "INTERVAL", text: text, range: range)
                }
                return .constant(.interval(i), .interval, range: range)
            }
            if bound.type == .interval { return bound }
            return BoundExpr(.cast(coerce(bound, to: .varchar), isTry: false), type: .interval, range: range)
        }
        guard let one = IntervalText.interval(1, unitName: unit) else {
            throw BindError.unknownIntervalUnit(unit, range: range)
        }
        var count: Int64?
        switch bound.kind {
        case .constant(.integer(let n)): count = n
        case .constant(.varchar(let s)): count = Int64(s.trimmingSpaces)
        default: count = nil
        }
        if let count {
            guard let i = IntervalText.interval(count, unitName: unit) else {
                throw BindError.literalOutOfRange(kind: "interval", text: "\(count) \(unit)", range: range)
            }
            return .constant(.interval(i), .interval, range: range)
        }
        guard bound.type == .integer || bound.type == .null || bound.isStringLiteral else {
            throw BindError.typeMismatch("INTERVAL … \(unit.uppercased()) takes an INTEGER, not \(bound.type)", range: value.range)
        }
        return BoundExpr(.arithmetic(.multiply, coerce(bound, to: .integer), .constant(.interval(one), .interval)),
                         type: .interval, range: range)
    }
}

/// Intervals from literals: a count of a unit (`7d`, `INTERVAL 15 MINUTE`) and text
/// (`INTERVAL '15 minutes'`).
public enum IntervalText {
    /// `count` units as an interval, or nil for an unknown unit or an overflow.
    public static func interval(_ count: Int64, unitName: String) -> Interval? {
        let ns: Int64
        switch unitName.lowercased() {
        case "ns", "nanosecond", "nanoseconds": ns = 1
        case "us", "microsecond", "microseconds": ns = 1_000
        case "ms", "millisecond", "milliseconds", "msec", "msecs": ns = 1_000_000
        case "s", "sec", "secs", "second", "seconds": ns = 1_000_000_000
        case "m", "min", "mins", "minute", "minutes": ns = 60_000_000_000
        case "h", "hr", "hrs", "hour", "hours": ns = 3_600_000_000_000
        case "d", "day", "days":
            guard let days = Int32(exactly: count) else { return nil }
            return Interval(days: days)
        case "w", "week", "weeks":
            guard let days = Int32(exactly: count.multipliedReportingOverflow(by: 7).partialValue),
                  !count.multipliedReportingOverflow(by: 7).overflow else { return nil }
            return Interval(days: days)
        case "mon", "mons", "month", "months":
            guard let months = Int32(exactly: count) else { return nil }
            return Interval(months: months)
        case "quarter", "quarters":
            guard let months = Int32(exactly: count.multipliedReportingOverflow(by: 3).partialValue),
                  !count.multipliedReportingOverflow(by: 3).overflow else { return nil }
            return Interval(months: months)
        case "y", "yr", "yrs", "year", "years":
            guard let months = Int32(exactly: count.multipliedReportingOverflow(by: 12).partialValue),
                  !count.multipliedReportingOverflow(by: 12).overflow else { return nil }
            return Interval(months: months)
        default: return nil
        }
        let (v, overflow) = count.multipliedReportingOverflow(by: ns)
        return overflow ? nil : Interval(nanoseconds: v)
    }

    /// Parses interval text as casts do (`Interval(parsing:)`), so a literal and a cast of
    /// the same text agree; nil when it is not one.
    public static func parse(_ text: String) -> Interval? {
        Interval(parsing: text)
    }
}

fileprivate extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension Binder {
    /// `TIMESTAMP 'infinity'`, `DATE '-infinity'`: the infinite value, or nil.
    static func infinity(_ text: String, date: Bool = false) -> Int64? {
        Array(text.utf8).withUnsafeBytes { TimeMath.parseInfinity($0, date: date) }
    }
}

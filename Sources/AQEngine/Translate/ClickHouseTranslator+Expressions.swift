// Expressions: column references qualified, operators with aq's meaning, literals,
// intervals, casts, CASE, subqueries, parameters.

import AQSyntax

extension ClickHouseTranslator {
    func expr(_ e: Expr, _ scope: Scope) throws -> String {
        switch e.kind {
        case .literal(let literal):
            return try self.literal(literal, e.range)
        case .column(let parts):
            if parts.count == 1 {
                let name = parts[0].name
                if let q = scope.qualifier(of: name) { return identifier(q) + "." + identifier(name) }
                return identifier(name)
            }
            return parts.map { identifier($0.name) }.joined(separator: ".")
        case .list(let items):
            return "[" + (try items.map { try expr($0, scope) }).joined(separator: ", ") + "]"
        case .star(let q):
            return q.map { identifier($0.name) + ".*" } ?? "*"
        case .list(let items):
            return "[" + (try items.map { try expr($0, scope) }).joined(separator: ", ") + "]"
        case .unary(let op, let x):
            switch op {
            case .not: return "NOT (\(try expr(x, scope)))"
            case .negate: return "-(\(try expr(x, scope)))"
            case .plus: return try expr(x, scope)
            }
        case .binary(let op, let l, let r):
            let a = try expr(l, scope), b = try expr(r, scope)
            switch op {
            case .integerDivide: return "intDiv(\(a), \(b))"
            case .concat: return "concat(\(a), \(b))"
            default: return "(\(a) \(op.rawValue) \(b))"
            }
        case .between(let x, let low, let high, let negated):
            return "(\(try expr(x, scope)) \(negated ? "NOT " : "")BETWEEN \(try expr(low, scope)) AND \(try expr(high, scope)))"
        case .inList(let x, let list, let negated):
            return "(\(try expr(x, scope)) \(negated ? "NOT IN" : "IN") (" + (try list.map { try expr($0, scope) }.joined(separator: ", ")) + "))"
        case .inSubquery(let x, let q, let negated):
            return "(\(try expr(x, scope)) \(negated ? "NOT IN" : "IN") (\n\(try query(q, scope))\n))"
        case .exists(let q):
            return "EXISTS (\n\(try query(q, scope))\n)"
        case .subquery(let q):
            return "(\n\(try query(q, scope))\n)"
        case .isNull(let x, let negated):
            return "(\(try expr(x, scope)) IS \(negated ? "NOT " : "")NULL)"
        case .isDistinctFrom(let a, let b, let negated):
            let x = try expr(a, scope), y = try expr(b, scope)
            let same = "(coalesce(\(x) = \(y), false) OR (\(x) IS NULL AND \(y) IS NULL))"
            return negated ? same : "NOT \(same)"
        case .isBoolean(let x, let value, let negated):
            let v = try expr(x, scope)
            let test = "coalesce(\(v) = \(value ? "true" : "false"), false)"
            return negated ? "NOT \(test)" : test
        case .like(let x, let pattern, let caseInsensitive, let negated, let escape):
            if let escape {
                throw untranslatable("LIKE … ESCAPE", "ClickHouse's LIKE escapes with a backslash only", escape.range)
            }
            var p = try expr(pattern, scope)
            if case .literal(.string(let text)) = pattern.kind {
                // aq's LIKE has no escape character; ClickHouse's has the backslash.
                p = string(text.replacingBytes(of: UInt8(ascii: "\\"), with: "\\\\"))
            }
            return "(\(try expr(x, scope)) \(negated ? "NOT " : "")\(caseInsensitive ? "ILIKE" : "LIKE") \(p))"
        case .caseWhen(let operand, let whens, let elseResult):
            var sql = "CASE"
            if let operand { sql += " " + (try expr(operand, scope)) }
            for w in whens { sql += " WHEN \(try expr(w.condition, scope)) THEN \(try expr(w.result, scope))" }
            if let elseResult { sql += " ELSE " + (try expr(elseResult, scope)) }
            return sql + " END"
        case .cast(let x, let typeName, let isTry):
            guard let type = DataType(sqlName: typeName.name) else {
                throw untranslatable("type \(typeName.name)", "aq has no such type", typeName.range)
            }
            return try cast(x, to: type, isTry: isTry, scope)
        case .function(let call):
            return try function(call, e.range, scope)
        case .interval(let value, let unit):
            return try interval(value, unit: unit, e.range, scope)
        case .parameter(let name):
            if let value = variables[name.name] { return "(\(value))" }
            return "{\(name.name):String}"
        }
    }

    func literal(_ literal: Literal, _ range: SourceRange) throws -> String {
        switch literal {
        case .null: return "NULL"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let digits): return digits
        case .double(let text): return "toFloat64(\(text))"
        case .string(let s): return string(s)
        case .duration(let value, let unit):
            return "INTERVAL \(value) \(Self.unitName(unit))"
        case .typed(let t, let text):
            switch DataType(sqlName: t.name) {
            case .date?: return "toDate32(\(string(text)))"
            case .timestamp?: return "parseDateTime64BestEffort(\(string(text)), 9, 'UTC')"
            default: throw untranslatable("a \(t.name) literal", "aq reads only DATE and TIMESTAMP literals", range)
            }
        }
    }

    static func unitName(_ unit: DurationUnit) -> String {
        switch unit {
        case .nanoseconds: return "NANOSECOND"
        case .microseconds: return "MICROSECOND"
        case .milliseconds: return "MILLISECOND"
        case .seconds: return "SECOND"
        case .minutes: return "MINUTE"
        case .hours: return "HOUR"
        case .days: return "DAY"
        case .weeks: return "WEEK"
        }
    }

    /// The interval of a constant expression, in nanoseconds when it has no months or days
    /// of the calendar; nil when it is not a constant interval.
    func intervalValue(_ e: Expr) -> Interval? {
        switch e.kind {
        case .literal(.duration(let value, let unit)):
            let ns: Int64
            switch unit {
            case .nanoseconds: ns = 1
            case .microseconds: ns = 1_000
            case .milliseconds: ns = 1_000_000
            case .seconds: ns = 1_000_000_000
            case .minutes: ns = 60_000_000_000
            case .hours: ns = 3_600_000_000_000
            case .days: return Interval(days: Int32(truncatingIfNeeded: value))
            case .weeks: return Interval(days: Int32(truncatingIfNeeded: value * 7))
            }
            return Interval(nanoseconds: value &* ns)
        case .interval(let value, let unit):
            var text: String
            switch value.kind {
            case .literal(.string(let s)): text = s
            case .literal(.integer(let s)), .literal(.double(let s)): text = s
            default: return nil
            }
            if let unit { text += " " + unit }
            var bytes = text
            return bytes.withUTF8 { IntervalParser.parse(UnsafeRawBufferPointer($0)) }
        default:
            return nil
        }
    }

    func interval(_ value: Expr, unit: String?, _ range: SourceRange, _ scope: Scope) throws -> String {
        if let i = intervalValue(Expr(.interval(value, unit: unit), range: range)) { return intervalSQL(i) }
        guard let unit else { throw untranslatable("INTERVAL", "its value must be a constant", range) }
        let singular = unit.uppercased().hasSuffix("S") ? String(unit.uppercased().dropLast()) : unit.uppercased()
        return "toInterval\(singular.prefix(1) + singular.dropFirst().lowercased())(\(try expr(value, scope)))"
    }

    /// An interval as ClickHouse INTERVALs: months, days and nanoseconds added up.
    func intervalSQL(_ i: Interval) -> String {
        var parts: [String] = []
        if i.months != 0 { parts.append("INTERVAL \(i.months) MONTH") }
        if i.days != 0 { parts.append(i.days % 7 == 0 ? "INTERVAL \(i.days / 7) WEEK" : "INTERVAL \(i.days) DAY") }
        if i.nanoseconds != 0 || parts.isEmpty {
            let ns = i.nanoseconds
            let units: [(Int64, String)] = [(3_600_000_000_000, "HOUR"), (60_000_000_000, "MINUTE"), (1_000_000_000, "SECOND"),
                                            (1_000_000, "MILLISECOND"), (1_000, "MICROSECOND"), (1, "NANOSECOND")]
            for (size, name) in units where ns % size == 0 {
                parts.append("INTERVAL \(ns / size) \(name)")
                break
            }
        }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " + ") + ")"
    }

    /// Nanoseconds of an interval without calendar months (days are 24 hours in UTC).
    func nanoseconds(_ i: Interval) -> Int64? {
        guard i.months == 0 else { return nil }
        return Int64(i.days) * 86_400_000_000_000 + i.nanoseconds
    }

    func cast(_ x: Expr, to type: DataType, isTry: Bool, _ scope: Scope) throws -> String {
        let v = try expr(x, scope)
        let from = staticType(x, scope)
        switch type {
        case .integer where from == .double:
            // aq rounds a DOUBLE to the nearest integer, ties to even.
            return "toInt64(roundBankers(\(v)))"
        case .timestamp where from != .timestamp && from != .date:
            return "parseDateTime64BestEffort\(isTry ? "OrNull" : "")(toString(\(v)), 9, 'UTC')"
        case .varchar where from == .varchar || from == .json:
            return v
        default:
            let target = "Nullable(\(ClickHouseTypes.name(type)))"
            return isTry ? "accurateCastOrNull(\(v), '\(target)')" : "CAST(\(v) AS \(target))"
        }
    }
}

// Function calls: aq's scalar functions by their ClickHouse counterparts (with aq's NULL
// and out-of-range answers), aggregates with DISTINCT and FILTER, window functions with
// their frames.

import AQSyntax

extension ClickHouseTranslator {
    /// Scalar functions that keep their arguments and change only their name.
    static let renamed: [String: String] = [
        "lower": "lower", "lcase": "lower", "upper": "upper", "ucase": "upper",
        "length": "lengthUTF8", "len": "lengthUTF8", "char_length": "lengthUTF8", "character_length": "lengthUTF8",
        "reverse": "reverseUTF8", "repeat": "repeat", "replace": "replaceAll", "trim": "trimBoth",
        "ltrim": "trimLeft", "rtrim": "trimRight", "starts_with": "startsWith", "ends_with": "endsWith",
        "prefix": "startsWith", "suffix": "endsWith", "abs": "abs", "sign": "sign", "sqrt": "sqrt", "exp": "exp",
        "ln": "log", "log10": "log10", "log2": "log2", "pow": "pow", "power": "pow", "floor": "floor",
        "ceil": "ceil", "ceiling": "ceil", "greatest": "greatest", "least": "least", "nullif": "nullIf",
        "isnan": "isNaN", "isinf": "isInfinite", "isfinite": "isFinite", "pi": "pi", "coalesce": "coalesce",
        "ifnull": "ifNull", "left": "left", "right": "right", "lpad": "leftPadUTF8", "rpad": "rightPadUTF8",
        "concat": "concat", "strpos": "positionUTF8", "instr": "positionUTF8",
        "hour": "toHour", "minute": "toMinute", "second": "toSecond", "year": "toYear", "month": "toMonth",
        "day": "toDayOfMonth", "quarter": "toQuarter", "dayofyear": "toDayOfYear", "doy": "toDayOfYear",
        "weekofyear": "toISOWeek", "isoyear": "toISOYear", "regexp_matches": "match",
    ]

    static let aggregates: Set<String> = ["count", "sum", "avg", "min", "max", "arg_min", "arg_max", "string_agg",
                                          "bool_and", "bool_or", "any_value", "count_if", "stddev_samp", "var_samp",
                                          "median"]

    func function(_ call: FunctionCall, _ range: SourceRange, _ scope: Scope) throws -> String {
        let name = call.name.name.lowercased()
        if call.over != nil { return try windowFunction(call, range, scope) }
        if Self.aggregates.contains(name) { return try aggregate(call, range, scope) }
        let args = try call.arguments.map { try expr($0, scope) }
        func arg(_ i: Int) throws -> String {
            guard i < args.count else { throw untranslatable("\(name)()", "it needs more arguments", range) }
            return args[i]
        }
        if let mapped = Self.renamed[name] { return "\(mapped)(" + args.joined(separator: ", ") + ")" }
        switch name {
        case "now", "current_timestamp":
            return "now64(9, 'UTC')"
        case "ago":
            return "(now64(9, 'UTC') - \(try arg(0)))"
        case "getvariable":
            guard case .literal(.string(let n))? = call.arguments.first?.kind else {
                throw untranslatable("getvariable()", "its argument must be a name in quotes", range)
            }
            return variables[n].map { "(\($0))" } ?? "{\(n):Nullable(String)}"
        case "substr", "substring":
            return "substringUTF8(" + args.joined(separator: ", ") + ")"
        case "contains":
            return "(positionUTF8(\(try arg(0)), \(try arg(1))) > 0)"
        case "split_part":
            return "if(\(try arg(0)) IS NULL, NULL, splitByString(\(try arg(1)), assumeNotNull(\(try arg(0))))[\(try arg(2))])"
        case "round":
            return args.count == 1 ? "round(\(args[0]))" : "round(\(args[0]), \(args[1]))"
        case "trunc":
            return "trunc(" + args.joined(separator: ", ") + ")"
        case "mod":
            return "(\(try arg(0)) % \(try arg(1)))"
        case "log":
            return args.count == 1 ? "log10(\(args[0]))" : "(log(\(args[1])) / log(\(args[0])))"
        case "random":
            return "randCanonical()"
        case "is_ip":
            let s = try arg(0)
            return "(isIPv4String(\(s)) OR isIPv6String(\(s)))"
        case "is_private_ip":
            // isIPAddressInRange fails on text that is no address, and multiIf evaluates
            // every branch: each test gets a harmless address when the text is not one.
            let s = try arg(0)
            let v4 = "if(isIPv4String(\(s)), assumeNotNull(\(s)), '0.0.0.0')"
            let v6 = "if(isIPv6String(\(s)), assumeNotNull(\(s)), '::')"
            let private4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8"]
                .map { "isIPAddressInRange(\(v4), '\($0)')" }.joined(separator: " OR ")
            let private6 = ["fc00::/7", "::1/128"].map { "isIPAddressInRange(\(v6), '\($0)')" }.joined(separator: " OR ")
            return "multiIf(\(s) IS NULL, NULL, isIPv4String(\(s)), \(private4), isIPv6String(\(s)), \(private6), false)"
        case "ip_in_cidr":
            let s = try arg(0)
            let address = "if(isIPv4String(\(s)) OR isIPv6String(\(s)), assumeNotNull(\(s)), '::')"
            return "multiIf(\(s) IS NULL, NULL, isIPv4String(\(s)) OR isIPv6String(\(s)), isIPAddressInRange(\(address), \(try arg(1))), false)"
        case "json_extract_string", "json_extract":
            return "JSON_VALUE(\(try arg(0)), \(try arg(1)))"
        case "json_valid":
            return "isValidJSON(\(try arg(0)))"
        case "regexp_full_match":
            return "match(\(try arg(0)), concat('^(?:', \(try arg(1)), ')$'))"
        case "regexp_extract":
            // aq's group defaults to 0, the whole match; ClickHouse's to 1.
            return "regexpExtract(\(try arg(0)), \(try arg(1)), \(args.count > 2 ? args[2] : "0"))"
        case "regexp_replace":
            let global: Bool
            if call.arguments.count > 3, case .literal(.string(let options)) = call.arguments[3].kind {
                global = options.contains("g")
            } else {
                global = false
            }
            return "\(global ? "replaceRegexpAll" : "replaceRegexpOne")(\(try arg(0)), \(try arg(1)), \(try arg(2)))"
        case "date_trunc":
            guard case .literal(.string(let unit))? = call.arguments.first?.kind else {
                throw untranslatable("date_trunc()", "its unit must be a string constant", range)
            }
            let t = try arg(1)
            let truncated: String
            switch unit.lowercased() {
            case "second": truncated = "toStartOfSecond(\(t))"
            case "minute": truncated = "toStartOfMinute(\(t))"
            case "hour": truncated = "toStartOfHour(\(t))"
            case "day": truncated = "toStartOfDay(\(t))"
            case "week": truncated = "toMonday(\(t))"
            case "month": truncated = "toStartOfMonth(\(t))"
            case "quarter": truncated = "toStartOfQuarter(\(t))"
            case "year": truncated = "toStartOfYear(\(t))"
            default: throw untranslatable("date_trunc('\(unit)', …)", "ClickHouse has no such unit", range)
            }
            return "toDateTime64(\(truncated), 9, 'UTC')"
        case "time_bucket":
            guard let width = call.arguments.first.flatMap({ intervalValue($0) }).flatMap({ nanoseconds($0) }), width > 0 else {
                throw untranslatable("time_bucket()", "its width must be a constant interval without months", range)
            }
            guard call.arguments.count == 2 else {
                throw untranslatable("time_bucket() with an origin", "aq translates the default origin only", range)
            }
            // aq's buckets start at 2000-01-03 00:00:00 UTC, as DuckDB's.
            let origin: Int64 = 946_857_600_000_000_000
            let t = try arg(1)
            return "fromUnixTimestamp64Nano(toInt64(\(origin) + \(width) * intDiv(toUnixTimestamp64Nano(\(t)) - \(origin) - "
                + "if(toUnixTimestamp64Nano(\(t)) < \(origin), \(width) - 1, 0), \(width))), 'UTC')"
        case "epoch":
            return "(toUnixTimestamp64Nano(\(try arg(0))) / 1e9)"
        case "epoch_ms":
            return "intDiv(toUnixTimestamp64Nano(\(try arg(0))), 1000000)"
        case "dayofweek", "dow":
            return "(toDayOfWeek(\(try arg(0))) % 7)"
        case "dayname":
            return "dateName('weekday', \(try arg(0)))"
        case "monthname":
            return "dateName('month', \(try arg(0)))"
        case "millisecond":
            return "(toSecond(\(try arg(0))) * 1000 + intDiv(toUnixTimestamp64Nano(\(try arg(0))) % 1000000000, 1000000))"
        case "strftime":
            return "formatDateTime(\(try arg(0)), \(try arg(1)))"
        case "typeof":
            return "toTypeName(\(try arg(0)))"
        default:
            throw untranslatable("\(call.name.name)()", "aq has no ClickHouse form of this function", range)
        }
    }

    func aggregate(_ call: FunctionCall, _ range: SourceRange, _ scope: Scope) throws -> String {
        let name = call.name.name.lowercased()
        let args = try call.arguments.map { try expr($0, scope) }
        let filter = try call.filter.map { " FILTER (WHERE \(try expr($0, scope)))" } ?? ""
        let distinct = call.distinct ? "DISTINCT " : ""
        if !call.orderBy.isEmpty && name != "string_agg" {
            throw untranslatable("ORDER BY inside \(name)()", "ClickHouse aggregates take no ORDER BY", range)
        }
        switch name {
        case "count" where call.star:
            return "count()" + filter
        case "count", "sum", "avg", "min", "max":
            return "\(name)(\(distinct)" + args.joined(separator: ", ") + ")" + filter
        case "arg_min", "arg_max":
            return "\(name == "arg_min" ? "argMin" : "argMax")(\(distinct)" + args.joined(separator: ", ") + ")" + filter
        case "bool_and":
            return "min(\(distinct)" + args.joined(separator: ", ") + ")" + filter
        case "bool_or":
            return "max(\(distinct)" + args.joined(separator: ", ") + ")" + filter
        case "any_value":
            return "any(" + args.joined(separator: ", ") + ")" + filter
        case "count_if":
            return "countIf(" + args.joined(separator: ", ") + ")" + filter
        case "stddev_samp":
            return "stddevSamp(" + args.joined(separator: ", ") + ")" + filter
        case "var_samp":
            return "varSamp(" + args.joined(separator: ", ") + ")" + filter
        case "string_agg":
            guard args.count >= 1 else { throw untranslatable("string_agg()", "it needs a value", range) }
            let value = args[0]
            let separator = args.count > 1 ? args[1] : "','"
            let condition = try call.filter.map { try expr($0, scope) }
            let ifSuffix = condition == nil ? "" : "If"
            let cond = condition.map { ", " + $0 } ?? ""
            var array: String
            if call.orderBy.isEmpty {
                array = call.distinct ? "groupUniqArray\(ifSuffix)(\(value)\(cond))" : "groupArray\(ifSuffix)(\(value)\(cond))"
            } else if call.orderBy.count == 1, try expr(call.orderBy[0].expr, scope) == value {
                let base = call.distinct ? "groupUniqArray\(ifSuffix)(\(value)\(cond))" : "groupArray\(ifSuffix)(\(value)\(cond))"
                array = call.orderBy[0].descending ? "arrayReverseSort(\(base))" : "arraySort(\(base))"
            } else {
                guard !call.distinct else {
                    throw untranslatable("string_agg(DISTINCT … ORDER BY another expression)", "ClickHouse cannot keep that order", range)
                }
                let keys = try call.orderBy.map { item -> String in
                    let k = try expr(item.expr, scope)
                    return item.descending ? "-toUnixTimestamp64Nano(toDateTime64(\(k), 9))" : k
                }
                array = "arrayMap(p -> p.1, arraySort(p -> p.2, groupArray\(ifSuffix)((\(value), tuple(\(keys.joined(separator: ", "))))\(cond))))"
                if call.orderBy.contains(where: { $0.descending }) {
                    throw untranslatable("string_agg(… ORDER BY … DESC)", "aq translates ascending orders only", range)
                }
            }
            let count = condition.map { "countIf(\(value) IS NOT NULL, \($0))" } ?? "count(\(value))"
            return "if(\(count) = 0, NULL, arrayStringConcat(\(array), \(separator)))"
        default:
            throw untranslatable("\(name)()", "ClickHouse's \(name) is not exact; aq does not translate it", range)
        }
    }

    func windowFunction(_ call: FunctionCall, _ range: SourceRange, _ scope: Scope) throws -> String {
        guard let over = call.over else { return try function(call, range, scope) }
        let name = call.name.name.lowercased()
        let args = try call.arguments.map { try expr($0, scope) }
        var spec = try windowSpec(over, scope)
        let whole = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
        let body: String
        switch name {
        case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
            body = "\(name)()"
        case "ntile":
            body = "ntile(" + args.joined(separator: ", ") + ")"
            if over.frame == nil { spec += " " + whole }
        case "lag", "lead":
            guard let value = args.first else { throw untranslatable("\(name)()", "it needs a value", range) }
            if call.ignoreNulls { throw untranslatable("\(name)(… IGNORE NULLS)", "ClickHouse has no such option", range) }
            let offset = args.count > 1 ? args[1] : "1"
            let fallback = args.count > 2 ? args[2] : "NULL"
            body = "\(name)InFrame(toNullable(\(value)), \(offset), \(fallback))"
            spec += " " + whole
        case "first_value", "last_value":
            guard let value = args.first else { throw untranslatable("\(name)()", "it needs a value", range) }
            body = call.ignoreNulls ? "\(name)(\(value))" : "\(name)_respect_nulls(toNullable(\(value)))"
        case "nth_value":
            body = "nth_value(toNullable(\(args.first ?? "NULL")), \(args.count > 1 ? args[1] : "1"))"
        default:
            guard Self.aggregates.contains(name) else {
                throw untranslatable("window function \(name)()", "ClickHouse has no such window function", range)
            }
            var plain = call
            plain.over = nil
            body = try aggregate(plain, range, scope)
        }
        if over.base != nil && over.partitionBy.isEmpty && over.orderBy.isEmpty && over.frame == nil, let base = over.base {
            return "\(body) OVER \(identifier(base.name))"
        }
        return "\(body) OVER (\(spec))"
    }

    /// `[base] PARTITION BY … ORDER BY … frame`. A RANGE frame with an interval offset runs
    /// over the time in nanoseconds, with the offset in nanoseconds too.
    func windowSpec(_ spec: WindowSpec, _ scope: Scope) throws -> String {
        var parts: [String] = []
        if let base = spec.base { parts.append(identifier(base.name)) }
        if !spec.partitionBy.isEmpty {
            parts.append("PARTITION BY " + (try spec.partitionBy.map { try expr($0, scope) }.joined(separator: ", ")))
        }
        // ClickHouse's RANGE offsets are 32-bit integers over an integer key: the time goes
        // in the finest unit (ns, µs, ms, s) in which every offset is whole and fits.
        var offsets: [Int64] = []
        if let frame = spec.frame, frame.unit == .range {
            for bound in [frame.start, frame.end] {
                if case .preceding(let e) = bound, let i = intervalValue(e) {
                    guard let ns = nanoseconds(i) else {
                        throw untranslatable("a RANGE offset in months", "months have no fixed length", e.range)
                    }
                    offsets.append(ns)
                }
                if case .following(let e) = bound, let i = intervalValue(e) {
                    guard let ns = nanoseconds(i) else {
                        throw untranslatable("a RANGE offset in months", "months have no fixed length", e.range)
                    }
                    offsets.append(ns)
                }
            }
        }
        let rangeInNanoseconds = !offsets.isEmpty
        var unit: Int64 = 1
        if rangeInNanoseconds {
            guard let fitting = [Int64(1), 1_000, 1_000_000, 1_000_000_000].first(where: { u in
                offsets.allSatisfy { $0 % u == 0 && $0 / u <= Int64(Int32.max) }
            }) else {
                throw untranslatable("a RANGE offset", "ClickHouse takes offsets below 2^31 of a unit", spec.range)
            }
            unit = fitting
        }
        if !spec.orderBy.isEmpty {
            parts.append("ORDER BY " + (try spec.orderBy.map { item in
                var k = try expr(item.expr, scope)
                if rangeInNanoseconds { k = unit == 1 ? "toUnixTimestamp64Nano(\(k))" : "intDiv(toUnixTimestamp64Nano(\(k)), \(unit))" }
                return k + (item.descending ? " DESC" : " ASC") + ((item.nullsFirst ?? false) ? " NULLS FIRST" : " NULLS LAST")
            }.joined(separator: ", ")))
        }
        if let frame = spec.frame {
            guard frame.exclude == .noOthers else {
                throw untranslatable("EXCLUDE in a window frame", "ClickHouse has no frame exclusion", frame.range)
            }
            func bound(_ b: FrameBound) throws -> String {
                switch b {
                case .unboundedPreceding: return "UNBOUNDED PRECEDING"
                case .unboundedFollowing: return "UNBOUNDED FOLLOWING"
                case .currentRow: return "CURRENT ROW"
                case .preceding(let e), .following(let e):
                    let word = { if case .preceding = b { return "PRECEDING" } else { return "FOLLOWING" } }()
                    if let i = intervalValue(e), let ns = nanoseconds(i) {
                        return "\(ns / unit) \(word)"
                    }
                    return "\(try expr(e, scope)) \(word)"
                }
            }
            parts.append("\(frame.unit.rawValue) BETWEEN \(try bound(frame.start)) AND \(try bound(frame.end))")
        }
        return parts.joined(separator: " ")
    }
}

// The aggregate functions, and how a call's argument types decide its result type.

public enum AggregateFunction: String, Sendable, CaseIterable {
    case countStar = "count_star"
    case count
    case sum
    case avg
    case min
    case max
    case argMin = "arg_min"
    case argMax = "arg_max"
    case stringAgg = "string_agg"
    case boolAnd = "bool_and"
    case boolOr = "bool_or"
    case first
    case last
    case anyValue = "any_value"
    case countIf = "count_if"
    case product
    case stddevSamp = "stddev_samp"
    case stddevPop = "stddev_pop"
    case varSamp = "var_samp"
    case varPop = "var_pop"
    case median
    case mode
    case approxCountDistinct = "approx_count_distinct"
    /// The values of the group as a LIST, NULLs included (`array_agg`).
    case list

    /// Names users may write for each aggregate (lower case).
    public static let byName: [String: AggregateFunction] = [
        "count": .count, "sum": .sum, "avg": .avg, "mean": .avg, "min": .min, "max": .max,
        "arg_min": .argMin, "argmin": .argMin, "min_by": .argMin,
        "arg_max": .argMax, "argmax": .argMax, "max_by": .argMax,
        "string_agg": .stringAgg, "group_concat": .stringAgg, "listagg": .stringAgg,
        "bool_and": .boolAnd, "bool_or": .boolOr, "first": .first, "last": .last,
        "any_value": .anyValue, "arbitrary": .anyValue,
        "count_if": .countIf, "countif": .countIf, "product": .product,
        "stddev_samp": .stddevSamp, "stddev": .stddevSamp, "stddev_pop": .stddevPop,
        "var_samp": .varSamp, "variance": .varSamp, "var_pop": .varPop,
        "median": .median, "mode": .mode, "approx_count_distinct": .approxCountDistinct,
        "list": .list, "array_agg": .list,
    ]

    /// The result type for these argument types, or nil when the call is not valid.
    /// `count(*)` is resolved by the binder to `.countStar` with no arguments.
    public static func resultType(_ f: AggregateFunction, _ args: [DataType]) -> DataType? {
        switch f {
        case .countStar: return args.isEmpty ? .integer : nil
        case .count: return args.count == 1 ? .integer : nil
        case .sum:
            guard args.count == 1 else { return nil }
            switch args[0] {
            case .integer, .boolean: return .integer
            case .double, .null: return .double
            case .interval: return .interval
            default: return nil
            }
        case .avg:
            guard args.count == 1 else { return nil }
            switch args[0] {
            case .integer, .double, .null: return .double
            case .interval: return .interval
            case .timestamp: return .timestamp
            default: return nil
            }
        case .min, .max:
            // Lists have no order yet.
            return args.count == 1 && args[0].listElement == nil ? args[0] : nil
        case .first, .last, .anyValue:
            return args.count == 1 ? args[0] : nil
        case .list:
            return args.count == 1 ? .list(args[0]) : nil
        case .argMin, .argMax:
            return args.count == 2 && args[1].listElement == nil ? args[0] : nil
        case .stringAgg:
            return (args.count == 1 || args.count == 2) ? .varchar : nil
        case .varSamp, .varPop, .stddevSamp, .stddevPop:
            guard args.count == 1 else { return nil }
            switch args[0] {
            case .integer, .double, .null: return .double
            default: return nil
            }
        case .boolAnd, .boolOr:
            return args.count == 1 && (args[0] == .boolean || args[0] == .null) ? .boolean : nil
        case .countIf:
            return args.count == 1 && (args[0] == .boolean || args[0] == .null) ? .integer : nil
        case .approxCountDistinct:
            return args.count == 1 ? .integer : nil
        case .mode:
            return args.count == 1 && args[0].listElement == nil ? args[0] : nil
        case .product:
            return args.count == 1 && [.integer, .double, .boolean, .null].contains(args[0]) ? .double : nil
        case .median:
            guard args.count == 1 else { return nil }
            switch args[0] {
            case .integer, .double, .null: return .double
            case .timestamp: return .timestamp
            default: return nil
            }
        }
    }
}

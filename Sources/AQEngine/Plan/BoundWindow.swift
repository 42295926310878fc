// Window functions after binding: what each computes, over which partitions, order and
// frame. A window node appends one column per function to its input's columns.

import AQSyntax

/// What a window function computes for each row.
public enum WindowFunctionKind: Sendable, Equatable {
    case rowNumber, rank, denseRank, percentRank, cumeDist
    /// `ntile(n)`: the argument is n.
    case ntile
    /// `lag(x [, offset [, default]])`, `lead(…)`
    case lag, lead
    case firstValue, lastValue
    /// `nth_value(x, n)`
    case nthValue
    /// An aggregate over the frame.
    case aggregate(AggregateFunction)

    /// The window-only functions by name (aggregates come from `AggregateFunction.byName`).
    public static let byName: [String: WindowFunctionKind] = [
        "row_number": .rowNumber, "rank": .rank, "dense_rank": .denseRank,
        "percent_rank": .percentRank, "cume_dist": .cumeDist, "ntile": .ntile,
        "lag": .lag, "lead": .lead, "first_value": .firstValue, "last_value": .lastValue,
        "nth_value": .nthValue,
    ]

    public var name: String {
        switch self {
        case .rowNumber: return "row_number"
        case .rank: return "rank"
        case .denseRank: return "dense_rank"
        case .percentRank: return "percent_rank"
        case .cumeDist: return "cume_dist"
        case .ntile: return "ntile"
        case .lag: return "lag"
        case .lead: return "lead"
        case .firstValue: return "first_value"
        case .lastValue: return "last_value"
        case .nthValue: return "nth_value"
        case .aggregate(let f): return f.rawValue
        }
    }

    /// Whether the function reads the frame (the others ignore it).
    public var usesFrame: Bool {
        switch self {
        case .firstValue, .lastValue, .nthValue, .aggregate: return true
        default: return false
        }
    }
}

/// One end of a frame. Offsets are constants: a row count for ROWS, a value of the order
/// key's type (or an interval for times) for RANGE.
public enum BoundFrameBound: Sendable {
    case unboundedPreceding
    case preceding(Value)
    case currentRow
    case following(Value)
    case unboundedFollowing

    var text: String {
        switch self {
        case .unboundedPreceding: return "UNBOUNDED PRECEDING"
        case .preceding(let v): return "\(BoundExpr.literalText(v)) PRECEDING"
        case .currentRow: return "CURRENT ROW"
        case .following(let v): return "\(BoundExpr.literalText(v)) FOLLOWING"
        case .unboundedFollowing: return "UNBOUNDED FOLLOWING"
        }
    }
}

/// A frame with the defaults of the SQL standard filled in.
public struct BoundFrame: Sendable {
    public var unit: WindowFrame.Unit
    public var start: BoundFrameBound
    public var end: BoundFrameBound
    public var exclude: FrameExclusion

    public init(unit: WindowFrame.Unit, start: BoundFrameBound, end: BoundFrameBound, exclude: FrameExclusion) {
        self.unit = unit
        self.start = start
        self.end = end
        self.exclude = exclude
    }

    /// Without ORDER BY the whole partition; with it, up to the current row and its peers.
    public static func standard(ordered: Bool) -> BoundFrame {
        BoundFrame(unit: .range, start: .unboundedPreceding, end: ordered ? .currentRow : .unboundedFollowing,
                   exclude: .noOthers)
    }

    /// Whether every frame is its whole partition (`ordered`: the window has an ORDER BY).
    public func coversPartition(ordered: Bool) -> Bool {
        guard case .unboundedPreceding = start, exclude == .noOthers else { return false }
        switch end {
        case .unboundedFollowing: return true
        case .currentRow: return unit == .range && !ordered
        default: return false
        }
    }

    var text: String {
        var out = "\(unit.rawValue) BETWEEN \(start.text) AND \(end.text)"
        if exclude != .noOthers { out += " EXCLUDE \(exclude.rawValue)" }
        return out
    }
}

/// A window function call of a window node. Expressions are over the node's input columns.
public struct BoundWindowFunction: Sendable {
    public var kind: WindowFunctionKind
    public var arguments: [BoundExpr]
    /// `count(DISTINCT x) OVER …`
    public var distinct: Bool
    /// `FILTER (WHERE …)` of an aggregate.
    public var filter: BoundExpr?
    public var ignoreNulls: Bool
    public var partitionBy: [BoundExpr]
    public var orderBy: [BoundSortKey]
    public var frame: BoundFrame
    public var type: DataType
    public var range: SourceRange?
    /// Set by the `window_top_k` pass on a `row_number()` whose only use is a filter
    /// `row_number() = 1` above: rows whose number is not 1 may be left out (that filter
    /// drops them anyway), so the operator may keep the first row of each partition only.
    public var firstRowOnly = false

    public init(kind: WindowFunctionKind, arguments: [BoundExpr], distinct: Bool = false, filter: BoundExpr? = nil,
                ignoreNulls: Bool = false, partitionBy: [BoundExpr], orderBy: [BoundSortKey], frame: BoundFrame,
                type: DataType, range: SourceRange? = nil) {
        self.kind = kind
        self.arguments = arguments
        self.distinct = distinct
        self.filter = filter
        self.ignoreNulls = ignoreNulls
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.type = type
        self.range = range
    }

    /// The partitioning and order, as text: functions with the same one share a sort.
    public var specificationKey: String {
        "P[" + partitionBy.map(\.structuralKey).joined(separator: ",") + "]O["
            + orderBy.map { "\($0.expr.structuralKey) \($0.descending) \($0.nullsFirst)" }.joined(separator: ",") + "]"
    }

    /// Equal for two calls that compute the same column (a call written twice is one column).
    public var structuralKey: String {
        kind.name + "(" + arguments.map(\.structuralKey).joined(separator: ",") + ")" + "\(distinct)\(ignoreNulls)"
            + (filter?.structuralKey ?? "") + specificationKey + (kind.usesFrame ? frame.text : "")
    }

    /// An aggregate over its whole partition in a window without ORDER BY
    /// (`min(time) OVER (PARTITION BY source_ip)`): a grouped aggregate on the partition
    /// keys, broadcast to the rows, with no sort.
    public var isWholePartitionAggregate: Bool {
        guard case .aggregate = kind, orderBy.isEmpty else { return false }
        return frame.coversPartition(ordered: false)
    }

    /// Every expression it holds, in a fixed order (for rewrites).
    public var expressions: [BoundExpr] {
        arguments + (filter.map { [$0] } ?? []) + partitionBy + orderBy.map(\.expr)
    }

    /// The function with each expression replaced by `f` of it.
    public func mapExpressions(_ f: (BoundExpr) throws -> BoundExpr) rethrows -> BoundWindowFunction {
        var out = self
        out.arguments = try arguments.map(f)
        out.filter = try filter.map(f)
        out.partitionBy = try partitionBy.map(f)
        out.orderBy = try orderBy.map { BoundSortKey(expr: try f($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        return out
    }
}

extension BoundWindowFunction: CustomStringConvertible {
    /// `sum(x) OVER (PARTITION BY a ORDER BY t ROWS BETWEEN …)`
    public var description: String {
        var call = kind.name + "(" + (distinct ? "DISTINCT " : "") + arguments.map(\.description).joined(separator: ", ")
        if ignoreNulls { call += " IGNORE NULLS" }
        call += ")"
        if let filter { call += " FILTER (WHERE \(filter))" }
        var spec: [String] = []
        if !partitionBy.isEmpty { spec.append("PARTITION BY " + partitionBy.map(\.description).joined(separator: ", ")) }
        if !orderBy.isEmpty { spec.append("ORDER BY " + orderBy.map(\.description).joined(separator: ", ")) }
        if kind.usesFrame { spec.append(frame.text) }
        return call + " OVER (" + spec.joined(separator: " ") + ")" + (firstRowOnly ? " first row only" : "")
    }
}

extension BoundWindowFunction {
    /// How the window operator runs `functions`, for EXPLAIN: one clause per distinct
    /// PARTITION BY / ORDER BY, in order of first use, e.g.
    /// `partitioned by repository, sorted by time ASC; whole-partition aggregate by source_ip, no sort`.
    public static func strategy(of functions: [BoundWindowFunction]) -> String {
        var seen: [String: Int] = [:]
        var groups: [[BoundWindowFunction]] = []
        for f in functions {
            if let k = seen[f.specificationKey] {
                groups[k].append(f)
            } else {
                seen[f.specificationKey] = groups.count
                groups.append([f])
            }
        }
        return groups.map { fs -> String in
            let f = fs[0]
            let keys = f.partitionBy.map(\.description).joined(separator: ", ")
            let order = "sorted by " + f.orderBy.map(\.description).joined(separator: ", ")
            if fs.count == 1, f.firstRowOnly {
                return "first row per partition" + (keys.isEmpty ? "" : " by " + keys) + ", " + order
            }
            if fs.allSatisfy(\.isWholePartitionAggregate) {
                return (keys.isEmpty ? "aggregate over all rows" : "whole-partition aggregate by " + keys) + ", no sort"
            }
            return (keys.isEmpty ? "one partition" : "partitioned by " + keys) + ", "
                + (f.orderBy.isEmpty ? "input order" : order)
        }.joined(separator: "; ")
    }
}

// The logical plan: relational operators over bound expressions. The binder builds it,
// optimizer passes rewrite it, the physical planner turns it into operators.
// Column references in a node's expressions index the node's input columns (for a join:
// the left input's columns, then the right's).

public indirect enum LogicalPlan: Sendable {
    case scan(LogicalScan)
    /// `range(…)` / `generate_series(…)` in FROM: one column of numbers or times.
    case series(LogicalSeries)
    /// Literal rows (`SELECT` without `FROM` is one row of no columns).
    case values(rows: [[BoundExpr]], schema: [ColumnSchema])
    case filter(LogicalPlan, predicate: BoundExpr)
    case project(LogicalPlan, expressions: [BoundExpr], names: [String])
    /// Output: the group expressions, then the aggregates, named by `names`.
    case aggregate(LogicalPlan, groups: [BoundExpr], aggregates: [BoundAggregate], names: [String])
    case join(LogicalPlan, LogicalPlan, kind: JoinType, condition: BoundExpr?)
    /// The input's columns, then one column per window function, named by `names`.
    case window(LogicalPlan, functions: [BoundWindowFunction], names: [String])
    /// `unnest(list)` in a select list: each input row repeated once per element of its
    /// longest list, with the input's columns, then one column per list holding the element
    /// (NULL once a shorter list has run out). A row whose lists are all NULL or empty gives
    /// no row. `lists` are LIST-typed expressions over the input.
    case unnest(LogicalPlan, lists: [BoundExpr], names: [String])
    case sort(LogicalPlan, keys: [BoundSortKey])
    case limit(LogicalPlan, limit: Int?, offset: Int)
    /// LIMIT / OFFSET as bound (constant expressions); the `limit_constants` pass evaluates
    /// them and leaves a `.limit` in their place.
    case limitClause(LogicalPlan, limit: BoundExpr?, offset: BoundExpr?)
    /// ORDER BY … LIMIT fused: keeps only `limit + offset` rows while sorting.
    case topN(LogicalPlan, keys: [BoundSortKey], limit: Int, offset: Int)
    case distinct(LogicalPlan)
    /// Inputs have the same column types; output names are the first input's.
    case unionAll([LogicalPlan])
    /// `EXCEPT [ALL]`, `INTERSECT [ALL]`
    case setDifference(LogicalPlan, LogicalPlan, intersect: Bool, all: Bool)
    /// No rows (a filter folded to false).
    case empty(schema: [ColumnSchema])
}

public enum JoinType: String, Sendable {
    case inner = "INNER"
    case left = "LEFT"
    /// Left rows without a match padded with NULLs on the right, then right rows without
    /// a match padded on the left.
    case full = "FULL"
    case cross = "CROSS"
    /// The left rows with a match (`IN`, `EXISTS`); only the left input's columns.
    case semi = "SEMI"
    /// The left rows without a match (`NOT EXISTS`); only the left input's columns.
    case anti = "ANTI"
    /// `NOT IN`: the left rows whose key is not NULL and has no match, none when some right
    /// key is NULL, every one when the right input has no rows; only the left input's columns.
    case nullAwareAnti = "NULL-AWARE ANTI"

    /// Semi and anti joins give only the left input's columns (the right one only tests).
    public var keepsLeftOnly: Bool { self == .semi || self == .anti || self == .nullAwareAnti }

    /// Whether columns of types `a` and `b` can be hash-join keys of each other as they are.
    public static func keysMatch(_ a: DataType, _ b: DataType) -> Bool {
        a == b || (a.isString && b.isString)
    }
}

/// A table scan: which columns it reads, and predicates pushed into it (over the
/// scanned columns, in `columns` order).
public struct LogicalScan: Sendable {
    public var table: Table
    /// Positions of the table's columns that the scan produces, in output order.
    public var columns: [Int]
    /// Conjuncts evaluated during the scan; column indexes refer to `columns` positions.
    public var filters: [BoundExpr]
    /// The name it was referred to by (alias or table name), for EXPLAIN.
    public var alias: String
    /// JSON paths read from a JSON column's sub-columns (the `raw_paths` pass puts them here):
    /// output columns after `columns`, in this order.
    public var paths: [ScanPath] = []

    /// Output columns: `columns`, then `paths`.
    public var width: Int { columns.count + paths.count }

    public init(table: Table, columns: [Int], filters: [BoundExpr] = [], alias: String) {
        self.table = table
        self.columns = columns
        self.filters = filters
        self.alias = alias
    }
}

/// `json_extract_string(column, 'path')` (VARCHAR) or `json_extract(column, 'path')` (JSON)
/// read by a scan: from the chunk's sub-column of that path when it has one, else from the text.
public struct ScanPath: Sendable, Hashable {
    /// The table's JSON column.
    public var column: Int
    public var path: JSONKeyPath
    /// true: json_extract_string; false: json_extract.
    public var asString: Bool

    public init(column: Int, path: JSONKeyPath, asString: Bool) {
        self.column = column
        self.path = path
        self.asString = asString
    }

    public var type: DataType { asString ? .varchar : .json }
}

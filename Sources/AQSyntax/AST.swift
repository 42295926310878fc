// The abstract syntax tree: what the parser builds and the binder reads. Every node carries
// the byte range of the text it came from. The grammar is `grammar/aq.ebnf`.

/// A name as written. `name` is folded to lower case unless the identifier was `"quoted"`.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var quoted: Bool
    public var range: SourceRange

    public init(name: String, quoted: Bool = false, range: SourceRange) {
        self.name = quoted ? name : name.lowercased()
        self.quoted = quoted
        self.range = range
    }

    public var description: String { name }
}

// MARK: - Statements

/// One statement of a script.
public struct Statement: Sendable {
    public var kind: Kind
    /// The statement's text, without the closing `;`.
    public var range: SourceRange

    public init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Sendable {
        case query(Query)
        case explain(Statement)
        /// `EXPLAIN ANALYZE statement`: run it and show each operator's rows and time.
        case explainAnalyze(Statement)
        case createTable(CreateTable)
        /// `CREATE [OR REPLACE] VIEW name [(columns)] AS query`
        case createView(CreateView)
        case dropView(name: Identifier, ifExists: Bool)
        /// `CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] name [START [WITH] n] [INCREMENT [BY] n]`
        case createSequence(CreateSequence)
        case dropSequence(name: Identifier, ifExists: Bool)
        case insert(Insert)
        case dropTable(name: Identifier, ifExists: Bool)
        case showTables
        case describe(Identifier)
        /// `LOAD 'path' [AS table] [FORMAT name]`
        case load(Load)
        /// `OPEN 'file'`: a saved store
        case open(path: String, pathRange: SourceRange)
        /// `SAVE ['file']`: every table to a store file (without a file: the one opened or
        /// saved last).
        case save(path: String?, pathRange: SourceRange?)
        /// `SET name = value`, `RESET name`
        case set(Setting)
        /// `SET VARIABLE name = expression`
        case setVariable(name: Identifier, value: Expr)
        /// `TIMELINE filter [window] [LIMIT n]`: the matching events in time order.
        case timeline(EventQuery)
        /// `SUMMARY filter [window]`: one row per action, then a total.
        case summary(EventQuery)
        /// `SHOW SOURCES`: what the loaded logs cover.
        case showSources
        /// `COPY (query) | table TO 'path' (options)`: rows out to files.
        case copy(Copy)
        /// `EXPLAIN CLICKHOUSE statement`: the statement in ClickHouse's SQL.
        case explainClickHouse(Statement)
        /// `EXPLAIN CLICKHOUSE DDL ['location']`: the ClickHouse table for `events` and the
        /// INSERT that loads an export from `location`.
        case explainClickHouseDDL(location: String?)
        /// `SHOW RAW PATHS [FROM table]`: the JSON paths read from sub-columns (`events` when
        /// no table is named).
        case showRawPaths(table: Identifier?)
    }
}

/// The filter, time window and limit of a TIMELINE or SUMMARY statement.
public struct EventQuery: Sendable {
    /// Any boolean expression over `events`.
    public var filter: Expr
    public var window: EventWindow?
    /// `LIMIT n` (TIMELINE only).
    public var limit: Expr?
    /// The statement's keyword (TIMELINE or SUMMARY), for the parts the binder adds.
    public var keywordRange: SourceRange

    public init(filter: Expr, window: EventWindow? = nil, limit: Expr? = nil, keywordRange: SourceRange) {
        self.filter = filter
        self.window = window
        self.limit = limit
        self.keywordRange = keywordRange
    }
}

/// `SINCE d` (`time >= now() - d`) or `FROM t1 TO t2` (`t1 <= time < t2`).
public enum EventWindow: Sendable {
    case since(Expr)
    case between(from: Expr, to: Expr)
}

public struct CreateTable: Sendable {
    public var name: Identifier
    public var ifNotExists: Bool
    public var orReplace: Bool
    /// Either columns or a query, never both.
    public var columns: [ColumnDefinition]
    /// Table-level key constraints, in the order written.
    public var keys: [KeyConstraint]
    public var asQuery: Query?

    public init(name: Identifier, ifNotExists: Bool = false, orReplace: Bool = false,
                columns: [ColumnDefinition] = [], keys: [KeyConstraint] = [], asQuery: Query? = nil) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.orReplace = orReplace
        self.columns = columns
        self.keys = keys
        self.asQuery = asQuery
    }
}

/// A named query, bound anew each time it is used.
public struct CreateView: Sendable {
    public var name: Identifier
    public var orReplace: Bool
    public var columnNames: [Identifier]
    public var query: Query

    public init(name: Identifier, orReplace: Bool = false, columnNames: [Identifier] = [], query: Query) {
        self.name = name
        self.orReplace = orReplace
        self.columnNames = columnNames
        self.query = query
    }
}

/// A counter that `nextval('name')` advances: `start` first, then steps of `increment`.
public struct CreateSequence: Sendable {
    public var name: Identifier
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// nil: 1, or -1 when `increment` is negative (as in DuckDB).
    public var start: Int64?
    public var increment: Int64

    public init(name: Identifier, orReplace: Bool = false, ifNotExists: Bool = false, start: Int64? = nil,
                increment: Int64 = 1) {
        self.name = name
        self.orReplace = orReplace
        self.ifNotExists = ifNotExists
        self.start = start
        self.increment = increment
    }
}

public struct ColumnDefinition: Sendable {
    public var name: Identifier
    public var type: TypeName
    public var notNull: Bool
    /// `PRIMARY KEY` on the column (implies NOT NULL).
    public var primaryKey: Bool
    /// `UNIQUE` on the column.
    public var unique: Bool
    /// `DEFAULT expr`: the value of the column when an INSERT does not give one.
    public var defaultValue: Expr?

    public init(name: Identifier, type: TypeName, notNull: Bool = false, primaryKey: Bool = false,
                unique: Bool = false, defaultValue: Expr? = nil) {
        self.name = name
        self.type = type
        self.notNull = notNull
        self.primaryKey = primaryKey
        self.unique = unique
        self.defaultValue = defaultValue
    }
}

/// A table-level `PRIMARY KEY (a, b)` or `UNIQUE (a, b)`.
public struct KeyConstraint: Sendable {
    public var primary: Bool
    public var columns: [Identifier]
    public var range: SourceRange

    public init(primary: Bool, columns: [Identifier], range: SourceRange) {
        self.primary = primary
        self.columns = columns
        self.range = range
    }
}

/// `SET [SESSION | GLOBAL] name = value` (`value` nil: `RESET name`).
public struct Setting: Sendable {
    public var name: Identifier
    /// The value as written: a string's contents, a word, a number, `true` / `false`.
    public var value: String?
    public var valueRange: SourceRange?

    public init(name: Identifier, value: String?, valueRange: SourceRange?) {
        self.name = name
        self.value = value
        self.valueRange = valueRange
    }
}

public struct Insert: Sendable {
    public var table: Identifier
    /// Named target columns, or nil for all columns in table order.
    public var columns: [Identifier]?
    public var source: InsertSource

    public init(table: Identifier, columns: [Identifier]?, source: InsertSource) {
        self.table = table
        self.columns = columns
        self.source = source
    }
}

public enum InsertSource: Sendable {
    case values([[Expr]])
    case query(Query)
}

public struct Load: Sendable {
    public var path: String
    public var pathRange: SourceRange
    /// `AS name`: a generic CSV / JSON-lines table instead of `events`.
    public var table: Identifier?
    /// `FORMAT name`, lower-cased.
    public var format: Identifier?
    /// `FORCE`: read files the database has loaded before too.
    public var force = false

    public init(path: String, pathRange: SourceRange, table: Identifier? = nil, format: Identifier? = nil) {
        self.path = path
        self.pathRange = pathRange
        self.table = table
        self.format = format
    }
}

/// `COPY source TO 'path' (option value, …)`, as DuckDB spells it.
public struct Copy: Sendable {
    public enum Source: Sendable {
        case table(Identifier)
        case query(Query)
    }

    public var source: Source
    public var path: String
    public var pathRange: SourceRange
    public var options: [CopyOption]

    public init(source: Source, path: String, pathRange: SourceRange, options: [CopyOption] = []) {
        self.source = source
        self.path = path
        self.pathRange = pathRange
        self.options = options
    }
}

/// One option of COPY: a name and, unless it is a bare flag, a value.
public struct CopyOption: Sendable {
    public var name: Identifier
    public var value: CopyOptionValue?
    public var range: SourceRange

    public init(name: Identifier, value: CopyOptionValue?, range: SourceRange) {
        self.name = name
        self.value = value
        self.range = range
    }
}

public enum CopyOptionValue: Sendable {
    /// A bare word or a string: `parquet`, `'gzip'`.
    case word(String)
    case integer(Int)
    case boolean(Bool)
    /// `(a, b)`
    case columns([Identifier])

    public var word: String? {
        if case .word(let w) = self { return w }
        return nil
    }

    public var integer: Int? {
        if case .integer(let n) = self { return n }
        return nil
    }

    public var boolean: Bool? {
        switch self {
        case .boolean(let b): return b
        case .integer(let n) where n == 0 || n == 1: return n == 1
        case .word(let w) where ["true", "false"].contains(w.lowercased()): return w.lowercased() == "true"
        default: return nil
        }
    }

    public var columns: [Identifier]? {
        switch self {
        case .columns(let c): return c
        default: return nil
        }
    }
}

/// A type as written: `VARCHAR(20)`, `BIGINT`, `TIMESTAMP`. The binder maps names to types.
public struct TypeName: Sendable, Hashable {
    public var name: String          // lower-cased, e.g. "varchar", "double precision"
    public var arguments: [Int]      // `VARCHAR(20)` → [20]
    /// How many `[]` follow: `INTEGER[]` is a list of INTEGER, `INTEGER[][]` a list of those.
    public var listDepth: Int
    public var range: SourceRange

    public init(name: String, arguments: [Int] = [], listDepth: Int = 0, range: SourceRange) {
        self.name = name.lowercased()
        self.arguments = arguments
        self.listDepth = listDepth
        self.range = range
    }
}

// MARK: - Queries

/// `[WITH …] body [ORDER BY …] [LIMIT …] [OFFSET …]`
public final class Query: @unchecked Sendable {
    public var with: [CommonTableExpression]
    /// `WITH RECURSIVE`: a WITH query may name itself.
    public var recursive = false
    public var body: QueryBody
    public var orderBy: [OrderItem]
    public var limit: Expr?
    public var offset: Expr?
    public var range: SourceRange

    public init(with: [CommonTableExpression] = [], body: QueryBody, orderBy: [OrderItem] = [],
                limit: Expr? = nil, offset: Expr? = nil, range: SourceRange) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.range = range
    }
}

public struct CommonTableExpression: Sendable {
    public var name: Identifier
    public var columnNames: [Identifier]
    public var query: Query

    public init(name: Identifier, columnNames: [Identifier] = [], query: Query) {
        self.name = name
        self.columnNames = columnNames
        self.query = query
    }
}

public indirect enum QueryBody: Sendable {
    case select(Select)
    /// `left UNION [ALL] right`, `EXCEPT`, `INTERSECT`
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody, range: SourceRange)
    /// A parenthesized query with its own ORDER BY / LIMIT.
    case nested(Query)
    /// `VALUES (…), (…)` as a query body.
    case values([[Expr]], range: SourceRange)
}

public enum SetOperator: String, Sendable {
    case union = "UNION"
    case except = "EXCEPT"
    case intersect = "INTERSECT"
}

/// `SELECT [DISTINCT [ON (…)]] items [FROM …] [WHERE …] [GROUP BY …] [HAVING …]`
public struct Select: Sendable {
    public var distinct: Bool
    /// `DISTINCT ON (e, …)`: one row per distinct value of these (`distinct` is true).
    public var distinctOn: [Expr] = []
    public var items: [SelectItem]
    /// The FROM clause: comma-separated items are cross joins; nil when there is no FROM.
    public var from: TableReference?
    public var whereClause: Expr?
    public var groupBy: GroupBy?
    public var having: Expr?
    /// `WINDOW w AS (…), …`: named window specifications, in the order written.
    public var windows: [NamedWindow]
    /// `QUALIFY …`: a filter on the rows after the window functions.
    public var qualify: Expr?
    public var range: SourceRange

    public init(distinct: Bool = false, items: [SelectItem], from: TableReference? = nil,
                whereClause: Expr? = nil, groupBy: GroupBy? = nil, having: Expr? = nil,
                windows: [NamedWindow] = [], qualify: Expr? = nil, range: SourceRange) {
        self.distinct = distinct
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
        self.qualify = qualify
        self.range = range
    }
}

public enum GroupBy: Sendable {
    /// `GROUP BY e1, e2` (an expression may be a position `1` or an output alias)
    case expressions([Expr])
    /// `GROUP BY ALL`
    case all(range: SourceRange)
}

public enum SelectItem: Sendable {
    case expression(Expr, alias: Identifier?)
    /// `*` or `t.*`; `EXCLUDE (a, b)` leaves columns out, `REPLACE (e AS a)` puts `e` in
    /// column `a`'s place.
    case star(qualifier: Identifier?, exclude: [Identifier], replace: [StarReplacement] = [], range: SourceRange)
}

/// `expression AS column` of a `* REPLACE (…)` list.
public struct StarReplacement: Sendable {
    public var expr: Expr
    public var column: Identifier

    public init(expr: Expr, column: Identifier) {
        self.expr = expr
        self.column = column
    }
}

public struct OrderItem: Sendable {
    public var expr: Expr
    public var descending: Bool
    /// nil: the default (NULLs last both ways).
    public var nullsFirst: Bool?

    public init(expr: Expr, descending: Bool = false, nullsFirst: Bool? = nil) {
        self.expr = expr
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

public indirect enum TableReference: Sendable {
    case table(name: Identifier, alias: Identifier?, range: SourceRange)
    case subquery(Query, alias: Identifier?, columnNames: [Identifier], range: SourceRange)
    case join(JoinKind, TableReference, TableReference, on: Expr?, range: SourceRange)
    /// A table function: `range(10) AS t (i)`, `generate_series(1, 5)`.
    case function(FunctionCall, alias: Identifier?, columnNames: [Identifier], range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .table(_, _, let r), .subquery(_, _, _, let r), .join(_, _, _, _, let r), .function(_, _, _, let r):
            return r
        }
    }
}

public enum JoinKind: String, Sendable {
    case inner = "INNER"
    case left = "LEFT"
    /// `a RIGHT JOIN b`: every row of b, as `b LEFT JOIN a` with a's columns first.
    case right = "RIGHT"
    /// `a FULL JOIN b`: every row of both sides, NULL-padded where it matched nothing.
    case full = "FULL"
    /// `CROSS JOIN` and `,`
    case cross = "CROSS"
    /// `a SEMI JOIN b ON c`: the rows of a for which some row of b meets c (a's columns only).
    case semi = "SEMI"
    /// `a ANTI JOIN b ON c`: the rows of a for which no row of b meets c (a's columns only).
    case anti = "ANTI"
}

// MARK: - Expressions

public struct Expr: Sendable {
    public var kind: ExprKind
    public var range: SourceRange

    public init(_ kind: ExprKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public indirect enum ExprKind: Sendable {
    case literal(Literal)
    /// `a`, `t.a`: one or two name parts.
    case column([Identifier])
    /// `*` inside `count(*)` is a FunctionCall with `star`; this is only `t.*` / `*` misplaced.
    case star(qualifier: Identifier?)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case between(Expr, low: Expr, high: Expr, negated: Bool)
    case inList(Expr, [Expr], negated: Bool)
    case inSubquery(Expr, Query, negated: Bool)
    case exists(Query)
    case subquery(Query)
    case isNull(Expr, negated: Bool)
    /// `a IS [NOT] DISTINCT FROM b`
    case isDistinctFrom(Expr, Expr, negated: Bool)
    /// `IS [NOT] TRUE` / `IS [NOT] FALSE`
    case isBoolean(Expr, value: Bool, negated: Bool)
    /// `[NOT] LIKE` / `[NOT] ILIKE` with an optional `ESCAPE`
    case like(Expr, pattern: Expr, caseInsensitive: Bool, negated: Bool, escape: Expr?)
    case caseWhen(operand: Expr?, whens: [WhenClause], elseResult: Expr?)
    /// `CAST(x AS t)`, `x::t`, `TRY_CAST(x AS t)`
    case cast(Expr, TypeName, isTry: Bool)
    case function(FunctionCall)
    /// `INTERVAL '15 minutes'`, `INTERVAL 15 MINUTE` (value text, optional unit word)
    case interval(Expr, unit: String?)
    /// `$name`: a value given from outside (`--param name=…`, `SET VARIABLE`).
    case parameter(Identifier)
    /// `[a, b, …]`: a list value.
    case list([Expr])
}

public struct WhenClause: Sendable {
    public var condition: Expr
    public var result: Expr

    public init(condition: Expr, result: Expr) {
        self.condition = condition
        self.result = result
    }
}

public enum Literal: Sendable, Equatable {
    case null
    case boolean(Bool)
    /// Digits as written; the binder checks the range.
    case integer(String)
    /// A number with a fraction or exponent.
    case double(String)
    case string(String)
    /// A duration literal as written: `30s`, `15m`, `1h`, `7d`, `2w` (also `100ms`, `5us`, `1ns`).
    case duration(value: Int64, unit: DurationUnit)
    /// A typed literal `TIMESTAMP '…'`, `DATE '…'`.
    case typed(TypeName, String)
}

public enum DurationUnit: String, Sendable {
    case nanoseconds = "ns", microseconds = "us", milliseconds = "ms"
    case seconds = "s", minutes = "m", hours = "h", days = "d", weeks = "w"
}

public enum UnaryOperator: String, Sendable {
    case not = "NOT"
    case negate = "-"
    case plus = "+"
}

public enum BinaryOperator: String, Sendable {
    case or = "OR", and = "AND"
    case equal = "=", notEqual = "<>", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", integerDivide = "//", modulo = "%"
    case concat = "||"
}

public struct FunctionCall: Sendable {
    public var name: Identifier
    public var arguments: [Expr]
    /// `count(*)`
    public var star: Bool
    public var distinct: Bool
    /// `string_agg(x, ',' ORDER BY y)`
    public var orderBy: [OrderItem]
    /// `FILTER (WHERE …)`
    public var filter: Expr?
    /// `lag(x IGNORE NULLS)`
    public var ignoreNulls: Bool
    /// `OVER (…)` or `OVER name`: the call is a window function.
    public var over: WindowSpec?

    public init(name: Identifier, arguments: [Expr], star: Bool = false, distinct: Bool = false,
                orderBy: [OrderItem] = [], filter: Expr? = nil, ignoreNulls: Bool = false,
                over: WindowSpec? = nil) {
        self.name = name
        self.arguments = arguments
        self.star = star
        self.distinct = distinct
        self.orderBy = orderBy
        self.filter = filter
        self.ignoreNulls = ignoreNulls
        self.over = over
    }
}

// MARK: - Windows

/// `WINDOW name AS (spec)`
public struct NamedWindow: Sendable {
    public var name: Identifier
    public var spec: WindowSpec

    public init(name: Identifier, spec: WindowSpec) {
        self.name = name
        self.spec = spec
    }
}

/// `OVER ([base] [PARTITION BY …] [ORDER BY …] [frame])`, or `OVER base` (no parentheses).
public struct WindowSpec: Sendable {
    /// A named window this one starts from.
    public var base: Identifier?
    public var partitionBy: [Expr]
    public var orderBy: [OrderItem]
    public var frame: WindowFrame?
    public var range: SourceRange

    public init(base: Identifier? = nil, partitionBy: [Expr] = [], orderBy: [OrderItem] = [],
                frame: WindowFrame? = nil, range: SourceRange) {
        self.base = base
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.range = range
    }
}

/// `ROWS|RANGE BETWEEN start AND end [EXCLUDE …]` (or `ROWS start`: up to the current row).
public struct WindowFrame: Sendable {
    public enum Unit: String, Sendable { case rows = "ROWS", range = "RANGE" }

    public var unit: Unit
    public var start: FrameBound
    public var end: FrameBound
    public var exclude: FrameExclusion
    public var range: SourceRange

    public init(unit: Unit, start: FrameBound, end: FrameBound, exclude: FrameExclusion = .noOthers,
                range: SourceRange) {
        self.unit = unit
        self.start = start
        self.end = end
        self.exclude = exclude
        self.range = range
    }
}

public enum FrameBound: Sendable {
    case unboundedPreceding(SourceRange)
    case preceding(Expr)
    case currentRow(SourceRange)
    case following(Expr)
    case unboundedFollowing(SourceRange)

    public var range: SourceRange {
        switch self {
        case .unboundedPreceding(let r), .currentRow(let r), .unboundedFollowing(let r): return r
        case .preceding(let e), .following(let e): return e.range
        }
    }
}

/// `EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS`
public enum FrameExclusion: String, Sendable {
    case noOthers = "NO OTHERS"
    case currentRow = "CURRENT ROW"
    case group = "GROUP"
    case ties = "TIES"
}

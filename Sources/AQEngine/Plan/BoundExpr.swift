// Expressions after binding: names resolved to input column positions, functions to their
// implementations, every node typed. The binder inserts casts so that operands agree.

import AQSyntax
import Synchronization

public struct BoundExpr: Sendable {
    public var kind: BoundExprKind
    public var type: DataType
    /// Where the expression was written, for runtime errors (division by zero, bad cast).
    public var range: SourceRange?

    public init(_ kind: BoundExprKind, type: DataType, range: SourceRange? = nil) {
        self.kind = kind
        self.type = type
        self.range = range
    }
}

public indirect enum BoundExprKind: Sendable {
    case constant(Value)
    /// Column `index` of the operator's input batch; `name` is for EXPLAIN and messages.
    case column(index: Int, name: String)
    /// Cast of the operand to this expression's `type`; `isTry` gives NULL instead of an error.
    case cast(BoundExpr, isTry: Bool)
    case call(ScalarFunction, [BoundExpr])
    /// Both operands have the same type.
    case compare(ComparisonOperator, BoundExpr, BoundExpr)
    /// Operand types as `ArithmeticTyping` resolved them.
    case arithmetic(ArithmeticOperator, BoundExpr, BoundExpr)
    case negate(BoundExpr)
    case and([BoundExpr])
    case or([BoundExpr])
    case not(BoundExpr)
    case isNull(BoundExpr, negated: Bool)
    /// NULL-safe comparison `a IS [NOT] DISTINCT FROM b`; operands have the same type.
    case isDistinctFrom(BoundExpr, BoundExpr, negated: Bool)
    /// `x [NOT] IN (a, b, …)`; the list has x's type.
    case inList(BoundExpr, [BoundExpr], negated: Bool)
    /// `x [NOT] IN <set>` after an uncorrelated subquery ran; values have x's type.
    case inSet(BoundExpr, ValueSet, negated: Bool)
    /// `x [NOT] [I]LIKE pattern [ESCAPE e]`; strings.
    case like(BoundExpr, pattern: BoundExpr, caseInsensitive: Bool, negated: Bool, escape: BoundExpr?)
    /// `CASE WHEN c THEN r … ELSE e END`; results have this expression's type.
    case caseWhen([(condition: BoundExpr, result: BoundExpr)], elseResult: BoundExpr?)
    /// `COALESCE(a, b, …)`; arguments have this expression's type.
    case coalesce([BoundExpr])
    /// A subquery. An uncorrelated one runs once, before the plan that contains it, and the
    /// executor replaces it by a constant (scalar, EXISTS) or an `inSet` (IN); a correlated
    /// one runs once per distinct combination of its parameters' values.
    case subquery(BoundSubquery)
    /// Parameter `index` of the subquery whose plan holds this expression: a column of an
    /// enclosing query (a correlated reference). Each run of the subquery's plan replaces it
    /// by a constant; `name` is the reference as written, for EXPLAIN.
    case parameter(index: Int, name: String)
}/// The distinct values an IN-subquery produced, and whether one of its rows was NULL
/// (which makes `x NOT IN (…)` NULL rather than true for a value not in the set).
public final class ValueSet: @unchecked Sendable {
    public let values: Set<Value>
    public let containsNull: Bool

    public init(values: Set<Value>, containsNull: Bool) {
        self.values = values
        self.containsNull = containsNull
    }
}

/// A subquery inside an expression. `parameters` are expressions over the enclosing
/// operator's input (columns, or parameters of an enclosing subquery) whose values the plan's
/// `.parameter(index:)` references stand for; none when the subquery is uncorrelated.
public final class BoundSubquery: @unchecked Sendable {
    public enum Kind: Sendable {
        /// `(SELECT x …)`: one column; more than one row is an error; no row is NULL.
        case scalar
        case exists
        /// `probe [NOT] IN (SELECT x …)`
        case inList(probe: BoundExpr, negated: Bool)
    }

    public let kind: Kind
    public let plan: LogicalPlan
    public let range: SourceRange?
    public let parameters: [BoundExpr]
    /// How it runs (the binder's default: once, or per outer value; the optimizer may choose another).
    public let strategy: SubqueryStrategy
    /// Unique in the process (a rewrite gets a new one): names the subquery's results in the
    /// execution context while a statement runs.
    public let id = BoundSubquery.counter.add(1, ordering: .relaxed).newValue
    private static let counter = Atomic<Int>(0)
    /// The highest id given so far: a subquery made later has a higher one.
    public static var idsIssued: Int { counter.load(ordering: .relaxed) }

    public init(kind: Kind, plan: LogicalPlan, range: SourceRange?, parameters: [BoundExpr] = [],
                strategy: SubqueryStrategy? = nil) {
        self.kind = kind
        self.plan = plan
        self.range = range
        self.parameters = parameters
        self.strategy = strategy ?? (parameters.isEmpty ? .once : .perValue)
    }

    public var isCorrelated: Bool { !parameters.isEmpty }

    /// The same subquery with other parts (a rewrite of its probe, parameters or plan).
    /// Without parameters it runs once, whatever it was chosen to do before.
    public func with(kind: Kind? = nil, plan: LogicalPlan? = nil, parameters: [BoundExpr]? = nil,
                     strategy: SubqueryStrategy? = nil) -> BoundSubquery {
        let parameters = parameters ?? self.parameters
        return BoundSubquery(kind: kind ?? self.kind, plan: plan ?? self.plan, range: range, parameters: parameters,
                             strategy: parameters.isEmpty ? .once : strategy ?? self.strategy)
    }
}

/// An aggregate call of an aggregate operator.
public struct BoundAggregate: Sendable {
    public var function: AggregateFunction
    /// Arguments over the aggregate's input columns (empty for `count(*)`).
    public var arguments: [BoundExpr]
    public var distinct: Bool
    /// `FILTER (WHERE …)`
    public var filter: BoundExpr?
    /// `string_agg(x, sep ORDER BY …)`
    public var orderBy: [BoundSortKey]
    public var type: DataType
    public var range: SourceRange?

    public init(function: AggregateFunction, arguments: [BoundExpr], distinct: Bool = false,
                filter: BoundExpr? = nil, orderBy: [BoundSortKey] = [], type: DataType, range: SourceRange? = nil) {
        self.function = function
        self.arguments = arguments
        self.distinct = distinct
        self.filter = filter
        self.orderBy = orderBy
        self.type = type
        self.range = range
    }
}

public struct BoundSortKey: Sendable {
    public var expr: BoundExpr
    public var descending: Bool
    /// Resolved: the default is NULLs last both ways.
    public var nullsFirst: Bool

    public init(expr: BoundExpr, descending: Bool, nullsFirst: Bool) {
        self.expr = expr
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

// The detail enums of `BindError`: where a name was given twice, which counts disagree,
// what arguments a function takes, which construct stands where it may not.

extension BindError {
    /// Where a name was given twice.
    public enum DuplicateName: Sendable {
        case tableColumn, insertColumn, keyColumn, withName, tableAlias, queryColumn

        func message(_ name: String) -> String {
            switch self {
            case .tableColumn: return "column '\(name)' is defined twice"
            case .insertColumn: return "column '\(name)' is named twice"
            case .keyColumn: return "column '\(name)' is named twice in the key"
            case .withName: return "duplicate WITH name '\(name)'"
            case .tableAlias: return "table name '\(name)' is used more than once; give one an alias"
            case .queryColumn: return "the query has two columns named '\(name)'; give one an alias"
            }
        }
    }

    /// Where a count of columns or values differs from the one expected.
    public enum ColumnCountSite: Sendable {
        case aliases
        case setOperation(String)
        case valuesRow
        case scalarSubquery
        case inSubquery
        case insert(table: String, named: Bool)

        func message(expected: Int, found: Int) -> String {
            switch self {
            case .aliases: return "\(found) column names given for \(expected) columns"
            case .setOperation(let op):
                return "\(op) needs the same number of columns on both sides, not \(expected) and \(found)"
            case .valuesRow: return "VALUES rows must have the same number of values (\(expected), not \(found))"
            case .scalarSubquery: return "a scalar subquery must return one column, not \(found)"
            case .inSubquery: return "the subquery of IN must return one column, not \(found)"
            case .insert(let table, let named):
                let columns = "\(expected) column\(expected == 1 ? "" : "s")" + (named ? " named" : "")
                return "table \(table) has \(columns) but \(found) value\(found == 1 ? " was" : "s were") supplied"
            }
        }
    }

    /// The arguments a function takes, for a call that gave others.
    public enum ArgumentShape: Sendable {
        case atLeastOne, oneInterval, valueAndSeparator, series, timestampSeries, one, listAndElement

        func message(_ function: String) -> String {
            switch self {
            case .atLeastOne: return "\(function) needs at least one argument"
            case .one: return "\(function) takes one argument"
            case .listAndElement: return "\(function) takes a list and an element"
            case .oneInterval: return "\(function) takes one interval, as in \(function)(7d)"
            case .valueAndSeparator: return "\(function) takes a value and an optional separator"
            case .series: return "\(function) takes 1 to 3 arguments: [start,] stop [, step]"
            case .timestampSeries: return "\(function) over timestamps takes start, stop and an INTERVAL step"
            }
        }
    }

    /// What must be a constant and is not.
    public enum ConstantOperand: Sendable {
        /// One argument of a function, by its role: `the group of regexp_extract`.
        case argument(String, of: String)
        /// All arguments of a table function.
        case arguments(of: String)
        /// A clause such as LIMIT.
        case clause(String)

        var message: String {
            switch self {
            case .argument(let role, let f): return "the \(role) of \(f) must be a constant"
            case .arguments(let f): return "the arguments of \(f) must be constants"
            case .clause(let c): return "\(c) must be a constant"
            }
        }
    }

    /// A construct written where it is not allowed.
    public enum Misuse: Sendable {
        case starHere, starOutsideCount, countDistinctStar, starWithoutFrom, excludeLeavesNothing
        case nestedAggregate, aggregateIn(clause: String), groupByAggregate
        case distinctOutsideAggregate, orderByOutsideAggregate, filterOutsideAggregate
        case distinctAggregateOrderBy, nonIntegerOrderLiteral
        case outerColumnHere, outerAggregate, defaultSubquery, explainNonQuery, variableNameNotQuoted
        case ignoreNullsOutsideWindow, ignoreNullsIn(String)
        case joinWithoutOn(kind: String)

        var message: String {
            switch self {
            case .starHere: return "'*' is not allowed here"
            case .starOutsideCount: return "'*' is only allowed in count(*)"
            case .countDistinctStar: return "count(DISTINCT *) is not supported"
            case .starWithoutFrom: return "SELECT * needs a FROM clause"
            case .excludeLeavesNothing: return "EXCLUDE leaves no columns to select"
            case .nestedAggregate: return "aggregate function calls cannot be nested"
            case .aggregateIn(let clause): return "aggregate functions are not allowed in \(clause)"
            case .groupByAggregate: return "GROUP BY cannot refer to an aggregate"
            case .distinctOutsideAggregate: return "DISTINCT is only allowed in aggregate functions"
            case .orderByOutsideAggregate: return "ORDER BY is only allowed in aggregate functions"
            case .filterOutsideAggregate: return "FILTER is only allowed in aggregate functions"
            case .distinctAggregateOrderBy: return "in a DISTINCT aggregate, ORDER BY may only use the aggregate's arguments"
            case .nonIntegerOrderLiteral: return "ORDER BY non-integer literal has no effect"
            case .outerColumnHere: return "a column of an enclosing query cannot be used here"
            case .outerAggregate:
                return "an aggregate of an enclosing query's columns is only supported where that query groups (HAVING, or a select list with GROUP BY)"
            case .defaultSubquery: return "a DEFAULT cannot contain a subquery"
            case .explainNonQuery: return "EXPLAIN works on queries, TIMELINE and SUMMARY"
            case .ignoreNullsOutsideWindow: return "IGNORE NULLS is only allowed in window functions"
            case .ignoreNullsIn(let f): return "IGNORE NULLS is not allowed in \(f)"
            case .variableNameNotQuoted: return "getvariable takes a variable name in quotes, as in getvariable('repo')"
            case .joinWithoutOn(let kind): return "\(kind) JOIN needs an ON condition"
            }
        }
    }
}

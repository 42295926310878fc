// Errors of the embedding API itself (a closed database, parameters that do not fit the
// statement, a column that is not there), worded in one place like every other diagnostic.

import AQSyntax

/// A misuse of the Swift or C API, reported as an `AQError` like any other error.
public enum APIError: Diagnostic, Sendable {
    /// The database was closed; nothing more runs on it.
    case databaseClosed
    /// `prepare` takes exactly one statement.
    case oneStatementExpected(found: Int)
    /// Positional values given for a statement with `count` positional parameters.
    case parameterCount(expected: Int, found: Int)
    /// A value given for a name the statement does not use.
    case unknownParameter(String)
    /// The statement uses `$name`, and no value was given for it.
    case missingParameter(String)
    /// A statement mixes `$name` and positional parameters, which positional values cannot bind.
    case namedParameterInPositionalCall(String)
    case unknownColumn(String, suggestion: String?)
    case columnIndex(Int, count: Int)
    /// A row value that does not fit the Swift type asked for.
    case decoding(column: String, expected: String, found: String)
    case unknownTable(String)
    /// An appended row has `found` values for a table of `expected` columns.
    case rowWidth(table: String, expected: Int, found: Int)
    /// A function name that is built in or already an aggregate.
    case functionExists(String)
    /// The statement finished with an error or was cancelled, and reading on gives it again.
    case noStatement

    public var message: String {
        switch self {
        case .databaseClosed: return "the database is closed"
        case .oneStatementExpected(let n): return "prepare takes one statement, found \(n)"
        case .parameterCount(let expected, let found):
            return "the statement takes \(expected) parameter\(expected == 1 ? "" : "s"), \(found) given"
        case .unknownParameter(let n): return "the statement has no parameter $\(n)"
        case .missingParameter(let n): return "no value given for parameter $\(n)"
        case .namedParameterInPositionalCall(let n):
            return "parameter $\(n) is named: give the values by name"
        case .unknownColumn(let n, let suggestion):
            return "no column '\(n)' in the result" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .columnIndex(let i, let count): return "column \(i) is not in the result (0 to \(count - 1))"
        case .decoding(let column, let expected, let found):
            return "column '\(column)': cannot read \(found) as \(expected)"
        case .unknownTable(let n): return "no table '\(n)'"
        case .rowWidth(let table, let expected, let found):
            return "table \(table) has \(expected) columns, the row has \(found) values"
        case .functionExists(let n): return "'\(n)' is a built-in function"
        case .noStatement: return "the text holds no statement"
        }
    }

    public var range: SourceRange? { nil }
}

extension AQError {
    /// An API error, with no statement text to point into.
    static func api(_ error: APIError) -> AQError { AQError(error, source: Source("")) }
}

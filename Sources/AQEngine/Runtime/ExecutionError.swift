// Errors raised while a statement runs, with the range of the expression that failed.

import AQSyntax

public enum ExecutionError: Diagnostic, Sendable {
    case divisionByZero(range: SourceRange?)
    /// `what` says which operation overflowed: "integer overflow in '+'".
    case overflow(String, range: SourceRange?)
    case invalidCast(value: String, to: DataType, range: SourceRange?)
    /// A function got an argument it cannot use: a malformed CIDR, regex, JSON path, unit.
    case invalidArgument(function: String, message: String, range: SourceRange?)
    case subqueryReturnedMoreThanOneRow(range: SourceRange?)
    case notNullViolation(column: String, range: SourceRange?)
    /// A file or directory could not be read or written.
    case io(path: String, message: String, range: SourceRange?)
    case unsupported(String, range: SourceRange?)
    case cancelled
    /// A limit the database or statement set was passed (`Limits`); the statement stopped
    /// and nothing it would have changed was changed.
    case limitExceeded(LimitExceeded)
    /// A function registered by the embedding program threw; `message` is its error.
    case functionFailed(function: String, message: String, range: SourceRange?)
    /// A compressed chunk of a column did not decompress to what was stored.
    case damagedChunk(table: String, column: String, chunk: Int)
    /// Anything else, already worded as a message.
    case failed(String, range: SourceRange?)

    public var message: String {
        switch self {
        case .divisionByZero: return "division by zero"
        case .overflow(let what, _): return what
        case .invalidCast(let value, let type, _):
            let shown = value.count > 60 ? String(value.prefix(60)) + "…" : value
            return "cannot cast '\(shown)' to \(type)"
        case .invalidArgument(let function, let message, _): return "\(function): \(message)"
        case .subqueryReturnedMoreThanOneRow: return "a scalar subquery returned more than one row"
        case .notNullViolation(let column, _): return "NULL in NOT NULL column '\(column)'"
        case .io(let path, let message, _): return "\(path): \(message)"
        case .unsupported(let what, _): return "\(what) is not supported"
        case .cancelled: return "cancelled"
        case .limitExceeded(let limit): return limit.message
        case .functionFailed(let function, let message, _): return "function \(function) failed: \(message)"
        case .damagedChunk(let table, let column, let chunk):
            return "the stored text of \(table).\(column) is damaged (chunk \(chunk) does not decompress)"
        case .failed(let message, _): return message
        }
    }

    public var range: SourceRange? {
        switch self {
        case .divisionByZero(let r), .overflow(_, let r), .invalidCast(_, _, let r),
             .invalidArgument(_, _, let r), .subqueryReturnedMoreThanOneRow(let r),
             .notNullViolation(_, let r), .io(_, _, let r), .unsupported(_, let r), .failed(_, let r),
             .functionFailed(_, _, let r):
            return r
        case .cancelled, .limitExceeded, .damagedChunk:
            return nil
        }
    }
}

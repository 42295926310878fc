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
    /// The process went over the memory limit (`SET memory_limit`) while the statement ran.
    case memoryLimitExceeded(limit: Int)
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
        case .memoryLimitExceeded(let limit):
            return "out of memory: the statement went over the memory limit of \(MemorySize.text(limit)) and was stopped; "
                + "what was stored before it is kept (SET memory_limit = '…' changes the limit)"
        case .failed(let message, _): return message
        }
    }

    public var range: SourceRange? {
        switch self {
        case .divisionByZero(let r), .overflow(_, let r), .invalidCast(_, _, let r),
             .invalidArgument(_, _, let r), .subqueryReturnedMoreThanOneRow(let r),
             .notNullViolation(_, let r), .io(_, _, let r), .unsupported(_, let r), .failed(_, let r):
            return r
        case .cancelled, .memoryLimitExceeded:
            return nil
        }
    }
}

// Errors of name resolution and typing, with the range of the offending name or expression.

import AQSyntax

public enum BindError: Diagnostic, Sendable {
    case unknownTable(String, suggestion: String?, range: SourceRange)
    case unknownColumn(String, suggestion: String?, range: SourceRange)
    case ambiguousColumn(String, range: SourceRange)
    case unknownFunction(String, suggestion: String?, range: SourceRange)
    case unknownType(String, range: SourceRange)
    case typeMismatch(String, range: SourceRange)
    case tableExists(String, range: SourceRange)
    case invalid(String, range: SourceRange)
    /// `$name` with no value given (by `--param name=…` or `SET VARIABLE`).
    case unknownParameter(String, range: SourceRange)
    /// A TIMELINE or SUMMARY filter that is not a BOOLEAN expression.
    case filterNotBoolean(statement: String, type: DataType, range: SourceRange)
    /// `FROM t1 TO t2` with t2 before t1 (both as written).
    case windowEndsBeforeStart(from: String, to: String, range: SourceRange)
    /// TIMELINE or SUMMARY before any logs were loaded.
    case noEvents(statement: String, range: SourceRange)
    /// A value that must be known before the statement runs (SET VARIABLE, a window bound).
    case notConstant(String, range: SourceRange)

    public var message: String {
        func didYouMean(_ s: String?) -> String { s.map { " (did you mean '\($0)'?)" } ?? "" }
        switch self {
        case .unknownTable(let n, let s, _): return "unknown table '\(n)'" + didYouMean(s)
        case .unknownColumn(let n, let s, _): return "unknown column '\(n)'" + didYouMean(s)
        case .ambiguousColumn(let n, _): return "column reference '\(n)' is ambiguous"
        case .unknownFunction(let n, let s, _): return "unknown function '\(n)'" + didYouMean(s)
        case .unknownType(let n, _): return "unknown type '\(n)'"
        case .typeMismatch(let m, _): return m
        case .tableExists(let n, _): return "table '\(n)' already exists"
        case .invalid(let m, _): return m
        case .unknownParameter(let n, _):
            return "parameter '$\(n)' was never given (give it with --param \(n)=… or SET VARIABLE \(n) = …)"
        case .filterNotBoolean(let statement, let type, _):
            return "the \(statement) filter must be BOOLEAN, not \(type) (as in \(statement) repository = 'ns/app')"
        case .windowEndsBeforeStart(let from, let to, _):
            return "the window ends before it starts: TO \(to) is before FROM \(from)"
        case .notConstant(let what, _): return "\(what) must be a constant"
        case .noEvents(let statement, _):
            return "no events loaded: \(statement) reads the events table (load logs first: LOAD 'path')"
        }
    }

    public var range: SourceRange? {
        switch self {
        case .unknownTable(_, _, let r), .unknownColumn(_, _, let r), .ambiguousColumn(_, let r),
             .unknownFunction(_, _, let r), .unknownType(_, let r), .typeMismatch(_, let r),
             .tableExists(_, let r), .invalid(_, let r), .unknownParameter(_, let r),
             .filterNotBoolean(_, _, let r), .windowEndsBeforeStart(_, _, let r), .notConstant(_, let r),
             .noEvents(_, let r):
            return r
        }
    }
}

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
    // SQL forms: star lists, views, recursive WITH
    case excludedAndReplaced(String, range: SourceRange)
    case replacedTwice(String, range: SourceRange)
    case viewExists(String, range: SourceRange)
    case unknownView(String, suggestion: String?, range: SourceRange)
    case nameIsTable(String, range: SourceRange)
    case viewRefersToItself(String, range: SourceRange)
    case viewDoesNotBind(String, reason: String, range: SourceRange)
    case viewColumnCount(view: String, given: Int, columns: Int, range: SourceRange)
    case recursiveColumnCount(String, anchor: Int, step: Int, range: SourceRange)
    case recursionLimit(String, rounds: Int, range: SourceRange)
    case recursionUnavailable(range: SourceRange)

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
        case .excludedAndReplaced(let n, _): return "column '\(n)' is both in EXCLUDE and in REPLACE"
        case .replacedTwice(let n, _): return "column '\(n)' is replaced more than once"
        case .viewExists(let n, _): return "view '\(n)' already exists"
        case .unknownView(let n, let s, _): return "unknown view '\(n)'" + didYouMean(s)
        case .nameIsTable(let n, _): return "'\(n)' is a table, not a view"
        case .viewRefersToItself(let n, _): return "view '\(n)' refers to itself"
        case .viewDoesNotBind(let n, let reason, _): return "view '\(n)' no longer binds: \(reason)"
        case .viewColumnCount(let v, let given, let columns, _):
            return "view '\(v)' names \(given) columns but its query has \(columns)"
        case .recursiveColumnCount(let n, let anchor, let step, _):
            return "the step of recursive query '\(n)' gives \(step) columns, its first part \(anchor)"
        case .recursionLimit(let n, let rounds, _): return "recursive query '\(n)' did not end after \(rounds) rounds"
        case .recursionUnavailable: return "WITH RECURSIVE cannot be evaluated here"
        }
    }

    public var range: SourceRange? {
        switch self {
        case .unknownTable(_, _, let r), .unknownColumn(_, _, let r), .ambiguousColumn(_, let r),
             .unknownFunction(_, _, let r), .unknownType(_, let r), .typeMismatch(_, let r),
             .tableExists(_, let r), .invalid(_, let r),
             .excludedAndReplaced(_, let r), .replacedTwice(_, let r),
             .viewExists(_, let r), .unknownView(_, _, let r), .nameIsTable(_, let r),
             .viewRefersToItself(_, let r), .viewDoesNotBind(_, _, let r), .viewColumnCount(_, _, _, let r),
             .recursiveColumnCount(_, _, _, let r), .recursionLimit(_, _, let r), .recursionUnavailable(let r):
            return r
        }
    }
}

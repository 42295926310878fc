// Errors of name resolution and typing, with the range of the offending name or expression.
// The cases carry data; `message` is the one place that turns them into text.

import AQSyntax

public enum BindError: Diagnostic, Sendable {
    // Names
    case unknownTable(String, suggestion: String?, range: SourceRange)
    case unknownColumn(String, suggestion: String?, range: SourceRange)
    case ambiguousColumn(String, range: SourceRange)
    case unknownFunction(String, suggestion: String?, range: SourceRange)
    case unknownTableFunction(String, suggestion: String?, range: SourceRange)
    case unknownType(String, range: SourceRange)
    case unknownSetting(String, suggestion: String?, range: SourceRange)
    case unknownIntervalUnit(String, range: SourceRange)
    case tooManyNameParts(String, range: SourceRange)
    case tableExists(String, range: SourceRange)
    case duplicateName(DuplicateName, String, range: SourceRange)
    case duplicatePrimaryKey(table: String, range: SourceRange)
    // Types, literals and constants
    case typeMismatch(String, range: SourceRange)
    case invalidLiteral(type: String, text: String, range: SourceRange)
    case literalOutOfRange(kind: String, text: String, range: SourceRange)
    case invalidSettingValue(setting: String, expected: String, found: String, range: SourceRange)
    case notConstant(ConstantOperand, range: SourceRange)
    case notAnInteger(clause: String, range: SourceRange)
    case negative(clause: String, range: SourceRange)
    case evaluation(ExecutionError, range: SourceRange)
    // Shapes: counts of columns, arguments, rows
    case columnCountMismatch(ColumnCountSite, expected: Int, found: Int, range: SourceRange)
    case wrongArguments(function: String, expected: ArgumentShape, found: Int, range: SourceRange)
    case positionOutOfRange(clause: String, position: String, count: Int, range: SourceRange)
    // Constructs used where they cannot be
    case notGrouped(column: String, range: SourceRange)
    case misplaced(Misuse, range: SourceRange)
    case nestedTooDeeply(range: SourceRange)
    case window(WindowMisuse, range: SourceRange)
    case list(ListMisuse, range: SourceRange)
    case qualifyWithoutWindow(range: SourceRange)
    // Investigations: parameters, TIMELINE and SUMMARY
    /// `$name` with no value given (by `--param name=…` or `SET VARIABLE`).
    case unknownParameter(String, range: SourceRange)
    /// A TIMELINE or SUMMARY filter that is not a BOOLEAN expression.
    case filterNotBoolean(statement: String, type: DataType, range: SourceRange)
    /// `FROM t1 TO t2` with t2 before t1 (both as written).
    case windowEndsBeforeStart(from: String, to: String, range: SourceRange)
    /// TIMELINE or SUMMARY before any logs were loaded.
    case noEvents(statement: String, range: SourceRange)
    // SQL forms: star lists, views, recursive WITH
    case excludedAndReplaced(String, range: SourceRange)
    case replacedTwice(String, range: SourceRange)
    case viewExists(String, range: SourceRange)
    case unknownView(String, suggestion: String?, range: SourceRange)
    case sequenceExists(String, range: SourceRange)
    case unknownSequence(String, suggestion: String?, range: SourceRange)
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
        case .unknownTableFunction(let n, let s, _):
            return "unknown table function '\(n)'" + (s == nil ? " (to read a file, use LOAD)" : didYouMean(s))
        case .unknownType(let n, _): return "unknown type '\(n)'"
        case .unknownSetting(let n, let s, _): return "unknown setting '\(n)'" + didYouMean(s)
        case .unknownIntervalUnit(let u, _): return "unknown interval unit '\(u)'"
        case .tooManyNameParts(let n, _): return "too many parts in the name '\(n)'"
        case .tableExists(let n, _): return "table '\(n)' already exists"
        case .duplicateName(let site, let n, _): return site.message(n)
        case .duplicatePrimaryKey(let t, _): return "table \(t) has more than one primary key"
        case .typeMismatch(let m, _): return m
        case .invalidLiteral(let type, let text, _): return "invalid \(type) '\(text)'"
        case .literalOutOfRange(let kind, let text, _): return "\(kind) \(text) is out of range"
        case .invalidSettingValue(let setting, let expected, let found, _):
            return "\(setting) must be \(expected); found '\(found)'"
        case .notConstant(let operand, _): return operand.message
        case .notAnInteger(let clause, _): return "\(clause) must be an integer"
        case .negative(let clause, _): return "\(clause) cannot be negative"
        case .evaluation(let error, _): return error.message
        case .columnCountMismatch(let site, let expected, let found, _): return site.message(expected: expected, found: found)
        case .wrongArguments(let function, let shape, _, _): return shape.message(function)
        case .positionOutOfRange(let clause, let position, let count, _):
            return "\(clause) position \(position) is not in the select list (1 to \(count))"
        case .notGrouped(let c, _): return "column '\(c)' must appear in the GROUP BY clause or be used in an aggregate function"
        case .misplaced(let misuse, _): return misuse.message
        case .nestedTooDeeply: return "query nested too deeply"
        case .window(let misuse, _): return misuse.message
        case .list(let misuse, _): return misuse.message
        case .qualifyWithoutWindow: return "QUALIFY needs a window function in the select list or in QUALIFY"
        case .unknownParameter(let n, _):
            return "parameter '$\(n)' was never given (give it with --param \(n)=… or SET VARIABLE \(n) = …)"
        case .filterNotBoolean(let statement, let type, _):
            return "the \(statement) filter must be BOOLEAN, not \(type) (as in \(statement) repository = 'ns/app')"
        case .windowEndsBeforeStart(let from, let to, _):
            return "the window ends before it starts: TO \(to) is before FROM \(from)"
        case .noEvents(let statement, _):
            return "no events loaded: \(statement) reads the events table (load logs first: LOAD 'path')"
        case .excludedAndReplaced(let n, _): return "column '\(n)' is both in EXCLUDE and in REPLACE"
        case .replacedTwice(let n, _): return "column '\(n)' is replaced more than once"
        case .viewExists(let n, _): return "view '\(n)' already exists"
        case .unknownView(let n, let s, _): return "unknown view '\(n)'" + didYouMean(s)
        case .sequenceExists(let n, _): return "sequence '\(n)' already exists"
        case .unknownSequence(let n, let s, _): return "unknown sequence '\(n)'" + didYouMean(s)
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
             .unknownFunction(_, _, let r), .unknownTableFunction(_, _, let r), .unknownType(_, let r),
             .unknownSetting(_, _, let r), .unknownIntervalUnit(_, let r), .tooManyNameParts(_, let r),
             .tableExists(_, let r), .duplicateName(_, _, let r), .duplicatePrimaryKey(_, let r),
             .typeMismatch(_, let r), .invalidLiteral(_, _, let r), .literalOutOfRange(_, _, let r),
             .invalidSettingValue(_, _, _, let r), .notConstant(_, let r),
             .notAnInteger(_, let r), .negative(_, let r), .evaluation(_, let r),
             .columnCountMismatch(_, _, _, let r), .wrongArguments(_, _, _, let r),
             .positionOutOfRange(_, _, _, let r),
             .notGrouped(_, let r), .misplaced(_, let r), .nestedTooDeeply(let r), .window(_, let r), .list(_, let r), .qualifyWithoutWindow(let r),
             .unknownParameter(_, let r), .filterNotBoolean(_, _, let r), .windowEndsBeforeStart(_, _, let r),
             .noEvents(_, let r),
             .excludedAndReplaced(_, let r), .replacedTwice(_, let r),
             .viewExists(_, let r), .unknownView(_, _, let r), .nameIsTable(_, let r),
             .sequenceExists(_, let r), .unknownSequence(_, _, let r),
             .viewRefersToItself(_, let r), .viewDoesNotBind(_, _, let r), .viewColumnCount(_, _, _, let r),
             .recursiveColumnCount(_, _, _, let r), .recursionLimit(_, _, let r), .recursionUnavailable(let r):
            return r
        }
    }
}

// Entry point of the parser (a placeholder until the hand-written parser lands).

/// One statement of a script, or the error that stopped its parse.
public enum ParsedStatement: Sendable {
    case statement(Statement)
    /// The statement could not be parsed; the parser resynchronized after the next `;`.
    case error(ParseError)
}

public struct ParseError: Diagnostic, Sendable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange?) {
        self.message = message
        self.range = range
    }
}

public enum Parser {
    /// Parses every statement of `source`, in order, recovering at `;` after an error.
    public static func parseScript(_ source: Source) -> [ParsedStatement] {
        [.error(ParseError("the parser is not written yet", at: SourceRange(start: 0, end: 0)))]
    }
}

// Why a statement could not be parsed, as data: each case carries what the message needs
// and the byte range of the offending token. `Source.render` turns it into text.

/// A syntax error in one statement.
public indirect enum ParseError: Diagnostic, Sendable, Equatable {
    /// `expected ')', found 'FROM'`
    case expected(String, found: String, at: SourceRange)
    /// `expected ')' (to close '(' at line 3)`: the input ended inside brackets.
    case unclosed(String, opener: String, line: Int, at: SourceRange)
    /// Text that is not a token: an unterminated string, invalid UTF-8, …
    case lexical(LexError, at: SourceRange)
    /// Brackets or operators nested beyond what the parser accepts.
    case nestedTooDeeply(at: SourceRange)
    /// A statement that starts with an unknown word, with the nearest statement keyword.
    case unknownStatement(String, suggestion: String?, at: SourceRange)
    /// Any other message: `unknown interval unit 'minuts' (did you mean 'minutes'?)`.
    case invalid(String, at: SourceRange?)

    /// An error with a message of its own.
    public init(_ message: String, at range: SourceRange?) {
        self = .invalid(message, at: range)
    }

    public var message: String {
        switch self {
        case .expected(let what, let found, _):
            return "expected \(what), found \(found)"
        case .unclosed(let what, let opener, let line, _):
            return "expected \(what) (to close \(opener) at line \(line))"
        case .lexical(let error, _):
            return error.message
        case .nestedTooDeeply:
            return "expression nested too deeply"
        case .unknownStatement(let word, let suggestion, _):
            if let suggestion { return "unknown statement '\(word)' (did you mean '\(suggestion)'?)" }
            return "expected a statement, found '\(word)'"
        case .invalid(let message, _):
            return message
        }
    }

    public var range: SourceRange? {
        switch self {
        case .expected(_, _, let r), .unclosed(_, _, _, let r), .lexical(_, let r),
             .nestedTooDeeply(let r), .unknownStatement(_, _, let r):
            return r
        case .invalid(_, let r):
            return r
        }
    }
}

// Tokens: what the lexer hands the parser. A token is a kind and a byte range; its text is
// sliced out of the source only when the parser needs it (names, literals, messages).

/// What kind of token this is. Every kind has a spelling for messages (`')'`, `end of input`).
public enum TokenKind: Equatable, Sendable {
    case endOfInput
    /// A bare word: a name, or a keyword (see `Token.keyword`).
    case identifier
    /// A `"quoted"` identifier; `""` inside stands for one `"`.
    case quotedIdentifier
    /// Digits only: `42`.
    case integer
    /// A number with a fraction or an exponent: `1.5`, `.5`, `1e-3`.
    case decimal
    /// A whole number immediately followed by a unit: `30s`, `15m`, `100ms`.
    case duration
    /// A `'string'`; `''` inside stands for one `'`.
    case string
    /// `$name`: a parameter given from outside the statement.
    case parameter
    case equal              // = or ==
    case notEqual           // <> or !=
    case less, lessEqual, greater, greaterEqual
    case plus, minus, star, slash, slashSlash, percent
    case caret              // ^ or **
    case concat             // ||
    case doubleColon        // ::
    case leftParen, rightParen, comma, dot, semicolon
    case leftBracket, rightBracket   // [ ] of a list literal
    /// Text that is not a token; the parser reports the error when it reaches it.
    case error(LexError)

    /// How the kind is named in "expected …" messages.
    public var spelling: String {
        switch self {
        case .endOfInput: return "end of input"
        case .identifier, .quotedIdentifier: return "identifier"
        case .integer: return "integer"
        case .decimal: return "number"
        case .duration: return "duration"
        case .string: return "string"
        case .parameter: return "parameter"
        case .equal: return "'='"
        case .notEqual: return "'<>'"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .slashSlash: return "'//'"
        case .percent: return "'%'"
        case .caret: return "'^'"
        case .concat: return "'||'"
        case .doubleColon: return "'::'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .comma: return "','"
        case .dot: return "'.'"
        case .semicolon: return "';'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .error: return "invalid text"
        }
    }
}

/// Why some text is not a token. The token's range says where.
public enum LexError: Equatable, Sendable {
    /// A `'` with no closing `'`; the range is the opening quote.
    case unterminatedString
    /// A `"` with no closing `"`; the range is the opening quote.
    case unterminatedQuotedIdentifier
    /// A `/*` with no closing `*/`; the range is the opening `/*`.
    case unterminatedBlockComment
    /// `""`: a name must have at least one character.
    case emptyQuotedIdentifier
    /// A byte that does not start or continue a valid UTF-8 sequence.
    case invalidUTF8(UInt8)
    /// A character that no token starts with.
    case unexpectedCharacter(Unicode.Scalar)
    /// `1e`, `1e+`: an exponent without digits.
    case missingExponent
    /// A number followed by letters that are not a duration unit: `5x`.
    case invalidDurationUnit(String)
    /// A duration with a fraction or exponent: `1.5h`.
    case fractionalDuration

    public var message: String {
        switch self {
        case .unterminatedString: return "unterminated string literal"
        case .unterminatedQuotedIdentifier: return "unterminated quoted identifier"
        case .unterminatedBlockComment: return "unterminated block comment"
        case .emptyQuotedIdentifier: return "empty quoted identifier"
        case .invalidUTF8(let b):
            let hex = String(b, radix: 16)
            return "invalid UTF-8 byte 0x" + (hex.count < 2 ? "0" + hex : hex)
        case .unexpectedCharacter(let c):
            switch c.value {
            case 0x2018, 0x2019: return "unexpected character '\(c)' (strings use ')"
            case 0x201C, 0x201D: return "unexpected character '\(c)' (quoted names use \")"
            case 0x20...0x7E: return "unexpected character '\(c)'"
            default:
                let hex = String(c.value, radix: 16, uppercase: true)
                return "unexpected character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        case .missingExponent: return "invalid number: missing exponent digits"
        case .invalidDurationUnit(let unit):
            return "invalid duration unit '\(unit)' (expected ns, us, ms, s, m, h, d or w)"
        case .fractionalDuration: return "a duration literal needs a whole number (write 90m, not 1.5h)"
        }
    }
}

/// One token: its kind, the keyword it spells (if it is a bare word that is one), and
/// the byte range `start..<end` of its text in the source.
public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var keyword: Keyword?
    public var start: Int
    public var end: Int

    public init(kind: TokenKind, keyword: Keyword? = nil, start: Int, end: Int) {
        self.kind = kind
        self.keyword = keyword
        self.start = start
        self.end = end
    }

    public var range: SourceRange { SourceRange(start: start, end: end) }
}

// Whether typed text holds a finished statement, decided by a small byte state machine that
// knows only strings, quoted identifiers and comments (SQLite's complete.c), never the parser.
// The REPL uses it to know when to run what was typed and which continuation prompt to show.

/// Where a scan of text stopped: in ordinary text or inside a construct that a newline
/// alone does not close.
public enum LexicalState: Sendable, Equatable {
    /// Ordinary text (or a `--` comment, which the next newline ends).
    case normal
    /// Inside a `'…'` string literal.
    case string
    /// Inside a `"…"` quoted identifier.
    case quotedIdentifier
    /// Inside a `/* … */` comment.
    case blockComment
}

/// Splits text into `;`-terminated statements without parsing them.
public enum StatementCompleteness {
    /// The result of scanning text: the statements that end in `;` and what follows them.
    public struct Scan: Sendable, Equatable {
        /// Byte ranges of the finished statements, each including its `;`, in order. Text
        /// between two statements (whitespace, comments) belongs to the later one.
        public var statements: [Range<Int>]
        /// Byte offset where the unfinished rest starts (the text's length if none).
        public var restStart: Int
        /// True when the rest holds nothing but whitespace and comments.
        public var restIsBlank: Bool
        /// The state at the end of the text; not `.normal` means the rest is unfinished
        /// inside a string, quoted identifier or block comment.
        public var endState: LexicalState
    }

    /// True when the text ends a statement: it has at least one `;` outside strings,
    /// quoted identifiers and comments, and after the last such `;` come only whitespace
    /// and comments (`SELECT 1; -- done` is complete, `SELECT 1; SELECT` is not).
    public static func isComplete(_ text: String) -> Bool {
        let s = scan(Array(text.utf8))
        return !s.statements.isEmpty && s.restIsBlank && s.endState == .normal
    }

    /// The state at the end of the text, for the continuation prompt.
    public static func endState(_ text: String) -> LexicalState {
        scan(Array(text.utf8)).endState
    }

    /// The finished statements of `text` (each with its `;`) and the unfinished rest.
    /// Statements that hold only whitespace and comments (`;;`) are kept, so that joining
    /// `complete` and `rest` gives back `text`.
    public static func splitStatements(_ text: String) -> (complete: [String], rest: String) {
        let bytes = Array(text.utf8)
        let s = scan(bytes)
        let complete = s.statements.map { String(decoding: bytes[$0], as: UTF8.self) }
        return (complete, String(decoding: bytes[s.restStart...], as: UTF8.self))
    }

    /// Scans UTF-8 bytes once, left to right, in time linear in their length.
    public static func scan(_ bytes: [UInt8]) -> Scan {
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    /// Scans UTF-8 bytes once, left to right, in time linear in their length.
    public static func scan(_ p: UnsafeBufferPointer<UInt8>) -> Scan {
        let semicolon = UInt8(ascii: ";"), quote = UInt8(ascii: "'"), dquote = UInt8(ascii: "\"")
        let dash = UInt8(ascii: "-"), slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        let newline = UInt8(ascii: "\n")

        var statements: [Range<Int>] = []
        var start = 0
        var blank = true
        var state = LexicalState.normal
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            switch state {
            case .normal:
                switch b {
                case semicolon:
                    statements.append(start..<(i + 1))
                    start = i + 1
                    blank = true
                case quote:
                    state = .string
                    blank = false
                case dquote:
                    state = .quotedIdentifier
                    blank = false
                case dash where i + 1 < n && p[i + 1] == dash:
                    // A line comment: skip to the newline, which stays ordinary text.
                    i += 2
                    while i < n && p[i] != newline { i += 1 }
                    continue
                case slash where i + 1 < n && p[i + 1] == star:
                    state = .blockComment
                    i += 2
                    continue
                case UInt8(ascii: " "), UInt8(ascii: "\t"), newline, UInt8(ascii: "\r"),
                     0x0B, 0x0C:
                    break
                default:
                    blank = false
                }
            case .string:
                // `''` inside a string is a quote: the first closes, the second reopens.
                if b == quote { state = .normal }
            case .quotedIdentifier:
                if b == dquote { state = .normal }
            case .blockComment:
                if b == star && i + 1 < n && p[i + 1] == slash {
                    state = .normal
                    i += 2
                    continue
                }
            }
            i += 1
        }
        return Scan(statements: statements, restStart: start, restIsBlank: blank, endState: state)
    }
}

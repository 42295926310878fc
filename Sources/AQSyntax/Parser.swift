// The parser's entry point and machinery: the token cursor, the depth cap, error construction
// and recovery. A hand-written recursive descent parser, one function per rule of
// `grammar/aq.ebnf`, each with its production as the first line of its doc comment.

/// One statement of a script, or the error that stopped its parse.
public enum ParsedStatement: Sendable {
    case statement(Statement)
    /// The statement could not be parsed; the parser resynchronized after the next `;`.
    case error(ParseError)
}

/// A recursive descent parser over the tokens of one source.
public struct Parser {
    /// How deeply the parser may recurse (brackets, subqueries, prefix operators). Each
    /// level costs a few stack frames, so the cap keeps the parser far from the end of even
    /// a small thread stack.
    public static let maxDepth = 250
    /// How deep the tree may grow, counting operator chains such as `a OR b OR c …` (which
    /// the parser builds in a loop but later passes walk recursively).
    public static let maxTreeDepth = 1000

    let source: Source
    let tokens: [Token]
    /// Index of the current token; never past the final `.endOfInput`.
    var position = 0
    /// Levels of recursion entered and not yet left.
    var depth = 0
    /// Operators folded into left operands along the current path: with `depth`, a bound
    /// on the depth of the tree being built.
    var chain = 0
    /// The `?` parameters of the current statement so far: the next one is number this + 1.
    var positionalParameters = 0

    init(source: Source) {
        self.source = source
        self.tokens = Lexer.tokenize(source)
    }

    /// Parses every statement of `source`, in order, recovering at `;` after an error.
    /// Empty statements (`;;`, only comments) yield nothing.
    public static func parseScript(_ source: Source) -> [ParsedStatement] {
        var parser = Parser(source: source)
        return parser.parseScript()
    }

    /// script -> [ statement ] { ";" [ statement ] }
    mutating func parseScript() -> [ParsedStatement] {
        var results: [ParsedStatement] = []
        while true {
            while current.kind == .semicolon { advance() }
            if current.kind == .endOfInput { return results }
            let start = position
            positionalParameters = 0
            do throws(ParseError) {
                let statement = try parseStatement()
                if current.kind != .semicolon && current.kind != .endOfInput {
                    throw unexpectedAfterStatement()
                }
                results.append(.statement(statement))
            } catch {
                results.append(.error(error))
                depth = 0
                chain = 0
                while current.kind != .semicolon && current.kind != .endOfInput { advance() }
            }
            if position == start { advance() }
        }
    }

    // MARK: - The token cursor

    @inline(__always)
    var current: Token { tokens[position] }

    /// The token `offset` places after the current one (the end of input past the end).
    @inline(__always)
    func peek(_ offset: Int = 1) -> Token {
        tokens[min(position + offset, tokens.count - 1)]
    }

    /// Where the last consumed token ends: the end of the node being built.
    var previousEnd: Int {
        position > 0 ? tokens[position - 1].end : 0
    }

    /// Consumes the current token and returns it.
    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    @inline(__always)
    func at(_ keyword: Keyword) -> Bool { current.keyword == keyword }

    @inline(__always)
    func at(_ kind: TokenKind) -> Bool { current.kind == kind }

    /// Consumes the current token if it is the keyword.
    mutating func accept(_ keyword: Keyword) -> Token? {
        current.keyword == keyword ? advance() : nil
    }

    /// Consumes the current token if it is of the kind.
    mutating func accept(_ kind: TokenKind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    /// Consumes the keyword or fails with `expected 'KEYWORD', found …`.
    @discardableResult
    mutating func expect(_ keyword: Keyword) throws(ParseError) -> Token {
        guard current.keyword == keyword else { throw expected("'\(keyword.rawValue)'") }
        return advance()
    }

    /// Consumes a token of the kind or fails with `expected ')', found …`.
    @discardableResult
    mutating func expect(_ kind: TokenKind) throws(ParseError) -> Token {
        guard current.kind == kind else { throw expected(kind.spelling) }
        return advance()
    }

    /// Consumes the `)` that closes `opener`; at the end of input the message points back
    /// to the opener's line.
    @discardableResult
    mutating func expectClosing(_ opener: Token) throws(ParseError) -> Token {
        let closer: TokenKind = opener.kind == .leftBracket ? .rightBracket : .rightParen
        if current.kind == closer { return advance() }
        if current.kind == .endOfInput {
            let line = source.location(of: opener.start).line
            throw .unclosed(closer.spelling, opener: opener.kind.spelling, line: line, at: endOfInputRange)
        }
        throw expected(closer.spelling)
    }

    // MARK: - Names

    /// True for a token that can be a name: a bare word that is not reserved, or a quoted one.
    func isName(_ token: Token) -> Bool {
        token.kind == .quotedIdentifier || (token.kind == .identifier && !(token.keyword?.isReserved ?? false))
    }

    /// identifier -> bare_word | quoted_identifier
    mutating func parseIdentifier(_ what: String) throws(ParseError) -> Identifier {
        guard isName(current) else {
            if let keyword = current.keyword, keyword.isReserved {
                let word = source.text(current.range)
                throw .expected(what, found: "'\(keyword.rawValue)' (a reserved word; write \"\(word.lowercased())\" to use it as a name)",
                                at: current.range)
            }
            throw expected(what)
        }
        return identifier(advance())
    }

    /// The name a word or quoted-identifier token spells.
    func identifier(_ token: Token) -> Identifier {
        if token.kind == .quotedIdentifier {
            return Identifier(name: unquote(token), quoted: true, range: token.range)
        }
        return Identifier(name: source.text(token.range), range: token.range)
    }

    /// The text between the quotes of a string or quoted identifier, doubled quotes undone.
    func unquote(_ token: Token) -> String {
        let bytes = source.bytes
        let quote = bytes[token.start]
        let lo = token.start + 1, hi = max(lo, token.end - 1)
        var doubled = false
        var i = lo
        while i < hi {
            if bytes[i] == quote { doubled = true; break }
            i += 1
        }
        if !doubled { return String(decoding: bytes[lo..<hi], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(hi - lo)
        i = lo
        while i < hi {
            out.append(bytes[i])
            i += bytes[i] == quote ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Depth

    /// Counts a level of recursion, `weight` times for a rule whose recursion goes through
    /// many frames (a subquery costs several expressions); fails past `maxDepth`.
    /// Pair with `leave(weight)`.
    mutating func enter(_ weight: Int = 1) throws(ParseError) {
        depth += weight
        if depth > Parser.maxDepth || depth + chain > Parser.maxTreeDepth {
            throw .nestedTooDeeply(at: current.range)
        }
    }

    mutating func leave(_ weight: Int = 1) { depth -= weight }

    /// Counts one operator folded into a left operand; the caller undoes its count.
    mutating func extendChain() throws(ParseError) {
        chain += 1
        if depth + chain > Parser.maxTreeDepth { throw .nestedTooDeeply(at: current.range) }
    }

    // MARK: - Errors

    /// Where an error at the end of input points: just after the last token.
    var endOfInputRange: SourceRange {
        let end = tokens.count > 1 ? tokens[tokens.count - 2].end : 0
        return SourceRange(start: end, end: end)
    }

    /// `expected <what>, found <current token>`; a lexical error if the current token is one.
    func expected(_ what: String) -> ParseError {
        let token = current
        switch token.kind {
        case .error(let error):
            return .lexical(error, at: token.range)
        case .endOfInput:
            return .expected(what, found: "end of input", at: endOfInputRange)
        default:
            return .expected(what, found: describe(token), at: token.range)
        }
    }

    /// Words that end clauses; a misspelling of one usually parses as a name (an alias),
    /// and the statement then fails to end.
    static let clauseWords = ["FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET",
                              "UNION", "EXCEPT", "INTERSECT", "JOIN", "INNER", "LEFT", "CROSS",
                              "SELECT", "BETWEEN", "LIKE", "ILIKE", "DISTINCT", "EXCLUDE"]

    /// Words of the language that are not reserved (they parse as names where a name fits).
    static let unreservedWords: Set<String> = ["OVER", "PARTITION", "WINDOW", "FILTER", "ROWS", "RANGE", "GROUPS",
                                               "QUALIFY", "PRECEDING", "FOLLOWING", "UNBOUNDED", "CURRENT", "ROW",
                                               "EXCLUDE", "TIES", "OTHERS", "REPLACE", "RECURSIVE", "ANALYZE"]

    /// The error for text after a complete statement. If that text, or the name just before
    /// it, looks like a misspelled clause word, the error says which.
    func unexpectedAfterStatement() -> ParseError {
        func suggestion(_ token: Token) -> String? {
            guard token.kind == .identifier, token.keyword == nil, token.end - token.start >= 3 else { return nil }
            let text = source.text(token.range)
            // A word of the language in the wrong place (`OVER`) is no misspelling of another.
            guard !Parser.unreservedWords.contains(text.uppercased()) else { return nil }
            return nearestName(to: text, in: Parser.clauseWords)
        }
        if let word = suggestion(current) {
            return .expected("';'", found: "\(describe(current)) (did you mean '\(word)'?)", at: current.range)
        }
        if position > 0, let word = suggestion(tokens[position - 1]) {
            let previous = tokens[position - 1]
            return .invalid("unexpected \(describe(previous)) (did you mean '\(word)'?)", at: previous.range)
        }
        return expected("';'")
    }

    /// How a token is named in a message: `'FROM'`, `'x'`, `string 'abc'`, `';'`.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfInput:
            return "end of input"
        case .identifier:
            if let keyword = token.keyword { return "'\(keyword.rawValue)'" }
            return "'\(shortText(token))'"
        case .string:
            return "string \(shortText(token))"
        default:
            return "'\(shortText(token))'"
        }
    }

    /// A token's text, cut short for messages.
    func shortText(_ token: Token) -> String {
        let text = source.text(SourceRange(start: token.start, end: min(token.end, token.start + 64)))
        if text.count > 40 { return String(text.prefix(40)) + "…" }
        return token.end - token.start > 64 ? text + "…" : text
    }
}

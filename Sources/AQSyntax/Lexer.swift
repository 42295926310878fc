// The lexer: source bytes → tokens with byte ranges. One pass, a switch on each token's first
// byte, no allocation per token (SQLite's sqlite3GetToken). Comments and whitespace vanish;
// text that is not a token becomes an `.error` token the parser reports when it reaches it.

/// Splits source bytes into tokens.
public enum Lexer {
    /// Every token of `source`, ending with one `.endOfInput` token.
    public static func tokenize(_ source: Source) -> [Token] {
        source.bytes.withUnsafeBufferPointer { tokenize($0) }
    }

    /// Every token of the bytes, ending with one `.endOfInput` token. Linear in their length.
    public static func tokenize(_ p: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(p.count / 4 + 1)
        var i = 0
        while true {
            let token = next(p, &i)
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    /// The token at or after offset `i` (skipping whitespace and comments); moves `i` past it.
    static func next(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Token {
        let n = p.count
        while i < n {
            let start = i
            let b = p[i]
            @inline(__always) func token(_ kind: TokenKind, length: Int) -> Token {
                i = start + length
                return Token(kind: kind, start: start, end: i)
            }
            @inline(__always) func peek(_ offset: Int) -> UInt8 {
                start + offset < n ? p[start + offset] : 0
            }
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                i += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                return word(p, &i)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return number(p, &i)
            case UInt8(ascii: "."):
                if isDigit(peek(1)) { return number(p, &i) }
                return token(.dot, length: 1)
            case UInt8(ascii: "'"):
                return quoted(p, &i, quote: b, kind: .string, unterminated: .unterminatedString)
            case UInt8(ascii: "\""):
                return quoted(p, &i, quote: b, kind: .quotedIdentifier, unterminated: .unterminatedQuotedIdentifier)
            case UInt8(ascii: "-"):
                if peek(1) == UInt8(ascii: "-") {
                    if let error = skipLineComment(p, &i) { return error }
                } else {
                    return token(.minus, length: 1)
                }
            case UInt8(ascii: "/"):
                if peek(1) == UInt8(ascii: "*") {
                    if let error = skipBlockComment(p, &i) { return error }
                } else if peek(1) == UInt8(ascii: "/") {
                    return token(.slashSlash, length: 2)
                } else {
                    return token(.slash, length: 1)
                }
            case UInt8(ascii: "$"):
                return parameter(p, &i)
            case UInt8(ascii: "?"):
                return token(.parameter, length: 1)
            case UInt8(ascii: "("): return token(.leftParen, length: 1)
            case UInt8(ascii: ")"): return token(.rightParen, length: 1)
            case UInt8(ascii: ","): return token(.comma, length: 1)
            case UInt8(ascii: "["): return token(.leftBracket, length: 1)
            case UInt8(ascii: "]"): return token(.rightBracket, length: 1)
            case UInt8(ascii: ";"): return token(.semicolon, length: 1)
            case UInt8(ascii: "+"): return token(.plus, length: 1)
            case UInt8(ascii: "*"):
                return peek(1) == UInt8(ascii: "*") ? token(.caret, length: 2) : token(.star, length: 1)
            case UInt8(ascii: "^"): return token(.caret, length: 1)
            case UInt8(ascii: "%"): return token(.percent, length: 1)
            case UInt8(ascii: "="):
                return token(.equal, length: peek(1) == UInt8(ascii: "=") ? 2 : 1)
            case UInt8(ascii: "<"):
                switch peek(1) {
                case UInt8(ascii: "="): return token(.lessEqual, length: 2)
                case UInt8(ascii: ">"): return token(.notEqual, length: 2)
                default: return token(.less, length: 1)
                }
            case UInt8(ascii: ">"):
                return peek(1) == UInt8(ascii: "=") ? token(.greaterEqual, length: 2) : token(.greater, length: 1)
            case UInt8(ascii: "!"):
                if peek(1) == UInt8(ascii: "=") { return token(.notEqual, length: 2) }
                return token(.error(.unexpectedCharacter("!")), length: 1)
            case UInt8(ascii: "|"):
                if peek(1) == UInt8(ascii: "|") { return token(.concat, length: 2) }
                return token(.error(.unexpectedCharacter("|")), length: 1)
            case UInt8(ascii: ":"):
                if peek(1) == UInt8(ascii: ":") { return token(.doubleColon, length: 2) }
                return token(.error(.unexpectedCharacter(":")), length: 1)
            case 0x80...0xFF:
                let length = utf8SequenceLength(p, at: i)
                if length == 0 { return token(.error(.invalidUTF8(b)), length: 1) }
                let scalar = decodeScalar(p, at: i, length: length)
                if isNameScalar(scalar) { return word(p, &i) }
                return token(.error(.unexpectedCharacter(scalar)), length: length)
            default:
                return token(.error(.unexpectedCharacter(Unicode.Scalar(b))), length: 1)
            }
        }
        return Token(kind: .endOfInput, start: n, end: n)
    }

    // MARK: - Words and quoted text

    /// bare_word -> word_start { word_start | digit | "$" }
    ///
    /// A bare word; a keyword if the table has it. `word_start` is a letter, `_` or a
    /// non-ASCII character other than spaces and quotation marks.
    private static func word(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Token {
        let start = i
        let n = p.count
        var ascii = true
        while i < n {
            let b = p[i]
            if isWordByte(b) {
                i += 1
            } else if b >= 0x80 {
                let length = utf8SequenceLength(p, at: i)
                if length == 0 { return Token(kind: .error(.invalidUTF8(b)), start: i, end: i + 1) }
                guard isNameScalar(decodeScalar(p, at: i, length: length)) else { break }
                ascii = false
                i += length
            } else {
                break
            }
        }
        let keyword = ascii ? Keyword.lookup(p.baseAddress! + start, count: i - start) : nil
        return Token(kind: .identifier, keyword: keyword, start: start, end: i)
    }

    /// parameter -> "$" bare_word | "$" digit { digit } | "?"
    ///
    /// `$name` or `$1`: the token covers the `$` and the name or number; a `$` followed by
    /// neither is an error. (`?` is a token of its own, numbered by the parser.)
    private static func parameter(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Token {
        let start = i
        let b: UInt8 = i + 1 < p.count ? p[i + 1] : 0
        if isDigit(b) {
            i += 1
            while i < p.count, isDigit(p[i]) { i += 1 }
            return Token(kind: .parameter, start: start, end: i)
        }
        let startsWord = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_")
        guard startsWord else {
            i += 1
            return Token(kind: .error(.unexpectedCharacter("$")), start: start, end: i)
        }
        i += 1
        let name = word(p, &i)
        if case .error = name.kind { return name }
        return Token(kind: .parameter, start: start, end: i)
    }

    /// string -> "'" { ? any character but ' ? | "''" } "'"
    /// quoted_identifier -> '"' { ? any character but " ? | '""' } '"'
    ///
    /// A string or quoted name from its opening quote; a doubled quote stays inside.
    private static func quoted(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, quote: UInt8,
                               kind: TokenKind, unterminated: LexError) -> Token {
        let start = i
        let n = p.count
        var badByte = -1
        i += 1
        while i < n {
            let b = p[i]
            if b == quote {
                if i + 1 < n && p[i + 1] == quote {
                    i += 2
                    continue
                }
                i += 1
                if badByte >= 0 {
                    return Token(kind: .error(.invalidUTF8(p[badByte])), start: badByte, end: badByte + 1)
                }
                if kind == .quotedIdentifier && i - start == 2 {
                    return Token(kind: .error(.emptyQuotedIdentifier), start: start, end: i)
                }
                return Token(kind: kind, start: start, end: i)
            }
            if b < 0x80 {
                i += 1
            } else {
                let length = utf8SequenceLength(p, at: i)
                if length == 0 {
                    if badByte < 0 { badByte = i }
                    i += 1
                } else {
                    i += length
                }
            }
        }
        return Token(kind: .error(unterminated), start: start, end: start + 1)
    }

    /// line_comment -> "--" { ? any character but a newline ? }
    ///
    /// Skips a line comment up to (not including) the newline; nil, or an error token for a
    /// bad byte.
    private static func skipLineComment(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Token? {
        let n = p.count
        i += 2
        var error: Token?
        while i < n && p[i] != UInt8(ascii: "\n") {
            if p[i] >= 0x80, error == nil {
                let length = utf8SequenceLength(p, at: i)
                if length == 0 {
                    error = Token(kind: .error(.invalidUTF8(p[i])), start: i, end: i + 1)
                } else {
                    i += length
                    continue
                }
            }
            i += 1
        }
        return error
    }

    /// block_comment -> "/*" { ? any text not containing */ ? } "*/"
    ///
    /// Skips a block comment (they do not nest); nil, or an error token.
    private static func skipBlockComment(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Token? {
        let start = i
        let n = p.count
        i += 2
        var error: Token?
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: "*") && i + 1 < n && p[i + 1] == UInt8(ascii: "/") {
                i += 2
                return error
            }
            if b >= 0x80, error == nil {
                let length = utf8SequenceLength(p, at: i)
                if length == 0 {
                    error = Token(kind: .error(.invalidUTF8(b)), start: i, end: i + 1)
                } else {
                    i += length
                    continue
                }
            }
            i += 1
        }
        return Token(kind: .error(.unterminatedBlockComment), start: start, end: start + 2)
    }

    // MARK: - Numbers

    /// integer -> digit { digit }
    /// decimal -> ( digit { digit } "." { digit } | "." digit { digit } ) [ exponent ]
    ///          | digit { digit } exponent
    /// exponent -> ( "e" | "E" ) [ "+" | "-" ] digit { digit }
    /// duration -> digit { digit } duration_unit
    ///
    /// A number; a whole number directly followed by a unit (`30s`, `100ms`) is a duration.
    private static func number(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Token {
        let start = i
        let n = p.count
        var isDecimal = false
        while i < n && isDigit(p[i]) { i += 1 }
        if i < n && p[i] == UInt8(ascii: ".") {
            isDecimal = true
            i += 1
            while i < n && isDigit(p[i]) { i += 1 }
        }
        if i < n && (p[i] | 0x20) == UInt8(ascii: "e") {
            let next = i + 1 < n ? p[i + 1] : 0
            let signed = next == UInt8(ascii: "+") || next == UInt8(ascii: "-")
            let firstDigit = signed ? (i + 2 < n ? p[i + 2] : 0) : next
            if isDigit(firstDigit) {
                isDecimal = true
                i += signed ? 2 : 1
                while i < n && isDigit(p[i]) { i += 1 }
            } else if signed || !(isWordByte(next) || next >= 0x80) {
                i += signed ? 2 : 1
                return Token(kind: .error(.missingExponent), start: start, end: i)
            }
        }
        guard i < n && (isWordByte(p[i]) || p[i] >= 0x80) else {
            return Token(kind: isDecimal ? .decimal : .integer, start: start, end: i)
        }
        // A suffix: the unit of a duration, or junk.
        let unitStart = i
        while i < n && (isWordByte(p[i]) || p[i] >= 0x80) { i += 1 }
        if isDecimal { return Token(kind: .error(.fractionalDuration), start: start, end: i) }
        guard durationUnit(p, from: unitStart, to: i) != nil else {
            let unit = String(decoding: UnsafeBufferPointer(rebasing: p[unitStart..<i]), as: UTF8.self)
            return Token(kind: .error(.invalidDurationUnit(unit)), start: start, end: i)
        }
        return Token(kind: .duration, start: start, end: i)
    }

    /// duration_unit -> "ns" | "us" | "ms" | "s" | "m" | "h" | "d" | "w"
    ///
    /// The duration unit spelled by the bytes `from..<to` (any case), or nil.
    static func durationUnit(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> DurationUnit? {
        let a = p[from] | 0x20
        if to - from == 1 {
            switch a {
            case UInt8(ascii: "s"): return .seconds
            case UInt8(ascii: "m"): return .minutes
            case UInt8(ascii: "h"): return .hours
            case UInt8(ascii: "d"): return .days
            case UInt8(ascii: "w"): return .weeks
            default: return nil
            }
        }
        guard to - from == 2, p[from + 1] | 0x20 == UInt8(ascii: "s") else { return nil }
        switch a {
        case UInt8(ascii: "n"): return .nanoseconds
        case UInt8(ascii: "u"): return .microseconds
        case UInt8(ascii: "m"): return .milliseconds
        default: return nil
        }
    }

    // MARK: - Bytes and UTF-8

    /// digit -> "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9"
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// word_start -> ? a letter, "_", or a non-ASCII character but spaces and quotation marks ?
    ///
    /// ASCII bytes that continue a bare word (a word starts with any of them but a digit or `$`).
    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    /// Non-ASCII characters allowed in bare names: all but spaces and quotation marks,
    /// which are more likely a pasting accident than part of a name.
    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x80...0xA0, 0x2000...0x200B, 0x2018...0x201F, 0x2028, 0x2029, 0x202F, 0x205F,
             0x3000, 0xFEFF:
            return false
        default:
            return true
        }
    }

    /// The length (2–4) of the valid UTF-8 sequence starting at `i`, or 0 if it is invalid
    /// (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, truncated).
    static func utf8SequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        @inline(__always) func continuation(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= lo && p[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xE1...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// The scalar of a valid sequence of `length` bytes at `i`.
    static func decodeScalar(_ p: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> Unicode.Scalar {
        var value: UInt32
        switch length {
        case 2: value = UInt32(p[i] & 0x1F)
        case 3: value = UInt32(p[i] & 0x0F)
        default: value = UInt32(p[i] & 0x07)
        }
        for k in 1..<length { value = value << 6 | UInt32(p[i + k] & 0x3F) }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}

// A forgiving scan of an unfinished statement for completion: words, dots, commas and
// whether the text ends inside a string, quoted identifier or comment. Never fails.

enum CompletionLexer {
    enum Kind: Equatable {
        case word, dot, comma, string, punctuation
    }

    struct Token {
        var kind: Kind
        var start: Int
        var end: Int
        /// The token's text in lower case (for words; empty otherwise).
        var lowered: String
    }

    struct Result {
        var tokens: [Token]
        var inString = false
        /// Offset of the opening quote of the unfinished string.
        var stringStart = 0
        var inQuotedIdentifier = false
        var inComment = false

        /// The identifier characters right before the end of the text (the word to complete).
        func partialWord(_ bytes: [UInt8]) -> String {
            var start = bytes.count
            while start > 0, isWordByte(bytes[start - 1]) { start -= 1 }
            return String(decoding: bytes[start...], as: UTF8.self)
        }
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b >= 0x80
    }

    static func scan(_ bytes: [UInt8]) -> Result {
        var result = Result(tokens: [])
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "'"):
                let start = i
                i += 1
                var closed = false
                while i < n {
                    if bytes[i] == UInt8(ascii: "'") {
                        if i + 1 < n, bytes[i + 1] == UInt8(ascii: "'") { i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    i += 1
                }
                if !closed {
                    result.inString = true
                    result.stringStart = start
                    return result
                }
                result.tokens.append(Token(kind: .string, start: start, end: i, lowered: ""))
            case UInt8(ascii: "\""):
                let start = i
                i += 1
                while i < n, bytes[i] != UInt8(ascii: "\"") { i += 1 }
                if i >= n {
                    result.inQuotedIdentifier = true
                    return result
                }
                i += 1
                let name = String(decoding: bytes[(start + 1)..<(i - 1)], as: UTF8.self)
                result.tokens.append(Token(kind: .word, start: start, end: i, lowered: name.lowercased()))
            case UInt8(ascii: "-") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "-"):
                while i < n, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                if i >= n { result.inComment = true }
            case UInt8(ascii: "/") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "*"):
                i += 2
                var closed = false
                while i + 1 < n {
                    if bytes[i] == UInt8(ascii: "*"), bytes[i + 1] == UInt8(ascii: "/") { closed = true; i += 2; break }
                    i += 1
                }
                if !closed {
                    result.inComment = true
                    return result
                }
            case UInt8(ascii: "."):
                result.tokens.append(Token(kind: .dot, start: i, end: i + 1, lowered: ""))
                i += 1
            case UInt8(ascii: ","):
                result.tokens.append(Token(kind: .comma, start: i, end: i + 1, lowered: ""))
                i += 1
            default:
                if isWordByte(b) {
                    let start = i
                    while i < n, isWordByte(bytes[i]) { i += 1 }
                    let text = String(decoding: bytes[start..<i], as: UTF8.self)
                    result.tokens.append(Token(kind: .word, start: start, end: i, lowered: text.lowercased()))
                } else {
                    result.tokens.append(Token(kind: .punctuation, start: i, end: i + 1, lowered: ""))
                    i += 1
                }
            }
        }
        return result
    }
}

// Tests of the lexer: token kinds, ranges, keywords, literals and every lexical error.

import XCTest
@testable import AQSyntax

final class LexerTests: XCTestCase {
    /// `kind text` for each token but the final end of input.
    private func lex(_ text: String) -> [String] {
        let source = Source(text)
        return Lexer.tokenize(source).dropLast().map { token in
            let text = source.text(token.range)
            switch token.kind {
            case .identifier: return (token.keyword.map { "kw:" + $0.rawValue } ?? "id:") + (token.keyword == nil ? text : "")
            case .quotedIdentifier: return "qid:" + text
            case .integer: return "int:" + text
            case .decimal: return "dec:" + text
            case .duration: return "dur:" + text
            case .string: return "str:" + text
            case .error(let e): return "error@\(token.start)-\(token.end):" + e.message
            default: return text
            }
        }
    }

    func testWordsKeywordsAndNames() {
        XCTAssertEqual(lex("SELECT time, action FROM events"),
                       ["kw:SELECT", "kw:TIME", ",", "id:action", "kw:FROM", "id:events"])
        XCTAssertEqual(lex("select Source_IP from T1"), ["kw:SELECT", "id:Source_IP", "kw:FROM", "id:T1"])
        XCTAssertEqual(lex("sElEcT try_cast"), ["kw:SELECT", "kw:TRY_CAST"])
        XCTAssertEqual(lex("selects s a$b _x"), ["id:selects", "id:s", "id:a$b", "id:_x"])
        XCTAssertEqual(lex("café naïve"), ["id:café", "id:naïve"])
    }

    func testEveryKeywordIsFound() {
        for keyword in Keyword.allCases {
            let upper = Lexer.tokenize(Source(keyword.rawValue))
            XCTAssertEqual(upper.first?.keyword, keyword, keyword.rawValue)
            let lower = Lexer.tokenize(Source(keyword.rawValue.lowercased()))
            XCTAssertEqual(lower.first?.keyword, keyword, keyword.rawValue)
        }
        XCTAssertNil(Lexer.tokenize(Source("selectx")).first?.keyword)
    }

    func testQuotedIdentifiersAndStrings() {
        XCTAssertEqual(lex("\"Event Name\" 'it''s' ''"), ["qid:\"Event Name\"", "str:'it''s'", "str:''"])
        XCTAssertEqual(lex("\"a\"\"b\""), ["qid:\"a\"\"b\""])
        XCTAssertEqual(lex("'a;--b/*'"), ["str:'a;--b/*'"])
    }

    func testNumbersAndDurations() {
        XCTAssertEqual(lex("42 1.5 .5 1. 1e3 2.5E-3 1e+2"),
                       ["int:42", "dec:1.5", "dec:.5", "dec:1.", "dec:1e3", "dec:2.5E-3", "dec:1e+2"])
        XCTAssertEqual(lex("30s 15m 1h 7d 2w 100ms 5us 1ns"),
                       ["dur:30s", "dur:15m", "dur:1h", "dur:7d", "dur:2w", "dur:100ms", "dur:5us", "dur:1ns"])
        XCTAssertEqual(lex("ago(7d)"), ["id:ago", "(", "dur:7d", ")"])
    }

    func testOperators() {
        XCTAssertEqual(lex("= == <> != < <= > >= + - * / // % || :: ( ) , . ;"),
                       ["=", "==", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "//", "%",
                        "||", "::", "(", ")", ",", ".", ";"])
        XCTAssertEqual(lex("a-1"), ["id:a", "-", "int:1"])
        XCTAssertEqual(lex("t.a x::int"), ["id:t", ".", "id:a", "id:x", "::", "id:int"])
        let kinds = Lexer.tokenize(Source("<> != == =")).map(\.kind)
        XCTAssertEqual(kinds, [.notEqual, .notEqual, .equal, .equal, .endOfInput])
    }

    func testCommentsVanish() {
        XCTAssertEqual(lex("SELECT -- a comment ; 'x\n 1 /* block ; ' */ + 2"),
                       ["kw:SELECT", "int:1", "+", "int:2"])
        XCTAssertEqual(lex("/**/1/*/ */"), ["int:1"])
        XCTAssertEqual(lex("-- only a comment"), [])
    }

    func testRangesAreBytes() {
        let tokens = Lexer.tokenize(Source("SELECT 'é' AS x"))
        XCTAssertEqual(tokens.map(\.start), [0, 7, 12, 15, 16])
        XCTAssertEqual(tokens.map(\.end), [6, 11, 14, 16, 16])
        XCTAssertEqual(tokens.last?.kind, .endOfInput)
    }

    func testUnterminatedTextIsAnErrorAtTheOpening() {
        XCTAssertEqual(lex("SELECT 'abc"), ["kw:SELECT", "error@7-8:unterminated string literal"])
        XCTAssertEqual(lex("SELECT \"abc"), ["kw:SELECT", "error@7-8:unterminated quoted identifier"])
        XCTAssertEqual(lex("SELECT 1 /* abc"), ["kw:SELECT", "int:1", "error@9-11:unterminated block comment"])
        XCTAssertEqual(lex("SELECT 'it''"), ["kw:SELECT", "error@7-8:unterminated string literal"])
    }

    func testInvalidUTF8IsAnErrorAtTheByte() {
        func lexBytes(_ bytes: [UInt8]) -> [Token] { Lexer.tokenize(Source(bytes: bytes)) }
        let inString = lexBytes(Array("SELECT 'ab".utf8) + [0xFF] + Array("c'".utf8))
        XCTAssertEqual(inString[1].kind, .error(.invalidUTF8(0xFF)))
        XCTAssertEqual(inString[1].range, SourceRange(start: 10, end: 11))
        let bare = lexBytes(Array("SELECT ".utf8) + [0xC3, 0x28])
        XCTAssertEqual(bare[1].kind, .error(.invalidUTF8(0xC3)))
        XCTAssertEqual(bare[1].start, 7)
        let overlong = lexBytes([0xC0, 0xAF])
        XCTAssertEqual(overlong[0].kind, .error(.invalidUTF8(0xC0)))
        let surrogate = lexBytes([0xED, 0xA0, 0x80])
        XCTAssertEqual(surrogate[0].kind, .error(.invalidUTF8(0xED)))
        let inComment = lexBytes(Array("1 -- x".utf8) + [0x80] + Array("\n2".utf8))
        XCTAssertEqual(inComment.map(\.kind), [.integer, .error(.invalidUTF8(0x80)), .integer, .endOfInput])
        let inName = lexBytes(Array("ab".utf8) + [0xE2, 0x82])
        XCTAssertEqual(inName[0].kind, .error(.invalidUTF8(0xE2)))
        XCTAssertEqual(inName[0].start, 2)
        XCTAssertEqual(LexError.invalidUTF8(0x0A).message, "invalid UTF-8 byte 0x0a")
    }

    func testUnexpectedCharacters() {
        XCTAssertEqual(lex("SELECT #"), ["kw:SELECT", "error@7-8:unexpected character '#'"])
        XCTAssertEqual(lex("a ! b"), ["id:a", "error@2-3:unexpected character '!'", "id:b"])
        XCTAssertEqual(lex("a | b : c"), ["id:a", "error@2-3:unexpected character '|'", "id:b",
                                           "error@6-7:unexpected character ':'", "id:c"])
        XCTAssertEqual(lex("‘x’"), ["error@0-3:unexpected character '‘' (strings use ')", "id:x",
                                     "error@4-7:unexpected character '’' (strings use ')"])
        XCTAssertEqual(lex("a\u{A0}b"), ["id:a", "error@1-3:unexpected character U+00A0", "id:b"])
        XCTAssertEqual(lex("\u{7}"), ["error@0-1:unexpected character U+0007"])
    }

    func testBadNumbers() {
        XCTAssertEqual(lex("1e"), ["error@0-2:invalid number: missing exponent digits"])
        XCTAssertEqual(lex("1e+ 2"), ["error@0-3:invalid number: missing exponent digits", "int:2"])
        XCTAssertEqual(lex("5x"), ["error@0-2:invalid duration unit 'x' (expected ns, us, ms, s, m, h, d or w)"])
        XCTAssertEqual(lex("1.5h"), ["error@0-4:a duration literal needs a whole number (write 90m, not 1.5h)"])
        XCTAssertEqual(lex("\"\""), ["error@0-2:empty quoted identifier"])
    }

    func testTenMegabyteStringLexesInOneToken() {
        let body = String(repeating: "abcdefgh''", count: 1_000_000)
        let source = Source("SELECT '" + body + "';")
        let clock = ContinuousClock()
        var tokens: [Token] = []
        let elapsed = clock.measure { tokens = Lexer.tokenize(source) }
        XCTAssertEqual(tokens.map(\.kind), [.identifier, .string, .semicolon, .endOfInput])
        XCTAssertEqual(tokens[1].end - tokens[1].start, body.utf8.count + 2)
        XCTAssertLessThan(elapsed, .seconds(5))
    }
}

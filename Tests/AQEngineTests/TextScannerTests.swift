// The byte scanners of Text/: numbers, IP addresses and JSON skipping, on edge cases.

@testable import AQEngine
import XCTest

final class TextScannerTests: XCTestCase {
    private func with<T>(_ text: String, _ body: (Bytes) -> T) -> T {
        var text = text
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    func testIntegers() {
        XCTAssertEqual(with("-9223372036854775808") { NumberText.integer($0) }, Int64.min)
        XCTAssertEqual(with("+42") { NumberText.integer($0) }, 42)
        XCTAssertNil(with("9223372036854775808") { NumberText.integer($0) })
        XCTAssertNil(with(" 1") { NumberText.integer($0) })
        XCTAssertNil(with("-") { NumberText.integer($0) })
        XCTAssertEqual(with(" 7\t") { ByteText.integer($0) }, 7)
    }

    func testDoubles() {
        XCTAssertEqual(with("-2E-4") { NumberText.double($0) }, -2e-4)
        XCTAssertEqual(with(".5") { NumberText.double($0) }, 0.5)
        XCTAssertEqual(with("5.") { NumberText.double($0) }, 5)
        XCTAssertNil(with("1e") { NumberText.double($0) })
        XCTAssertNil(with("inf") { NumberText.double($0) })
        XCTAssertEqual(with("-Infinity") { NumberText.double($0, special: true) }, -.infinity)
        XCTAssertEqual(with("NaN") { NumberText.double($0, special: true) }?.isNaN, true)
        XCTAssertNil(with("- inf") { NumberText.double($0, special: true) })
        XCTAssertNil(with("infinit") { NumberText.double($0, special: true) })
    }

    func testIPAddresses() {
        XCTAssertEqual(with("10.1.2.3") { IPAddress.parse($0) }?.low, 0x0A01_0203)
        XCTAssertNil(with("10.01.2.3") { IPAddress.parse($0) })
        XCTAssertEqual(with("10.01.2.003") { IPAddress.parse($0, leadingZeros: true) }?.low, 0x0A01_0203)
        XCTAssertNil(with("10.1.2.0003") { IPAddress.parse($0, leadingZeros: true) })
        XCTAssertNil(with("256.1.2.3") { IPAddress.parse($0) })
        XCTAssertNil(with("1.2.3") { IPAddress.parse($0) })
        XCTAssertEqual(with("fe80::1%eth0") { IPAddress.parse($0) }, with("fe80::1") { IPAddress.parse($0) })
        XCTAssertNil(with("1::2::3") { IPAddress.parse($0) })
        XCTAssertEqual(with("::ffff:192.168.0.1") { IPAddress.parse($0)?.isPrivate }, true)
        XCTAssertEqual(with("::ffff:192.168.0.1") { IPAddress.parse($0)?.isPrivateOrIBMService }, false)
        XCTAssertEqual(with("166.9.0.1") { IPAddress.parse($0)?.isPrivateOrIBMService }, true)
        XCTAssertEqual(with("166.9.0.1") { IPAddress.parse($0)?.isPrivate }, false)
        XCTAssertEqual(with("fd00::1") { IPAddress.parse($0)?.isPrivateOrIBMService }, true)
    }

    func testJSONSkipping() {
        func fast(_ s: String) -> Int? { with(s) { p in var i = 0; return JSONSkip.skipFast(p, &i) ? i : nil } }
        func strict(_ s: String) -> Int? { with(s) { p in var i = 0; return JSONSkip.skipValue(p, &i, depth: 0) ? i : nil } }
        XCTAssertEqual(fast(#"{"a":"}\"]","b":[1,2]} tail"#), 22)
        XCTAssertNil(fast(#"{"a":[}"#))
        XCTAssertEqual(fast("-1.5e3,"), 6)
        XCTAssertNil(fast("tru"))
        let deep = String(repeating: "[", count: 70) + "{}" + String(repeating: "]", count: 70)
        XCTAssertEqual(fast(deep), deep.utf8.count)
        let crossed = String(repeating: "[", count: 70) + "{" + String(repeating: "]", count: 71)
        XCTAssertNil(fast(crossed))
        XCTAssertEqual(strict(#"{"a": [1, true, null]}"#), 22)
        XCTAssertNil(strict("[1,]"))
    }

    /// The fast container skip (64-byte blocks read as masks, other bytes passed over sixteen
    /// at a time) against a byte-by-byte one: brackets, quotes and backslashes at random among
    /// long runs of other bytes, matched or not, closed or not.
    func testFastContainerSkipMatchesAByteByByteOne() {
        func reference(_ p: [UInt8]) -> Int? {
            var stack: [UInt8] = []
            var i = 0
            while i < p.count {
                let c = p[i]
                if c == 0x22 {
                    i += 1
                    while i < p.count, p[i] != 0x22 { i += p[i] == 0x5C ? 2 : 1 }
                    guard i < p.count else { return nil }
                } else if c == 0x7B || c == 0x5B {
                    stack.append(c)
                } else if c == 0x7D || c == 0x5D {
                    guard let open = stack.popLast(), open == c - 2 else { return nil }
                    if stack.isEmpty { return i + 1 }
                }
                i += 1
            }
            return nil
        }
        func skip(_ p: [UInt8]) -> Int? {
            var i = 0
            return p.withUnsafeBytes { JSONSkip.skipFast($0, &i) } ? i : nil
        }
        var generator = SystemRandomNumberGenerator()
        let stops: [UInt8] = [0x7B, 0x7D, 0x5B, 0x5D, 0x22, 0x5C, 0x3A, 0x2C]
        let others: [UInt8] = [0x61, 0x31, 0x20, 0x0A, 0x7C, 0x7E, 0x3B, 0x3D, 0xC3, 0xFF]
        for round in 0..<30_000 {
            // A third without backslashes, where 64-byte blocks are read as masks throughout;
            // runs of up to 90 bytes, so that strings and runs cross the blocks' edges.
            let allowed = round % 3 == 0 ? stops.filter { $0 != 0x5C } : stops
            var p: [UInt8] = [Bool.random(using: &generator) ? 0x7B : 0x5B]
            for _ in 0..<Int.random(in: 0..<16, using: &generator) {
                p += (0..<Int.random(in: 0..<90, using: &generator)).map { _ in others.randomElement(using: &generator) ?? 0x61 }
                p.append(allowed.randomElement(using: &generator) ?? 0x7D)
            }
            p += [p[0] + 2, 0x2C]
            XCTAssertEqual(skip(p), reference(p), "\(p)")
        }
    }

    /// The fast string skip (32 bytes in line, then `memchr`) against a byte-by-byte scan
    /// that honours escapes: quotes and backslashes at every position of strings up to 80
    /// bytes, alone and in runs, closed or not.
    func testFastStringSkipFindsTheClosingQuote() {
        func reference(_ p: [UInt8]) -> Int? {
            var i = 1
            while i < p.count {
                if p[i] == 0x22 { return i + 1 }
                i += p[i] == 0x5C ? 2 : 1
            }
            return nil
        }
        func skip(_ p: [UInt8]) -> Int? {
            var i = 0
            return p.withUnsafeBytes { JSONSkip.skipStringFast($0, &i) } ? i : nil
        }
        for length in 0..<80 {
            for position in 0..<max(1, length) {
                for stops: [UInt8] in [[0x22], [0x5C], [0x5C, 0x22], [0x5C, 0x5C, 0x22], [0x5C, 0x5C, 0x5C, 0x22]] {
                    var text = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    for (k, stop) in stops.enumerated() where position + k < length { text[position + k] = stop }
                    for closed in [true, false] {
                        let p = [0x22] + text + (closed ? [0x22, 0x2C] : [])
                        XCTAssertEqual(skip(p), reference(p), "\(p)")
                    }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x22, 0x5C, 0x5C, 0x61, 0x62, 0x20, 0x00, 0xFF]
        for _ in 0..<20_000 {
            let p = [0x22] + (0..<Int.random(in: 0..<90, using: &generator)).map { _ in
                Int.random(in: 0..<10, using: &generator) < 8 ? 0x61 : alphabet.randomElement(using: &generator) ?? 0x61
            }
            XCTAssertEqual(skip(p), reference(p), "\(p)")
        }
    }

    /// The string scan (sixteen bytes or a word at a time) against a byte-by-byte one: a
    /// quote, a backslash or a control byte at every position of the first five words and
    /// first two blocks of sixteen, strict and not.
    func testStringScanFindsEveryStopByte() {
        func reference(_ p: [UInt8], strict: Bool) -> (end: Int?, escaped: Bool) {
            var i = 1
            var escaped = false
            while i < p.count {
                let c = p[i]
                if c == 0x22 { return (i + 1, escaped) }
                if c == 0x5C { escaped = true; i += 2; continue }
                if strict, c < 0x20 { return (nil, escaped) }
                i += 1
            }
            return (nil, escaped)
        }
        for length in 0..<42 {
            for position in 0..<length {
                for stop: UInt8 in [0x22, 0x5C, 0x0A, 0x1F, 0x20, 0x7F, 0xC3] {
                    var text = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    text[position] = stop
                    for closed in [true, false] {
                        let p = [0x22] + text + (closed ? [0x22, 0x2C] : [])
                        for strict in [true, false] {
                            var i = 0
                            var escaped = false
                            let ok = p.withUnsafeBytes { JSONSkip.scanString($0, &i, strict: strict, escaped: &escaped) }
                            let expected = reference(p, strict: strict)
                            let what = "length \(length), byte \(stop) at \(position), closed \(closed), strict \(strict)"
                            XCTAssertEqual(ok ? i : nil, expected.end, what)
                            if ok { XCTAssertEqual(escaped, expected.escaped, what) }
                        }
                    }
                }
            }
        }
        // Several stop bytes in a word, beside bytes one away from them (where a borrow of the
        // word test runs on): the scan stops at the first.
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x22, 0x5C, 0x21, 0x23, 0x5B, 0x5D, 0x01, 0x1F, 0x20, 0x00, 0x61, 0xFF]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<60, using: &generator)
            let p = [0x22] + (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0x61 }
            for strict in [true, false] {
                var i = 0
                var escaped = false
                let ok = p.withUnsafeBytes { JSONSkip.scanString($0, &i, strict: strict, escaped: &escaped) }
                let expected = reference(p, strict: strict)
                XCTAssertEqual(ok ? i : nil, expected.end, "\(p), strict \(strict)")
                if ok { XCTAssertEqual(escaped, expected.escaped, "\(p), strict \(strict)") }
            }
        }
    }

    /// A JSON string decoded in place: every escape, surrogate pairs and lone surrogates, text
    /// runs of every length around them, appended after what `out` held; a bad token leaves
    /// `out` as it was.
    func testStringDecodingAppendsTheDecodedBytes() {
        func decode(_ token: String, after prefix: [UInt8] = []) -> [UInt8]? {
            var out = prefix
            var token = token
            let ok = token.withUTF8 { JSONReader.decodeString(UnsafeRawBufferPointer($0), into: &out) }
            if !ok { XCTAssertEqual(out, prefix, "a failed decode changed the output: \(token)") }
            return ok ? out : nil
        }
        XCTAssertEqual(decode(#""""#), [])
        XCTAssertEqual(decode(#""a\"b\\c\/d""#), Array(#"a"b\c/d"#.utf8))
        XCTAssertEqual(decode(#""\b\f\n\r\t""#), [0x08, 0x0C, 0x0A, 0x0D, 0x09])
        XCTAssertEqual(decode(#""\u0041\u00e9\u20AC\u0000""#), Array("Aé€\u{0}".utf8))
        XCTAssertEqual(decode(#""\ud83d\ude00!""#), Array("😀!".utf8))
        XCTAssertEqual(decode(#""\ud83dx""#), Array("\u{FFFD}x".utf8), "a lone high surrogate")
        XCTAssertEqual(decode(#""\ude00""#), Array("\u{FFFD}".utf8), "a lone low surrogate")
        XCTAssertEqual(decode(#""b""#, after: [1, 2]), [1, 2, 0x62])
        for bad in [#""\x""#, #""\u12""#, #""\u12G4""#, #""ab\""#, #"""#] { XCTAssertNil(decode(bad, after: [7]), bad) }
        // Runs of every length between escapes, against the decoded string built alongside.
        var generator = SystemRandomNumberGenerator()
        let escapes: [(String, String)] = [(#"\""#, "\""), (#"\\"#, "\\"), (#"\n"#, "\n"), (#"\u00fc"#, "ü"),
                                           (#"\ud834\udd1e"#, "𝄞"), ("é", "é")]
        for _ in 0..<2_000 {
            var token = "\""
            var expected = ""
            for _ in 0..<Int.random(in: 0..<6, using: &generator) {
                let run = String(repeating: "r", count: Int.random(in: 0..<40, using: &generator))
                let (escape, decoded) = escapes.randomElement(using: &generator) ?? ("", "")
                token += run + escape
                expected += run + decoded
            }
            token += "\""
            XCTAssertEqual(decode(token, after: [9]), [9] + Array(expected.utf8), token)
        }
    }

    /// A CSV cell made the body of a JSON string (an event line's `raw`): every quote,
    /// backslash and control byte escaped, the runs between them copied as they are, and the
    /// string decodes back to the cell.
    func testEscapingForJSONDecodesBackToTheBytes() {
        func escaped(_ bytes: [UInt8], after prefix: [UInt8] = []) -> [UInt8] {
            var out = prefix
            bytes.withUnsafeBytes { JSONText.appendEscaped($0, to: &out) }
            return out
        }
        XCTAssertEqual(escaped([]), [])
        XCTAssertEqual(escaped(Array("plain".utf8), after: [1]), [1] + Array("plain".utf8))
        XCTAssertEqual(escaped(Array("a\"b\\c\nd\re\tf".utf8)), Array(#"a\"b\\c\nd\re\tf"#.utf8))
        XCTAssertEqual(escaped([0x00, 0x1F, 0x41, 0x7F]), Array(#"\u0000\u001fA"#.utf8) + [0x7F])
        XCTAssertEqual(escaped(Array("é\"".utf8)), Array("é\\\"".utf8))
        var generator = SystemRandomNumberGenerator()
        let specials: [UInt8] = [0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x00, 0x01, 0x1F]
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<6, using: &generator) {
                bytes += (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0x20...0xFF, using: &generator) }
                    .map { $0 == 0x22 || $0 == 0x5C ? 0x61 : $0 }
                if let special = specials.randomElement(using: &generator) { bytes.append(special) }
            }
            let body = escaped(bytes)
            XCTAssertFalse(body.contains { $0 < 0x20 }, "a control byte left as it was")
            var decoded: [UInt8] = [9]
            let ok = ([0x22] + body + [0x22]).withUnsafeBytes { JSONReader.decodeString($0, into: &decoded) }
            XCTAssertTrue(ok)
            XCTAssertEqual(decoded, [9] + bytes)
        }
    }
}

// Reading JSON text in place, over bytes, without building a tree: validate a document,
// follow a path to a value's byte range, decode a string, minify a value (values are
// skipped by `JSONSkip`).
// The JSON functions use it on every row of a `raw` column, so nothing here allocates
// except the output.

enum JSONReader {
    /// True when `p` is exactly one JSON value with optional surrounding whitespace.
    static func isValid(_ p: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        JSONSkip.skipSpace(p, &i)
        guard JSONSkip.skipValue(p, &i, depth: 0) else { return false }
        JSONSkip.skipSpace(p, &i)
        return i == p.count
    }

    // MARK: Paths

    /// The byte range of the value at `path` in document `p`, or nil when the path does not
    /// lead anywhere or the part of the document on the way is not valid JSON.
    static func find(_ p: UnsafeRawBufferPointer, _ steps: [JSONPath.Step]) -> Range<Int>? {
        var i = 0
        JSONSkip.skipSpace(p, &i)
        for var step in steps {
            guard i < p.count else { return nil }
            // A pointer's `/0` indexes an array.
            if case .key(let key) = step, p[i] == UInt8(ascii: "["), !key.isEmpty, key.count < 10,
               key.allSatisfy({ $0 &- 48 < 10 }) {
                step = .index(key.reduce(0) { $0 * 10 + Int($1 - 48) })
            }
            switch step {
            case .key(let key):
                guard p[i] == UInt8(ascii: "{") else { return nil }
                i += 1
                JSONSkip.skipSpace(p, &i)
                if i < p.count, p[i] == UInt8(ascii: "}") { return nil }
                var found = false
                while !found {
                    guard i < p.count, p[i] == UInt8(ascii: "\"") else { return nil }
                    let keyStart = i
                    var escaped = false
                    guard JSONSkip.scanString(p, &i, strict: false, escaped: &escaped) else { return nil }
                    let matches = keyEquals(p, keyStart, i, key, escaped: escaped)
                    JSONSkip.skipSpace(p, &i)
                    guard i < p.count, p[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    JSONSkip.skipSpace(p, &i)
                    if matches { found = true; break }
                    guard JSONSkip.skipFast(p, &i) else { return nil }
                    JSONSkip.skipSpace(p, &i)
                    guard i < p.count, p[i] == UInt8(ascii: ",") else { return nil }
                    i += 1
                    JSONSkip.skipSpace(p, &i)
                }
            case .index(let index):
                guard p[i] == UInt8(ascii: "[") else { return nil }
                var target = index
                if index < 0 {
                    // From the end: count the elements first.
                    var j = i
                    guard let count = arrayCount(p, &j) else { return nil }
                    target = count + index
                    guard target >= 0 else { return nil }
                }
                i += 1
                JSONSkip.skipSpace(p, &i)
                if i < p.count, p[i] == UInt8(ascii: "]") { return nil }
                var k = 0
                while k < target {
                    guard JSONSkip.skipFast(p, &i) else { return nil }
                    JSONSkip.skipSpace(p, &i)
                    guard i < p.count, p[i] == UInt8(ascii: ",") else { return nil }
                    i += 1
                    JSONSkip.skipSpace(p, &i)
                    k += 1
                }
            }
        }
        let start = i
        guard JSONSkip.skipValue(p, &i, depth: 0) else { return nil }
        return start..<i
    }

    static func arrayCount(_ p: UnsafeRawBufferPointer, _ i: inout Int) -> Int? {
        i += 1
        JSONSkip.skipSpace(p, &i)
        if i < p.count, p[i] == UInt8(ascii: "]") { return 0 }
        var count = 0
        while true {
            guard JSONSkip.skipFast(p, &i) else { return nil }
            count += 1
            JSONSkip.skipSpace(p, &i)
            guard i < p.count else { return nil }
            if p[i] == UInt8(ascii: "]") { return count }
            guard p[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            JSONSkip.skipSpace(p, &i)
        }
    }

    /// Whether the key token `p[start..<end]` (with its quotes; `escaped`: it holds a
    /// backslash) is `key`, compared decoded.
    @inline(__always)
    static func keyEquals(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ key: [UInt8], escaped: Bool) -> Bool {
        guard escaped else {
            let count = end - start - 2
            guard count == key.count else { return false }
            guard count > 0, let base = p.baseAddress else { return true }
            return key.withUnsafeBytes { k in k.baseAddress.map { StringDictionary.sameBytes(base + start + 1, $0, count) } ?? false }
        }
        var decoded: [UInt8] = []
        guard decodeString(UnsafeRawBufferPointer(rebasing: p[start..<end]), into: &decoded) else { return false }
        return decoded == key
    }

    // MARK: Strings and output

    /// Decodes a JSON string token (with its quotes) into UTF-8 bytes appended to `out`;
    /// false (and `out` as it was) when the token is not a string JSON can hold.
    static func decodeString(_ token: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard token.count >= 2, let source = token.baseAddress else { return false }
        let before = out.count
        let room = token.count - 2
        // The decoded bytes are never more than the token's (an escape's bytes decode to
        // fewer): written in place into room made for them, then the rest cut off.
        out.append(contentsOf: repeatElement(0, count: room))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return room == 0 ? 0 : -1 }
            return decodeString(source, count: token.count, into: base + before)
        }
        guard written >= 0 else {
            out.removeLast(room)
            return false
        }
        out.removeLast(room - written)
        return true
    }

    /// `decodeString` into `out`, which has room for `count - 2` bytes: the bytes written, or
    /// -1.
    private static func decodeString(_ token: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 1
        var o = 0
        let end = count - 1
        let bytes = token.assumingMemoryBound(to: UInt8.self)
        while i < end {
            // The bytes up to the next backslash, copied as one run.
            var j = end
            if let at = memchr(token + i, 0x5C, end - i) { j = UnsafeRawPointer(at) - token }
            if j > i {
                (out + o).update(from: bytes + i, count: j - i)
                o += j - i
                i = j
                continue
            }
            guard i + 1 < end else { return -1 }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out[o] = 0x22
            case UInt8(ascii: "\\"): out[o] = 0x5C
            case UInt8(ascii: "/"): out[o] = 0x2F
            case UInt8(ascii: "b"): out[o] = 0x08
            case UInt8(ascii: "f"): out[o] = 0x0C
            case UInt8(ascii: "n"): out[o] = 0x0A
            case UInt8(ascii: "r"): out[o] = 0x0D
            case UInt8(ascii: "t"): out[o] = 0x09
            case UInt8(ascii: "u"):
                guard let point = UnicodeEscape.codePoint(UnsafeRawBufferPointer(start: token, count: count), i, end: end) else {
                    return -1
                }
                i += point.length
                o += UnicodeEscape.encodeUTF8(point.code, out + o)
                continue
            default:
                return -1
            }
            o += 1
        }
        return o
    }

    /// Appends a value's JSON text without insignificant whitespace; strings are re-encoded
    /// with the minimal escapes (as DuckDB prints JSON).
    static func appendMinified(_ p: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let start = i
                guard JSONSkip.skipString(p, &i) else { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[start...])); return }
                appendStringToken(UnsafeRawBufferPointer(rebasing: p[start..<i]), into: &out)
                continue
            }
            if c == UInt8(ascii: "-") || c &- 48 < 10 {
                let start = i
                if JSONSkip.skipNumber(p, &i), i > start {
                    appendNumber(UnsafeRawBufferPointer(rebasing: p[start..<i]), into: &out)
                    continue
                }
                i = start
            }
            if c != 32 && c != 10 && c != 13 && c != 9 { out.append(c) }
            i += 1
        }
    }

    /// A number as DuckDB prints JSON numbers: integers as written (`-0` as `0`); others in
    /// the shortest form that reads back, fixed for magnitudes 1e-6 … 1e21 (`100.0`,
    /// `0.000015`), else with an exponent (`1.5e300`, `1e-7`); out-of-range values as written.
    static func appendNumber(_ token: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let isInteger = !token.contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }
        if isInteger {
            if token.count == 2, token[0] == UInt8(ascii: "-"), token[1] == UInt8(ascii: "0") { out.append(48); return }
            out.append(contentsOf: token)
            return
        }
        guard let d = Double(String(decoding: token, as: UTF8.self)), d.isFinite else {
            out.append(contentsOf: token)
            return
        }
        // Digits and exponent of the shortest representation: value = 0.DIGITS × 10^point.
        var text = Array(Swift.abs(d).description.utf8)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 | 0x20 == UInt8(ascii: "e") }) {
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            text = Array(text[..<e])
        }
        let dot = text.firstIndex(of: UInt8(ascii: ".")) ?? text.count
        var digits = Array(text[..<dot]) + (dot < text.count ? Array(text[(dot + 1)...]) : [])
        var point = dot + exponent
        while digits.first == 48, digits.count > 1 { digits.removeFirst(); point -= 1 }
        while digits.last == 48, digits.count > 1 { digits.removeLast() }
        if d.sign == .minus { out.append(UInt8(ascii: "-")) }
        if digits == [48] { out.append(contentsOf: Array("0.0".utf8)); return }
        if point > -6 && point <= 21 {
            if point <= 0 {
                out.append(contentsOf: Array("0.".utf8))
                out.append(contentsOf: [UInt8](repeating: 48, count: -point))
                out.append(contentsOf: digits)
            } else if point >= digits.count {
                out.append(contentsOf: digits)
                out.append(contentsOf: [UInt8](repeating: 48, count: point - digits.count))
                out.append(contentsOf: Array(".0".utf8))
            } else {
                out.append(contentsOf: digits[..<point])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[point...])
            }
            return
        }
        out.append(digits[0])
        if digits.count > 1 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[1...])
        }
        out.append(UInt8(ascii: "e"))
        out.append(contentsOf: Array(String(point - 1).utf8))
    }

    static func appendStringToken(_ token: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        if !token.contains(UInt8(ascii: "\\")) { out.append(contentsOf: token); return }
        var decoded: [UInt8] = []
        guard decodeString(token, into: &decoded) else { out.append(contentsOf: token); return }
        appendQuoted(decoded, into: &out)
    }

    /// `"…"` with `"`, `\` and control characters escaped.
    static func appendQuoted<C: Collection>(_ bytes: C, into out: inout [UInt8]) where C.Element == UInt8 {
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

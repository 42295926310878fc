// Text that came from outside (a log's user agent, a repository name, a statement) made safe
// to print on a terminal: control characters, which could move the cursor, retitle the
// window or clear the screen, are shown as escapes instead of being sent to it.

public enum ControlText {
    /// Whether `scalar` is a control character: C0 (below U+0020), DEL, or C1 (U+0080–U+009F,
    /// which some terminals read as the start of an escape sequence).
    @inline(__always)
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v)
    }

    /// `text` with every control character shown as an escape: `\n`, `\r`, `\t`, `\x1b` for
    /// the others below U+0080, `\u0085` for C1. With `keepingLineBreaks`, `\n` stays a line
    /// break (for messages of several lines).
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard needsEscaping(text, keepingLineBreaks: keepingLineBreaks) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += keepingLineBreaks ? "\n" : "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                if scalar.value < 0x80 {
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out
    }

    /// Whether `escaped` would change `text` (a fast scan over its bytes).
    public static func needsEscaping(_ text: String, keepingLineBreaks: Bool = false) -> Bool {
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b < 0x20 {
                if !(keepingLineBreaks && b == 0x0A) { return true }
            } else if b == 0x7F {
                return true
            } else if previous == 0xC2, (0x80...0x9F).contains(b) {
                // U+0080–U+009F are C2 80 … C2 9F in UTF-8.
                return true
            }
            previous = b
        }
        return false
    }
}

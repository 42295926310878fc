// RE2/Perl spellings of a pattern (\d, \w, (?:…), (?i), …) rewritten into POSIX extended
// syntax for the C library's regcomp.

/// Rewrites the RE2 spellings of a pattern into POSIX extended syntax.
enum RegexTranslator {
    /// A pattern that matches `text` literally.
    static func escaped(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            if "\\.^$|?*+()[]{}".unicodeScalars.contains(c) { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out
    }

    struct Output {
        var pattern: String
        var caseInsensitive: Bool
        var groups: [Int]
        var posixGroupCount: Int
        var hasLazyRepetition: Bool
    }

    static func translate(_ pattern: String) throws -> Output {
        var p = Array(pattern.unicodeScalars)
        var caseInsensitive = false
        if p.count >= 4, String(String.UnicodeScalarView(p[0..<4])) == "(?i)" {
            caseInsensitive = true
            p.removeFirst(4)
        }
        var out = ""
        var groups = [0]
        var posix = 0
        var lazy = false
        var i = 0
        func fail(_ what: String) -> CompiledRegex.Invalid { CompiledRegex.Invalid(message: what) }
        while i < p.count {
            let c = p[i]
            switch c {
            case "\\":
                guard i + 1 < p.count else { throw fail("invalid regular expression: trailing backslash") }
                let e = p[i + 1]
                i += 2
                switch e {
                case "d": out += "[0-9]"
                case "D": out += "[^0-9]"
                case "w", "W", "s", "S", "b", "B": out += "\\" + String(e)
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                default:
                    if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                        throw fail("invalid regular expression: unsupported escape '\\\(e)'")
                    }
                    out += "\\" + String(e)
                }
                continue
            case "(":
                if i + 1 < p.count, p[i + 1] == "?" {
                    guard i + 2 < p.count, p[i + 2] == ":" else {
                        throw fail("invalid regular expression: unsupported group '(?'")
                    }
                    posix += 1
                    out += "("
                    i += 3
                    continue
                }
                posix += 1
                groups.append(posix)
                out += "("
            case "[":
                let (text, next) = try bracket(p, i)
                out += text
                i = next
                continue
            case "{":
                // A repetition `{m}`, `{m,}`, `{m,n}` after an atom; any other `{` is literal (RE2).
                var j = i + 1, digits = 0
                while j < p.count, ("0"..."9").contains(p[j]) { j += 1; digits += 1 }
                if digits > 0, j < p.count, p[j] == "," {
                    j += 1
                    while j < p.count, ("0"..."9").contains(p[j]) { j += 1 }
                }
                let afterAtom = !(out.isEmpty || out.hasSuffix("(") || out.hasSuffix("|"))
                if digits > 0, j < p.count, p[j] == "}", afterAtom {
                    out += String(String.UnicodeScalarView(p[i...j]))
                    i = j + 1
                    if i < p.count, p[i] == "?" { lazy = true; i += 1 }
                    continue
                }
                out += "\\{"
            case "*", "+", "?", "}":
                out.unicodeScalars.append(c)
                if i + 1 < p.count, p[i + 1] == "?" {
                    lazy = true
                    i += 1
                }
            default:
                out.unicodeScalars.append(c)
            }
            i += 1
        }
        return Output(pattern: out, caseInsensitive: caseInsensitive, groups: groups, posixGroupCount: posix,
                      hasLazyRepetition: lazy)
    }

    /// A bracket expression starting at `p[start] == "["`: its POSIX text and the index
    /// after it. `]` goes first and `-` last so that they stay literal.
    static func bracket(_ p: [Unicode.Scalar], _ start: Int) throws -> (String, Int) {
        var i = start + 1
        var negated = false
        if i < p.count, p[i] == "^" { negated = true; i += 1 }
        var items = ""
        var literalClose = false, literalDash = false, literalCaret = false
        var first = true
        while i < p.count {
            let c = p[i]
            if c == "]" && !first { break }
            first = false
            if c == "]" { literalClose = true; i += 1; continue }
            if c == "[", i + 1 < p.count, p[i + 1] == ":" {
                var j = i + 2
                while j + 1 < p.count, !(p[j] == ":" && p[j + 1] == "]") { j += 1 }
                guard j + 1 < p.count else { break }
                items += String(String.UnicodeScalarView(p[i...(j + 1)]))
                i = j + 2
                continue
            }
            if c == "\\", i + 1 < p.count {
                let e = p[i + 1]
                i += 2
                switch e {
                case "d": items += "0-9"
                case "w": items += "[:alnum:]_"
                case "s": items += "[:space:]"
                case "n": items += "\n"
                case "t": items += "\t"
                case "]": literalClose = true
                case "-": literalDash = true
                case "^": literalCaret = true
                case "\\": items += "\\"
                default:
                    if e.properties.isAlphabetic {
                        throw CompiledRegex.Invalid(message: "invalid regular expression: unsupported escape '\\\(e)' in a class")
                    }
                    items.unicodeScalars.append(e)
                }
                continue
            }
            if c == "^" { literalCaret = true; i += 1; continue }
            items.unicodeScalars.append(c)
            i += 1
        }
        guard i < p.count else {
            throw CompiledRegex.Invalid(message: "invalid regular expression: missing ']'")
        }
        var text = "["
        if negated { text += "^" }
        if literalClose { text += "]" }
        text += items
        if literalCaret { text += "^" }
        if literalDash { text += "-" }
        text += "]"
        return (text, i + 1)
    }
}

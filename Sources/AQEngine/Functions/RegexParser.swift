// The syntax of regular expressions (RE2's, which DuckDB uses) read into a tree: literals,
// `.`, classes (`[a-z]`, `\d`, `[[:alpha:]]`), anchors (`^ $ \A \z \b \B`), groups
// (`(…)`, `(?:…)`, `(?P<name>…)`, flags `(?i)`, `(?s:…)`), alternation and repetition
// (`* + ? {m,n}`, each lazy with a trailing `?`). Back-references and look-around, which
// would need backtracking, are not part of RE2 and are errors here too.

/// A set of scalars: sorted, non-overlapping ranges, possibly negated.
struct RegexClass: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false

    func contains(_ c: UInt32) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < c { lo = mid + 1 } else { hi = mid }
        }
        let inside = lo < ranges.count && ranges[lo].contains(c)
        return inside != negated
    }

    /// Ranges sorted and merged.
    static func normalized(_ ranges: [ClosedRange<UInt32>], negated: Bool) -> RegexClass {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return RegexClass(ranges: out, negated: negated)
    }

    static let digit: [ClosedRange<UInt32>] = [48...57]
    static let word: [ClosedRange<UInt32>] = [48...57, 65...90, 95...95, 97...122]
    static let space: [ClosedRange<UInt32>] = [9...10, 12...13, 32...32]
}

/// A regular expression as a tree.
indirect enum RegexNode {
    case empty
    /// One scalar; `foldCase` when it matches either case.
    case literal(UInt32, foldCase: Bool)
    case set(RegexClass, foldCase: Bool)
    /// `.`: any scalar, or any but `\n`.
    case any(newline: Bool)
    case assertion(RegexAssertion)
    case group(RegexNode, capture: Int?)
    case concat([RegexNode])
    case alternate([RegexNode])
    case repeating(RegexNode, min: Int, max: Int?, greedy: Bool)
}

enum RegexAssertion {
    case textStart, textEnd, lineStart, lineEnd, wordBoundary, notWordBoundary
}

/// The flags a pattern sets: `(?i)` case-insensitive, `(?s)` `.` matches `\n`, `(?m)` `^`/`$`
/// at line breaks, `(?U)` repetition lazy by default.
struct RegexFlags {
    var foldCase = false
    var dotNewline = false
    var multiLine = false
    var ungreedy = false
}

/// A pattern that RE2 would not accept either.
struct RegexSyntaxError: Error {
    let message: String
}

struct RegexParser {
    /// The most a counted repetition may ask for (`a{1001}` is too many), as in RE2.
    static let maxRepeat = 1000

    private let p: [Unicode.Scalar]
    private var i = 0
    private(set) var groupCount = 0

    /// Parses `pattern`; returns the tree and the number of capturing groups.
    static func parse(_ pattern: String, flags: RegexFlags) throws -> (RegexNode, groups: Int) {
        var parser = RegexParser(p: Array(pattern.unicodeScalars))
        var flags = flags
        let node = try parser.alternation(&flags, depth: 0)
        if parser.i < parser.p.count {
            // Only an unmatched `)` stops the top level.
            throw RegexSyntaxError(message: "unexpected ')'")
        }
        return (node, parser.groupCount)
    }

    private init(p: [Unicode.Scalar]) { self.p = p }

    private func fail(_ message: String) -> RegexSyntaxError { RegexSyntaxError(message: message) }

    private var peek: Unicode.Scalar? { i < p.count ? p[i] : nil }

    /// `a|b|c` up to a `)` or the end.
    private mutating func alternation(_ flags: inout RegexFlags, depth: Int) throws -> RegexNode {
        guard depth < 1000 else { throw fail("nesting too deep") }
        var branches = [try concatenation(&flags, depth: depth)]
        while peek == "|" {
            i += 1
            branches.append(try concatenation(&flags, depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func concatenation(_ flags: inout RegexFlags, depth: Int) throws -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek, c != "|", c != ")" {
            let start = i
            guard let atom = try atom(&flags, depth: depth) else { continue }
            items.append(try repetition(of: atom, flags, at: start))
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    /// `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}` after an atom, each lazy when followed by `?`.
    private mutating func repetition(of atom: RegexNode, _ flags: RegexFlags, at start: Int) throws -> RegexNode {
        var node = atom
        var repeated = false
        while let c = peek {
            var bounds: (Int, Int?)
            switch c {
            case "*": bounds = (0, nil); i += 1
            case "+": bounds = (1, nil); i += 1
            case "?": bounds = (0, 1); i += 1
            case "{":
                guard let counted = try countedRepetition() else { return node }
                bounds = counted
            default: return node
            }
            if repeated { throw fail("bad repetition operator") }
            var greedy = !flags.ungreedy
            if peek == "?" {
                greedy.toggle()
                i += 1
            }
            node = .repeating(node, min: bounds.0, max: bounds.1, greedy: greedy)
            repeated = true
        }
        return node
    }

    /// `{m}`, `{m,}` or `{m,n}` at `i`; nil (nothing read) when the `{` is a literal.
    private mutating func countedRepetition() throws -> (Int, Int?)? {
        var j = i + 1
        func number() -> Int? {
            var value = 0, digits = 0
            while j < p.count, ("0"..."9").contains(p[j]) {
                value = min(value * 10 + Int(p[j].value - 48), 100_000)
                digits += 1
                j += 1
            }
            return digits > 0 ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if j < p.count, p[j] == "," {
            j += 1
            high = number()
        }
        guard j < p.count, p[j] == "}" else { return nil }
        if low > RegexParser.maxRepeat || (high ?? 0) > RegexParser.maxRepeat {
            throw fail("bad repetition operator: more than \(RegexParser.maxRepeat) repetitions")
        }
        if let high, high < low { throw fail("bad repetition operator: {\(low),\(high)}") }
        i = j + 1
        return (low, high)
    }

    /// One atom; nil for a flag group `(?i)` that only changes `flags`.
    private mutating func atom(_ flags: inout RegexFlags, depth: Int) throws -> RegexNode? {
        let c = p[i]
        i += 1
        switch c {
        case ".": return .any(newline: flags.dotNewline)
        case "^": return .assertion(flags.multiLine ? .lineStart : .textStart)
        case "$": return .assertion(flags.multiLine ? .lineEnd : .textEnd)
        case "(": return try group(&flags, depth: depth)
        case "[": return try bracket(flags)
        case "\\": return try escape(flags)
        case "*", "+", "?": throw fail("missing argument to repetition operator '\(c)'")
        case "{":
            // A `{` that starts no repetition is itself (RE2 reads `{b` and `x{` so).
            return .literal(c.value, foldCase: false)
        default: return literal(c.value, flags)
        }
    }

    private func literal(_ c: UInt32, _ flags: RegexFlags) -> RegexNode {
        .literal(c, foldCase: flags.foldCase && RegexCase.hasOtherCase(c))
    }

    private mutating func group(_ flags: inout RegexFlags, depth: Int) throws -> RegexNode? {
        var capture: Int?
        var inner = flags
        if peek == "?" {
            i += 1
            if peek == "P" || peek == "<" {
                // `(?P<name>…)` or `(?<name>…)`: a capturing group with a name.
                if peek == "P" { i += 1 }
                guard peek == "<" else { throw fail("invalid named capture group") }
                i += 1
                var nameLength = 0
                while let c = peek, c != ">" {
                    guard c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c) else {
                        throw fail("invalid named capture group")
                    }
                    nameLength += 1
                    i += 1
                }
                guard peek == ">", nameLength > 0 else { throw fail("invalid named capture group") }
                i += 1
                groupCount += 1
                capture = groupCount
            } else {
                // Flags: `(?flags)` changes the rest of the enclosing group, `(?flags:…)` only its own.
                var negate = false
                var any = false
                while let c = peek, c != ")", c != ":" {
                    switch c {
                    case "i": inner.foldCase = !negate
                    case "s": inner.dotNewline = !negate
                    case "m": inner.multiLine = !negate
                    case "U": inner.ungreedy = !negate
                    case "-" where !negate: negate = true
                    default: throw fail("invalid or unsupported Perl syntax: '(?\(c)'")
                    }
                    any = true
                    i += 1
                }
                guard let end = peek, any || end == ":" else { throw fail("missing ')'") }
                i += 1
                if end == ")" {
                    flags = inner
                    return nil
                }
            }
        } else {
            groupCount += 1
            capture = groupCount
        }
        let body = try alternation(&inner, depth: depth + 1)
        guard peek == ")" else { throw fail("missing ')'") }
        i += 1
        return .group(body, capture: capture)
    }

    /// A backslash escape outside a class.
    private mutating func escape(_ flags: RegexFlags) throws -> RegexNode {
        guard let e = peek else { throw fail("trailing backslash at end of expression") }
        i += 1
        switch e {
        case "A": return .assertion(.textStart)
        case "z": return .assertion(.textEnd)
        case "b": return .assertion(.wordBoundary)
        case "B": return .assertion(.notWordBoundary)
        case "d", "D", "w", "W", "s", "S":
            return .set(RegexParser.perlClass(e), foldCase: false)
        default:
            return literal(try escapedScalar(e), flags)
        }
    }

    /// `\d` and the others as classes.
    static func perlClass(_ e: Unicode.Scalar) -> RegexClass {
        switch e {
        case "d": return RegexClass(ranges: RegexClass.digit)
        case "D": return RegexClass(ranges: RegexClass.digit, negated: true)
        case "w": return RegexClass(ranges: RegexClass.word)
        case "W": return RegexClass(ranges: RegexClass.word, negated: true)
        case "s": return RegexClass(ranges: RegexClass.space)
        default: return RegexClass(ranges: RegexClass.space, negated: true)
        }
    }

    /// The scalar an escape stands for: `\n`, `\t`, `\x41`, `\x{1F600}`, `\.` and other punctuation.
    private mutating func escapedScalar(_ e: Unicode.Scalar) throws -> UInt32 {
        switch e {
        case "n": return 10
        case "t": return 9
        case "r": return 13
        case "f": return 12
        case "v": return 11
        case "a": return 7
        case "0": return 0
        case "x":
            var digits = ""
            if peek == "{" {
                i += 1
                while let c = peek, c != "}" { digits.unicodeScalars.append(c); i += 1 }
                guard peek == "}" else { throw fail("invalid escape sequence '\\x{'") }
                i += 1
            } else {
                for _ in 0..<2 {
                    guard let c = peek else { break }
                    digits.unicodeScalars.append(c)
                    i += 1
                }
            }
            guard let value = UInt32(digits, radix: 16), value <= 0x10FFFF, !digits.isEmpty else {
                throw fail("invalid escape sequence '\\x\(digits)'")
            }
            return value
        default:
            if e.value < 0x80, !(e.properties.isAlphabetic || ("0"..."9").contains(e)) { return e.value }
            throw fail("invalid escape sequence '\\\(e)'")
        }
    }

    /// `[…]`: ranges, escapes, `\d`-style and `[:alpha:]`-style classes, `^` to negate.
    private mutating func bracket(_ flags: RegexFlags) throws -> RegexNode {
        var ranges: [ClosedRange<UInt32>] = []
        var negated = false
        if peek == "^" {
            negated = true
            i += 1
        }
        var first = true
        while true {
            guard let c = peek else { throw fail("missing ']'") }
            if c == "]", !first {
                i += 1
                break
            }
            first = false
            if c == "[", i + 1 < p.count, p[i + 1] == ":" {
                var j = i + 2
                var name = ""
                while j < p.count, p[j] != ":" { name.unicodeScalars.append(p[j]); j += 1 }
                if j + 1 < p.count, p[j + 1] == "]" {
                    guard let posix = RegexParser.posixClass(name.hasPrefix("^") ? String(name.dropFirst()) : name) else {
                        throw fail("invalid character class range '[:\(name):]'")
                    }
                    if name.hasPrefix("^") {
                        ranges += RegexClass(ranges: posix, negated: true).complementRanges()
                    } else {
                        ranges += posix
                    }
                    i = j + 2
                    continue
                }
            }
            if c == "\\", i + 1 < p.count, "dDwWsS".unicodeScalars.contains(p[i + 1]) {
                let perl = RegexParser.perlClass(p[i + 1])
                ranges += perl.negated ? perl.complementRanges() : perl.ranges
                i += 2
                continue
            }
            let low = try classScalar()
            if peek == "-", i + 1 < p.count, p[i + 1] != "]" {
                i += 1
                let high = try classScalar()
                guard high >= low else { throw fail("invalid character class range") }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        if flags.foldCase { ranges += RegexCase.otherCaseRanges(ranges) }
        return .set(RegexClass.normalized(ranges, negated: negated), foldCase: false)
    }

    private mutating func classScalar() throws -> UInt32 {
        guard let c = peek else { throw fail("missing ']'") }
        i += 1
        if c == "\\" {
            guard let e = peek else { throw fail("missing ']'") }
            i += 1
            return try escapedScalar(e)
        }
        return c.value
    }

    static func posixClass(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": return [48...57, 65...90, 97...122]
        case "alpha": return [65...90, 97...122]
        case "ascii": return [0...127]
        case "blank": return [9...9, 32...32]
        case "cntrl": return [0...31, 127...127]
        case "digit": return [48...57]
        case "graph": return [33...126]
        case "lower": return [97...122]
        case "print": return [32...126]
        case "punct": return [33...47, 58...64, 91...96, 123...126]
        case "space": return [9...13, 32...32]
        case "upper": return [65...90]
        case "word": return RegexClass.word
        case "xdigit": return [48...57, 65...70, 97...102]
        default: return nil
        }
    }
}

extension RegexClass {
    /// The ranges of every scalar not in `ranges`.
    func complementRanges() -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in RegexClass.normalized(ranges, negated: false).ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
            if r.upperBound >= 0x10FFFF { return out }
        }
        out.append(next...0x10FFFF)
        return out
    }
}

/// Simple case folding of single scalars, for `(?i)` and the `i` option.
enum RegexCase {
    /// The other case of `c` (one scalar), or nil.
    static func other(_ c: UInt32) -> UInt32? {
        if c < 0x80 {
            if c >= 65 && c <= 90 { return c + 32 }
            if c >= 97 && c <= 122 { return c - 32 }
            return nil
        }
        guard let scalar = Unicode.Scalar(c) else { return nil }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        if lower.count == 1, let l = lower.first, l.value != c { return l.value }
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        if upper.count == 1, let u = upper.first, u.value != c { return u.value }
        return nil
    }

    static func hasOtherCase(_ c: UInt32) -> Bool { other(c) != nil }

    /// The other-case scalars of a class's ranges (ranges of letters, scalar by scalar up to
    /// a bound, so a huge range costs little).
    static func otherCaseRanges(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for r in ranges {
            let upper = min(r.upperBound, r.lowerBound + 0x3000)
            var c = r.lowerBound
            while c <= upper {
                if let o = other(c) { out.append(o...o) }
                c += 1
            }
        }
        return out
    }
}

// regexp_matches(s, pattern [, options]), regexp_full_match(s, pattern [, options]),
// regexp_extract(s, pattern [, group [, options]]), regexp_replace(s, pattern, replacement
// [, options]). Options as DuckDB's: c (case-sensitive), i (case-insensitive), l (literal),
// m/n/p (newline-sensitive), s (not), g (replace every match).
//
// Dialect: POSIX extended regular expressions (the C library's regcomp, leftmost-longest),
// with the common RE2/Perl spellings DuckDB users write translated: \d \D \w \W \s \S \b
// \B, escapes \n \t \. \\ and so on, (?:…) groups, a leading (?i) for case-insensitive, and
// classes like [\d.-]. Non-greedy repetition (`*?`, `+?`) cannot change whether a pattern
// matches, so regexp_matches accepts it; regexp_extract reports it as unsupported. A
// constant pattern is compiled once per call site; a dictionary column is matched once per
// distinct value.

import AQSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled pattern. regexec is safe to call from several threads on one regex_t.
final class CompiledRegex: @unchecked Sendable {
    private let regex: UnsafeMutablePointer<regex_t>
    /// POSIX group number of each RE2 capturing group (index 0 is the whole match).
    let groups: [Int]
    let hasLazyRepetition: Bool
    private let matchCount: Int

    struct Invalid: Error { let message: String }

    init(_ pattern: String, options: RegexOptions = RegexOptions()) throws {
        let translated = try RegexTranslator.translate(options.literal ? RegexTranslator.escaped(pattern) : pattern)
        var flags = REG_EXTENDED
        if translated.caseInsensitive || options.caseInsensitive { flags |= REG_ICASE }
        if options.newlineSensitive { flags |= REG_NEWLINE }
        regex = .allocate(capacity: 1)
        let status = regcomp(regex, translated.pattern, flags)
        guard status == 0 else {
            var buffer = [CChar](repeating: 0, count: 256)
            regerror(status, regex, &buffer, buffer.count)
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            regfree(regex)
            regex.deallocate()
            throw Invalid(message: "invalid regular expression: \(message.lowercased())")
        }
        groups = translated.groups
        hasLazyRepetition = translated.hasLazyRepetition
        matchCount = translated.posixGroupCount + 1
    }

    deinit {
        regfree(regex)
        regex.deallocate()
    }

    /// The ranges of the first match and its groups (nil for a group that did not take part),
    /// or nil when nothing matches.
    func firstMatch(_ s: UnsafeRawBufferPointer) -> [Range<Int>?]? {
        var matches = [regmatch_t](repeating: regmatch_t(), count: matchCount)
        let found: Bool = matches.withUnsafeMutableBufferPointer { m in
            m[0].rm_so = 0
            m[0].rm_eo = regoff_t(s.count)
            let base = s.baseAddress?.assumingMemoryBound(to: CChar.self) ?? emptyCString
            return regexec(regex, base, m.count, m.baseAddress, REG_STARTEND) == 0
        }
        guard found else { return nil }
        return groups.map { g in
            guard g < matches.count, matches[g].rm_so >= 0 else { return nil }
            return Int(matches[g].rm_so)..<Int(matches[g].rm_eo)
        }
    }

    func matches(_ s: UnsafeRawBufferPointer) -> Bool {
        var m = regmatch_t()
        m.rm_so = 0
        m.rm_eo = regoff_t(s.count)
        let base = s.baseAddress?.assumingMemoryBound(to: CChar.self) ?? emptyCString
        return regexec(regex, base, 1, &m, REG_STARTEND) == 0
    }
}

nonisolated(unsafe) private let emptyCString: UnsafePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
}()

/// What the options argument of a regexp function asks for.
struct RegexOptions {
    var caseInsensitive = false
    var literal = false
    var newlineSensitive = false
    var global = false
    /// `k` (regexp_extract): the input itself when nothing matches, not ''.
    var keepInput = false

    init() {}

    init(_ text: String, function: String, allowGlobal: Bool, allowKeep: Bool = false, _ fc: FunctionContext) throws {
        for c in text where !c.isWhitespace {
            switch c {
            case "c": caseInsensitive = false
            case "i": caseInsensitive = true
            case "l": literal = true
            case "m", "n", "p": newlineSensitive = true
            case "s": newlineSensitive = false
            case "g" where allowGlobal: global = true
            case "k" where allowKeep: keepInput = true
            default:
                throw ExecutionError.invalidArgument(function: function, message: "unknown regex option '\(c)'", range: fc.range)
            }
        }
    }
}

enum RegexFunctions {
    static let all: [String: [Overload]] = [
        "regexp_matches": [
            Overload([.varchar, .varchar], .boolean) { args, n, fc in try search(args, n, fc, full: false) },
            Overload([.varchar, .varchar, .varchar], .boolean) { args, n, fc in try search(args, n, fc, full: false) },
        ],
        "regexp_full_match": [
            Overload([.varchar, .varchar], .boolean) { args, n, fc in try search(args, n, fc, full: true) },
            Overload([.varchar, .varchar, .varchar], .boolean) { args, n, fc in try search(args, n, fc, full: true) },
        ],
        "regexp_extract": [
            Overload([.varchar, .varchar], .varchar) { args, n, fc in try extract(args, n, fc) },
            Overload([.varchar, .varchar, .integer], .varchar) { args, n, fc in try extract(args, n, fc) },
            Overload([.varchar, .varchar, .integer, .varchar], .varchar) { args, n, fc in try extract(args, n, fc) },
        ],
        "regexp_replace": [
            Overload([.varchar, .varchar, .varchar], .varchar) { args, n, fc in try replace(args, n, fc) },
            Overload([.varchar, .varchar, .varchar, .varchar], .varchar) { args, n, fc in try replace(args, n, fc) },
        ],
    ]

    static func compile(_ pattern: Value, options: RegexOptions = RegexOptions(), function: String,
                        _ fc: FunctionContext) throws -> CompiledRegex {
        do {
            return try CompiledRegex(FunctionKernels.stringValue(pattern) ?? "", options: options)
        } catch let e as CompiledRegex.Invalid {
            throw ExecutionError.invalidArgument(function: function, message: e.message, range: fc.range)
        }
    }

    /// regexp_matches (a match anywhere) and regexp_full_match (the whole string).
    static func search(_ args: [Vector], _ n: Int, _ fc: FunctionContext, full: Bool) throws -> Vector {
        let name = full ? "regexp_full_match" : "regexp_matches"
        let (values, validity) = try FunctionKernels.strings(args, n, fc, name: name, zero: false) { rest in
            let options = rest.count > 1
                ? try RegexOptions(FunctionKernels.stringValue(rest[1]) ?? "", function: name, allowGlobal: false, fc)
                : RegexOptions()
            let regex = try compile(rest[0], options: options, function: name, fc)
            // POSIX matching is leftmost-longest: if the whole string matches, the match at 0 is it.
            if full { return { s in regex.firstMatch(s)?.first.flatMap { $0 } == 0..<s.count } }
            return { regex.matches($0) }
        }
        return .booleans(values, validity)
    }

    static func replace(_ args: [Vector], _ n: Int, _ fc: FunctionContext) throws -> Vector {
        try FunctionKernels.stringsToString(args, n, fc, name: "regexp_replace") { rest in
            let options = rest.count > 2
                ? try RegexOptions(FunctionKernels.stringValue(rest[2]) ?? "", function: "regexp_replace", allowGlobal: true, fc)
                : RegexOptions()
            let regex = try compile(rest[0], options: options, function: "regexp_replace", fc)
            let replacement = Array((FunctionKernels.stringValue(rest[1]) ?? "").utf8)
            return { s, out in
                var pos = 0
                while pos <= s.count {
                    let tail = UnsafeRawBufferPointer(rebasing: s[pos...])
                    guard let m = regex.firstMatch(tail), let whole = m[0] else { break }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: tail[..<whole.lowerBound]))
                    appendReplacement(replacement, m, tail, into: &out)
                    if !options.global {
                        pos += whole.upperBound
                        break
                    }
                    if whole.isEmpty {
                        // An empty match: keep one character and go on after it.
                        if whole.upperBound < tail.count {
                            let len = StringKernels.utf8Length(tail[whole.upperBound])
                            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: tail[whole.upperBound..<min(tail.count, whole.upperBound + len)]))
                            pos += whole.upperBound + len
                        } else {
                            pos = s.count + 1
                        }
                    } else {
                        pos += whole.upperBound
                    }
                }
                if pos <= s.count { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[pos...])) }
                return true
            }
        }
    }

    /// The replacement text with `\0`…`\9` standing for the match and its groups, `\\` for a
    /// backslash.
    static func appendReplacement(_ r: [UInt8], _ m: [Range<Int>?], _ s: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var k = 0
        while k < r.count {
            if r[k] == UInt8(ascii: "\\"), k + 1 < r.count {
                let c = r[k + 1]
                if c &- 48 < 10 {
                    let g = Int(c - 48)
                    if g < m.count, let range = m[g] { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[range])) }
                    k += 2
                    continue
                }
                if c == UInt8(ascii: "\\") { out.append(c); k += 2; continue }
            }
            out.append(r[k])
            k += 1
        }
    }

    static func extract(_ args: [Vector], _ n: Int, _ fc: FunctionContext) throws -> Vector {
        try FunctionKernels.stringsToString(args, n, fc, name: "regexp_extract") { rest in
            let options = rest.count > 2
                ? try RegexOptions(FunctionKernels.stringValue(rest[2]) ?? "", function: "regexp_extract", allowGlobal: false,
                                   allowKeep: true, fc)
                : RegexOptions()
            let regex = try compile(rest[0], options: options, function: "regexp_extract", fc)
            if regex.hasLazyRepetition {
                throw ExecutionError.invalidArgument(function: "regexp_extract",
                                                     message: "non-greedy repetition ('*?', '+?') is not supported",
                                                     range: fc.range)
            }
            let group = rest.count > 1 ? (FunctionKernels.integerValue(rest[1]) ?? 0) : 0
            guard group >= 0, group <= 9 else {
                throw ExecutionError.invalidArgument(function: "regexp_extract", message: "the group must be between 0 and 9",
                                                     range: fc.range)
            }
            let keep = options.keepInput
            return { s, out in
                // No match, or no such group: the empty string (as DuckDB), or with `k` the input.
                guard let m = regex.firstMatch(s) else {
                    if keep { out.append(contentsOf: s) }
                    return true
                }
                guard group < regex.groups.count, let r = m[Int(group)] else { return true }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[r]))
                return true
            }
        }
    }
}

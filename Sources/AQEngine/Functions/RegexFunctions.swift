// regexp_matches(s, pattern [, options]), regexp_full_match(s, pattern [, options]),
// regexp_extract(s, pattern [, group [, options]]), regexp_replace(s, pattern, replacement
// [, options]). Options as DuckDB's: c (case-sensitive), i (case-insensitive), l (literal),
// m/n/p (`.` does not match a line break, the default), s (it does), g (replace every match).
//
// Dialect: RE2's, as DuckDB's (RegexParser): leftmost-first matches, `.` not matching `\n`
// unless `(?s)` or the `s` option, `\d \w \s \b`, `(?:…)`, `(?i)`, lazy repetition. Matching
// runs on a Pike machine (RegexMachine) in time linear in the text, so no pattern can make a
// query hang, and Ctrl-C stops it mid-string. A constant pattern is compiled once per call
// site; a dictionary column is matched once per distinct value.

import AQSyntax

/// A compiled pattern; immutable, so one is shared by every thread of a query.
final class CompiledRegex: Sendable {
    private let program: RegexProgram
    /// Capturing groups plus one (index 0 is the whole match).
    let groupCount: Int
    /// The statement's token: a search stops early once it is cancelled.
    private let cancellation: CancellationToken?

    struct Invalid: Error { let message: String }

    init(_ pattern: String, options: RegexOptions = RegexOptions(), full: Bool = false,
         cancellation: CancellationToken? = nil) throws {
        var flags = RegexFlags()
        flags.foldCase = options.caseInsensitive
        flags.dotNewline = options.dotMatchesNewline
        do {
            var (node, groups) = options.literal
                ? (RegexNode.concat(pattern.unicodeScalars.map { .literal($0.value, foldCase: flags.foldCase && RegexCase.hasOtherCase($0.value)) }), 0)
                : try RegexParser.parse(pattern, flags: flags)
            if full { node = .concat([.assertion(.textStart), .group(node, capture: nil), .assertion(.textEnd)]) }
            program = try RegexProgram(node, groups: groups)
            groupCount = groups + 1
        } catch let error as RegexSyntaxError {
            throw Invalid(message: "invalid regular expression: \(error.message)")
        }
        self.cancellation = cancellation
    }

    /// The ranges of the first match and its groups (nil for a group that did not take part),
    /// or nil when nothing matches.
    func firstMatch(_ s: UnsafeRawBufferPointer) -> [Range<Int>?]? {
        guard let slots = RegexMachine.search(program, s, slots: true, cancellation: cancellation) else { return nil }
        return (0..<groupCount).map { g in
            let start = slots[2 * g], end = slots[2 * g + 1]
            return start >= 0 && end >= start ? start..<end : nil
        }
    }

    func matches(_ s: UnsafeRawBufferPointer) -> Bool {
        RegexMachine.search(program, s, slots: false, cancellation: cancellation) != nil
    }
}

/// What the options argument of a regexp function asks for.
struct RegexOptions {
    var caseInsensitive = false
    var literal = false
    /// `s`: `.` matches `\n` too (by default, and with `m`, `n` or `p`, it does not).
    var dotMatchesNewline = false
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
            case "m", "n", "p": dotMatchesNewline = false
            case "s": dotMatchesNewline = true
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

    static func compile(_ pattern: Value, options: RegexOptions = RegexOptions(), full: Bool = false, function: String,
                        _ fc: FunctionContext) throws -> CompiledRegex {
        do {
            return try CompiledRegex(FunctionKernels.stringValue(pattern) ?? "", options: options, full: full,
                                     cancellation: fc.execution.cancellation)
        } catch let e as CompiledRegex.Invalid {
            throw ExecutionError.invalidArgument(function: function, message: e.message, range: fc.range)
        }
    }

    /// regexp_matches (a match anywhere) and regexp_full_match (the whole string).
    static func search(_ args: [Vector], _ n: Int, _ fc: FunctionContext, full: Bool) throws -> Vector {
        let name = full ? "regexp_full_match" : "regexp_matches"
        try requireOptions(args, at: 2, n, function: name, fc)
        let (values, validity) = try FunctionKernels.strings(args, n, fc, name: name, zero: false) { rest in
            let options = rest.count > 1
                ? try RegexOptions(FunctionKernels.stringValue(rest[1]) ?? "", function: name, allowGlobal: false, fc)
                : RegexOptions()
            let regex = try compile(rest[0], options: options, full: full, function: name, fc)
            return { regex.matches($0) }
        }
        return .booleans(values, validity)
    }

    static func replace(_ args: [Vector], _ n: Int, _ fc: FunctionContext) throws -> Vector {
        try requireOptions(args, at: 3, n, function: "regexp_replace", fc)
        return try FunctionKernels.stringsToString(args, n, fc, name: "regexp_replace") { rest in
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

    /// DuckDB's rule: a NULL options argument is an error, even where another argument is NULL.
    static func requireOptions(_ args: [Vector], at k: Int, _ n: Int, function: String, _ fc: FunctionContext) throws {
        guard k < args.count, args[k].isAllNull || (0..<n).contains(where: { args[k].isNull($0) }) else { return }
        throw ExecutionError.invalidArgument(function: function, message: "the options must not be NULL", range: fc.range)
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
        try requireOptions(args, at: 3, n, function: "regexp_extract", fc)
        // A NULL group selects no group: '' for every string that is not NULL (as DuckDB).
        var args = args, fc = fc
        let noGroup = args.count > 2 && args[2].isAllNull
        if noGroup {
            args[2] = Vector(type: .integer, storage: .int64([Int64](repeating: 0, count: n)))
            if fc.constantArguments.count > 2 { fc.constantArguments[2] = .integer(0) }
        }
        return try FunctionKernels.stringsToString(args, n, fc, name: "regexp_extract") { rest in
            let options = rest.count > 2
                ? try RegexOptions(FunctionKernels.stringValue(rest[2]) ?? "", function: "regexp_extract", allowGlobal: false,
                                   allowKeep: true, fc)
                : RegexOptions()
            let regex = try compile(rest[0], options: options, function: "regexp_extract", fc)
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
                guard !noGroup, group < regex.groupCount, let r = m[Int(group)] else { return true }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[r]))
                return true
            }
        }
    }
}

// String functions with DuckDB's names and results: lower, upper, length (characters),
// substr/substring, left, right, replace, trim/ltrim/rtrim, lpad/rpad, starts_with, ends_with,
// contains, strpos/instr, split_part, reverse, repeat, concat. Positions and lengths count
// characters (UTF-8 code points); ASCII takes a byte path.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum StringFunctions {
    static let all: [String: [Overload]] = [
        "lower": [Overload([.varchar], .varchar) { args, n, fc in try caseMap(args, n, fc, upper: false) }],
        "upper": [Overload([.varchar], .varchar) { args, n, fc in try caseMap(args, n, fc, upper: true) }],
        "lcase": [Overload([.varchar], .varchar) { args, n, fc in try caseMap(args, n, fc, upper: false) }],
        "ucase": [Overload([.varchar], .varchar) { args, n, fc in try caseMap(args, n, fc, upper: true) }],
        "length": lengthOverloads,
        "len": lengthOverloads,
        "char_length": lengthOverloads,
        "character_length": lengthOverloads,
        "substr": substringOverloads,
        "substring": substringOverloads,
        "left": [
            Overload([.varchar, .integer], .varchar) { args, n, fc in
                try FunctionKernels.stringsToString(args, n, fc, name: "left") { rest in
                    let k = FunctionKernels.integerValue(rest[0]) ?? 0
                    return { s, out in
                        // A negative count leaves out that many characters at the end.
                        let size = Int64(characterCount(s))
                        substring(s, start: 1, length: k >= 0 ? k : max(0, size + k), into: &out)
                        return true
                    }
                }
            },
        ],
        "right": [
            Overload([.varchar, .integer], .varchar) { args, n, fc in
                try FunctionKernels.stringsToString(args, n, fc, name: "right") { rest in
                    let k = FunctionKernels.integerValue(rest[0]) ?? 0
                    return { s, out in
                        let size = Int64(characterCount(s))
                        let take = k >= 0 ? min(k, size) : max(0, size + k)
                        substring(s, start: size - take + 1, length: take, into: &out)
                        return true
                    }
                }
            },
        ],
        "reverse": [
            Overload([.varchar], .varchar) { args, n, fc in
                try StringKernels.mapToString(args[0], count: n, type: .varchar, context: fc.execution, memo: ("reverse", [])) { s, out in
                    if isASCII(s) {
                        out.append(contentsOf: s.reversed())
                    } else {
                        out.append(contentsOf: String(String(decoding: s, as: UTF8.self).reversed()).utf8)
                    }
                    return true
                }
            },
        ],
        "repeat": [
            Overload([.varchar, .integer], .varchar) { args, n, fc in
                try FunctionKernels.stringsToString(args, n, fc, name: "repeat") { rest in
                    let k = max(0, FunctionKernels.integerValue(rest[0]) ?? 0)
                    return { s, out in
                        if s.isEmpty { return true }
                        guard k == 0 || Int64(s.count) <= maxResultBytes / k else {
                            throw ExecutionError.invalidArgument(function: "repeat", message: "the result would be too large",
                                                                 range: fc.range)
                        }
                        // Doubling what is made so far: a few copies, with Ctrl-C looked at
                        // between them, even for a result of hundreds of MB.
                        if k == 0 { return true }
                        let start = out.count
                        out.append(contentsOf: s)
                        var made: Int64 = 1
                        while made < k {
                            try fc.execution.cancellation.check()
                            let more = Int(min(made, k - made)) * s.count
                            out.append(contentsOf: out[start..<(start + more)])
                            made += Int64(more / s.count)
                        }
                        return true
                    }
                }
            },
        ],
        "lpad": padOverloads(left: true),
        "rpad": padOverloads(left: false),
        "strpos": strposOverloads,
        "instr": strposOverloads,
        "replace": [
            Overload([.varchar, .varchar, .varchar], .varchar) { args, n, fc in
                try FunctionKernels.stringsToString(args, n, fc, name: "replace") { rest in
                    let from = Array((FunctionKernels.stringValue(rest[0]) ?? "").utf8)
                    let to = Array((FunctionKernels.stringValue(rest[1]) ?? "").utf8)
                    return { s, out in replace(s, from, to, into: &out); return true }
                }
            },
        ],
        "trim": trimOverloads(left: true, right: true),
        "ltrim": trimOverloads(left: true, right: false),
        "rtrim": trimOverloads(left: false, right: true),
        "starts_with": [bytePredicate("starts_with") { s, p in s.count >= p.count && prefixEquals(s, p, at: 0) }],
        "ends_with": [bytePredicate("ends_with") { s, p in s.count >= p.count && prefixEquals(s, p, at: s.count - p.count) }],
        "suffix": [bytePredicate("suffix") { s, p in s.count >= p.count && prefixEquals(s, p, at: s.count - p.count) }],
        "prefix": [bytePredicate("prefix") { s, p in s.count >= p.count && prefixEquals(s, p, at: 0) }],
        "contains": [bytePredicate("contains") { s, p in find(s, p, from: 0) != nil }],
        "split_part": [
            Overload([.varchar, .varchar, .integer], .varchar) { args, n, fc in
                try FunctionKernels.stringsToString(args, n, fc, name: "split_part") { rest in
                    let separator = Array((FunctionKernels.stringValue(rest[0]) ?? "").utf8)
                    let index = FunctionKernels.integerValue(rest[1]) ?? 0
                    return { s, out in splitPart(s, separator, index, into: &out); return true }
                }
            },
        ],
        "concat": [
            Overload([.varchar], .varchar, variadic: true, anyType: true) { args, n, _ in
                let texts = try args.map { try Cast.vector($0, to: .varchar, isTry: false, range: nil) }
                let strings = try texts.map { try $0.stringValues() }
                var writer = StringVectorWriter(capacity: n)
                var buffer: [UInt8] = []
                for i in 0..<n {
                    buffer.removeAll(keepingCapacity: true)
                    for (t, s) in zip(texts, strings) where !t.isNull(i) { s.withBytes(i) { buffer.append(contentsOf: $0) } }
                    writer.append(bytes: buffer)
                }
                return writer.build(.varchar)
            },
        ],
    ]

    // MARK: Case

    static func caseMap(_ args: [Vector], _ n: Int, _ fc: FunctionContext, upper: Bool) throws -> Vector {
        try StringKernels.mapToString(args[0], count: n, type: .varchar, context: fc.execution,
                                      memo: (upper ? "upper" : "lower", [])) { s, out in
            if isASCII(s) {
                if upper {
                    for b in s { out.append(b >= 97 && b <= 122 ? b - 32 : b) }
                } else {
                    for b in s { out.append(b >= 65 && b <= 90 ? b + 32 : b) }
                }
            } else {
                let text = String(decoding: s, as: UTF8.self)
                out.append(contentsOf: (upper ? text.uppercased() : text.lowercased()).utf8)
            }
            return true
        }
    }

    @inline(__always)
    static func isASCII(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = s.count
        while i + 8 <= n {
            if s.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n { if s[i] >= 0x80 { return false }; i += 1 }
        return true
    }

    // MARK: Length and substrings

    static let lengthOverloads: [Overload] = [
        Overload([.varchar], .integer) { args, n, fc in
            let (values, validity) = try StringKernels.map(args[0].stringValues(), validity: args[0].effectiveValidity,
                                                           count: n, zero: Int64(0), context: fc.execution,
                                                           memo: ("length", [])) { s in Int64(characterCount(s)) }
            return Vector(type: .integer, storage: .int64(values), validity: validity)
        },
    ]

    /// Number of UTF-8 code points: bytes that do not continue a sequence (10xxxxxx),
    /// counted eight bytes at a time.
    @inline(__always)
    static func characterCount(_ s: UnsafeRawBufferPointer) -> Int {
        var continuations = 0
        var i = 0
        let n = s.count
        while i + 8 <= n {
            let w = s.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Bit 7 set and bit 6 clear marks a continuation byte.
            continuations += (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
            i += 8
        }
        while i < n { if s[i] & 0xC0 == 0x80 { continuations += 1 }; i += 1 }
        return n - continuations
    }

    static let substringOverloads: [Overload] = [
        Overload([.varchar, .integer], .varchar) { args, n, fc in
            try FunctionKernels.stringsToString(args, n, fc, name: "substr") { rest in
                let start = FunctionKernels.integerValue(rest[0]) ?? 1
                return { s, out in substring(s, start: start, length: nil, into: &out); return true }
            }
        },
        Overload([.varchar, .integer, .integer], .varchar) { args, n, fc in
            try FunctionKernels.stringsToString(args, n, fc, name: "substr") { rest in
                let start = FunctionKernels.integerValue(rest[0]) ?? 1
                let length = FunctionKernels.integerValue(rest[1]) ?? 0
                return { s, out in substring(s, start: start, length: length, into: &out); return true }
            }
        },
    ]

    /// DuckDB's substring: characters [start, start + length) counted from 1; a start of 0
    /// is one before the first character, a negative start counts from the end, a negative
    /// length takes the characters before start; the range is clipped to the string.
    static func substring(_ s: UnsafeRawBufferPointer, start: Int64, length: Int64?, into out: inout [UInt8]) {
        let ascii = isASCII(s)
        let size = Int64(ascii ? s.count : characterCount(s))
        var from: Int64
        if start > 0 { from = start - 1 } else if start < 0 { from = size + start } else { from = -1 }
        var to: Int64
        if let length {
            if length >= 0 {
                to = from.addingReportingOverflow(length).overflow ? Int64.max : from + length
            } else {
                to = from
                from = from.addingReportingOverflow(length).overflow ? Int64.min : from + length
            }
        } else {
            to = size
        }
        from = max(0, min(size, from))
        to = max(0, min(size, to))
        guard from < to else { return }
        if ascii {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[Int(from)..<Int(to)]))
            return
        }
        var character: Int64 = -1
        for b in s {
            if b & 0xC0 != 0x80 { character += 1 }
            if character >= to { break }
            if character >= from { out.append(b) }
        }
    }

    // MARK: Search and replace

    @inline(__always)
    static func prefixEquals(_ s: UnsafeRawBufferPointer, _ p: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard p.count > 0 else { return true }
        guard let sb = s.baseAddress, let pb = p.baseAddress else { return false }
        return memcmp(sb + offset, pb, p.count) == 0
    }

    /// The first position of `needle` in `s` at or after `from`.
    @inline(__always)
    static func find(_ s: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer, from: Int) -> Int? {
        StringKernels.find(s, needle, from: from)
    }

    /// A predicate of a string and a second string argument.
    static func bytePredicate(_ name: String,
                              _ test: @escaping (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool) -> Overload {
        Overload([.varchar, .varchar], .boolean) { args, n, fc in
            let (values, validity) = try FunctionKernels.strings(args, n, fc, name: name, zero: false) { rest in
                let needle = Array((FunctionKernels.stringValue(rest[0]) ?? "").utf8)
                return { s in needle.withUnsafeBytes { test(s, $0) } }
            }
            return .booleans(values, validity)
        }
    }

    static func replace(_ s: UnsafeRawBufferPointer, _ from: [UInt8], _ to: [UInt8], into out: inout [UInt8]) {
        guard !from.isEmpty else { out.append(contentsOf: s); return }
        from.withUnsafeBytes { f in
            var pos = 0
            while let hit = find(s, f, from: pos) {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[pos..<hit]))
                out.append(contentsOf: to)
                pos = hit + f.count
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[pos...]))
        }
    }

    /// Part `index` (from 1; negative from the end) of `s` split at `separator`; empty when
    /// there is no such part. An empty separator splits into characters.
    static func splitPart(_ s: UnsafeRawBufferPointer, _ separator: [UInt8], _ index: Int64, into out: inout [UInt8]) {
        var parts: [Range<Int>] = []
        if separator.isEmpty {
            var start = 0
            for i in 0..<s.count where i > 0 && s[i] & 0xC0 != 0x80 {
                parts.append(start..<i)
                start = i
            }
            if s.count > 0 { parts.append(start..<s.count) }
        } else {
            separator.withUnsafeBytes { sep in
                var pos = 0
                while let hit = find(s, sep, from: pos) {
                    parts.append(pos..<hit)
                    pos = hit + sep.count
                }
                parts.append(pos..<s.count)
            }
        }
        let k: Int64 = index > 0 ? index - 1 : Int64(parts.count) + index
        guard index != 0, k >= 0, k < Int64(parts.count) else { return }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[parts[Int(k)]]))
    }

    /// The largest string a function builds (repeat, lpad): 1 GiB.
    static let maxResultBytes: Int64 = 1 << 30

    static let strposOverloads: [Overload] = [
        Overload([.varchar, .varchar], .integer) { args, n, fc in
            let (values, validity) = try FunctionKernels.strings(args, n, fc, name: "strpos", zero: Int64(0)) { rest in
                let needle = Array((FunctionKernels.stringValue(rest[0]) ?? "").utf8)
                return { s in
                    // 1-based character position of the first match; 0 when there is none.
                    guard let at = needle.withUnsafeBytes({ find(s, $0, from: 0) }) else { return 0 }
                    return Int64(characterCount(UnsafeRawBufferPointer(rebasing: s[..<at]))) + 1
                }
            }
            return Vector(type: .integer, storage: .int64(values), validity: validity)
        },
    ]

    /// lpad / rpad(s, count, fill): s padded with repetitions of fill to count characters, or
    /// cut to count characters when longer.
    static func padOverloads(left: Bool) -> [Overload] {
        let name = left ? "lpad" : "rpad"
        return [Overload([.varchar, .integer, .varchar], .varchar) { args, n, fc in
            try FunctionKernels.stringsToString(args, n, fc, name: name) { rest in
                let count = max(0, FunctionKernels.integerValue(rest[0]) ?? 0)
                let fill = Array((FunctionKernels.stringValue(rest[1]) ?? "").unicodeScalars)
                guard count <= maxResultBytes / 4 else {
                    throw ExecutionError.invalidArgument(function: name, message: "the result would be too large", range: fc.range)
                }
                return { s, out in
                    let size = Int64(characterCount(s))
                    if size >= count {
                        substring(s, start: 1, length: count, into: &out)
                        return true
                    }
                    guard !fill.isEmpty else {
                        throw ExecutionError.invalidArgument(function: name, message: "the fill must not be empty", range: fc.range)
                    }
                    var padding = String.UnicodeScalarView()
                    for k in 0..<Int(count - size) { padding.append(fill[k % fill.count]) }
                    if !left { out.append(contentsOf: s) }
                    out.append(contentsOf: String(padding).utf8)
                    if left { out.append(contentsOf: s) }
                    return true
                }
            }
        }]
    }

    // MARK: Trim

    static func trimOverloads(left: Bool, right: Bool) -> [Overload] {
        let name = left && right ? "trim" : (left ? "ltrim" : "rtrim")
        return [
            Overload([.varchar], .varchar) { args, n, fc in
                try StringKernels.mapToString(args[0], count: n, type: .varchar, context: fc.execution, memo: (name, [])) { s, out in
                    trim(s, [UInt8(ascii: " ")], left: left, right: right, into: &out)
                    return true
                }
            },
            Overload([.varchar, .varchar], .varchar) { args, n, fc in
                try FunctionKernels.stringsToString(args, n, fc, name: name) { rest in
                    let characters = Array((FunctionKernels.stringValue(rest[0]) ?? "").unicodeScalars)
                    if characters.allSatisfy({ $0.isASCII }) {
                        let set = characters.map { UInt8($0.value) }
                        return { s, out in trim(s, set, left: left, right: right, into: &out); return true }
                    }
                    let set = Set(characters)
                    return { s, out in
                        let scalars = Array(String(decoding: s, as: UTF8.self).unicodeScalars)
                        var lo = 0, hi = scalars.count
                        if left { while lo < hi, set.contains(scalars[lo]) { lo += 1 } }
                        if right { while hi > lo, set.contains(scalars[hi - 1]) { hi -= 1 } }
                        var text = String.UnicodeScalarView()
                        text.append(contentsOf: scalars[lo..<hi])
                        out.append(contentsOf: String(text).utf8)
                        return true
                    }
                }
            },
        ]
    }

    /// Trims ASCII characters of `set` from the ends.
    static func trim(_ s: UnsafeRawBufferPointer, _ set: [UInt8], left: Bool, right: Bool, into out: inout [UInt8]) {
        var lo = 0, hi = s.count
        if left { while lo < hi, set.contains(s[lo]) { lo += 1 } }
        if right { while hi > lo, set.contains(s[hi - 1]) { hi -= 1 } }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[lo..<hi]))
    }
}

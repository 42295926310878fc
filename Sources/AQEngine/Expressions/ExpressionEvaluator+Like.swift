// LIKE and ILIKE: `%` matches any run of characters, `_` one character (a UTF-8 code
// point), an optional one-character ESCAPE makes the next character literal. A constant
// pattern is compiled once into fast cases (exact, prefix%, %suffix, %contains%, segments);
// a dictionary column is matched once per distinct entry.

import AQSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExpressionEvaluator {
    static func like(_ value: BoundExpr, pattern: BoundExpr, caseInsensitive: Bool, negated: Bool,
                     escape: BoundExpr?, range: SourceRange?, _ batch: Batch, _ context: ExecutionContext) throws -> Vector {
        let v = try evaluate(value, batch, context)
        let n = batch.count
        var escapeBytes: [UInt8]?
        if let escape {
            guard case .constant(let e) = escape.kind else {
                throw ExecutionError.invalidArgument(function: "like", message: "the escape must be a constant", range: escape.range)
            }
            guard case .varchar(let text) = e else { return Vector.nulls(type: .boolean, count: n) }
            guard text.unicodeScalars.count <= 1 else {
                throw ExecutionError.invalidArgument(function: "like", message: "the escape must be empty or one character",
                                                     range: escape.range)
            }
            escapeBytes = Array(text.utf8)
        }
        func compile(_ text: String) throws -> LikePattern {
            var p = caseInsensitive ? text.lowercased() : text
            do {
                return try p.withUTF8 { try LikePattern(UnsafeRawBufferPointer($0), escape: escapeBytes) }
            } catch let e as LikePattern.Invalid {
                throw ExecutionError.invalidArgument(function: caseInsensitive ? "ilike" : "like", message: e.message,
                                                     range: pattern.range)
            }
        }
        var lowered: [UInt8] = []
        @inline(__always) func test(_ p: LikePattern, _ s: UnsafeRawBufferPointer) -> Bool {
            guard caseInsensitive else { return p.matches(s) }
            lowered.removeAll(keepingCapacity: true)
            if s.allSatisfy({ $0 < 0x80 }) {
                for b in s { lowered.append(b >= 65 && b <= 90 ? b + 32 : b) }
            } else {
                lowered.append(contentsOf: String(decoding: s, as: UTF8.self).lowercased().utf8)
            }
            return lowered.withUnsafeBytes { p.matches($0) }
        }
        if v.isAllNull { return Vector.nulls(type: .boolean, count: n) }
        let strings = try v.stringValues()
        var out = [Bool](repeating: false, count: n)
        var validity = v.validity
        if case .constant(let pv) = pattern.kind {
            guard case .varchar(let text) = pv else { return Vector.nulls(type: .boolean, count: n) }
            let compiled = try compile(text)
            switch strings {
            case .dictionary(let codes, let d):
                let name = caseInsensitive ? "ilike" : "like"
                let bits = context.entryBits(name, [pv, .varchar(String(decoding: escapeBytes ?? [], as: UTF8.self))], d) {
                    test(compiled, $0)
                }
                for i in 0..<n { let c = Int(codes[i]); out[i] = c < bits.count && bits[c] }
            case .flat(let heap):
                heap.withAccess { acc in for i in 0..<n { out[i] = test(compiled, acc[i]) } }
            }
        } else {
            let p = try evaluate(pattern, batch, context)
            if p.isAllNull { return Vector.nulls(type: .boolean, count: n) }
            let patterns = try p.stringValues()
            validity = Validity.and(validity, p.validity)
            var cache: (String, LikePattern)?
            try validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    let text = patterns.string(i)
                    let compiled: LikePattern
                    if let cache, cache.0 == text { compiled = cache.1 } else { compiled = try compile(text); cache = (text, compiled) }
                    out[i] = strings.withBytes(i) { test(compiled, $0) }
                }
            }
        }
        if negated { for i in 0..<n { out[i].toggle() } }
        return .booleans(out, validity)
    }
}

// Casts between aq's types: CAST(x AS t), x::t and TRY_CAST. Strings are read strictly
// (surrounding spaces allowed); a value that does not convert is an error naming it, or NULL
// under TRY_CAST. DOUBLE → INTEGER rounds half to even; anything → VARCHAR gives the text
// of `Value+Format.swift`.

import AQSyntax

public enum Cast {
    /// Whether a value of type `from` can be cast to `to` at all (values may still fail).
    public static func canCast(_ from: DataType, _ to: DataType) -> Bool {
        if case .list(let a) = from, case .list(let b) = to { return canCast(a, b) }
        if to.listElement != nil || from.listElement != nil { return from == to || from == .null || to == .varchar }
        if from == to || from == .null || to == .varchar || from.isString { return true }
        switch (from, to) {
        case (.boolean, .integer), (.boolean, .double), (.integer, .boolean), (.integer, .double),
             (.double, .integer), (.double, .boolean), (.date, .timestamp), (.timestamp, .date), (_, .json):
            return true
        default:
            return false
        }
    }

    /// One value cast to `to` (for constants).
    public static func value(_ value: Value, to type: DataType, isTry: Bool = false, range: SourceRange? = nil) throws -> Value {
        if value.isNull { return .null }
        let v = Vector.constant(value, type: value.type, count: 1)
        return try vector(v, to: type, isTry: isTry, range: range).value(at: 0)
    }

    /// `v` cast to `type`, row by row.
    public static func vector(_ v: Vector, to type: DataType, isTry: Bool, range: SourceRange?,
                              context: ExecutionContext? = nil) throws -> Vector {
        let from = v.type
        let n = v.count
        if case .null = v.storage { return Vector.nulls(type: type, count: n) }
        if from == type || type == .null { return v }
        @inline(__always) func fail(_ text: String) -> ExecutionError {
            .invalidCast(value: text, to: type, range: range)
        }
        switch (from, type) {
        case (.list, .list(let element)):
            // Element by element; the offsets and the rows' NULLs stay.
            guard let l = v.listStorage else { throw fail("list") }
            let elements = try vector(l.elements, to: element, isTry: isTry, range: range, context: context)
            return Vector(type: type, storage: .list(ListVector(offsets: l.offsets, elements: elements)), validity: v.validity)
        case (_, .list), (.list, .json):
            throw ExecutionError.invalidCast(value: from.description, to: type, range: range)
        case (.json, .varchar):
            return Vector(type: .varchar, storage: v.storage, validity: v.validity)
        case (.varchar, .json):
            return try fromString(v, to: .json, isTry: isTry, range: range, context: context)
        case (.varchar, _), (.json, _):
            return try fromString(v, to: type, isTry: isTry, range: range, context: context)
        case (_, .varchar):
            return try toText(v)
        case (_, .json):
            // Numbers and booleans are already JSON; times become JSON strings.
            let text = try toText(v)
            guard from == .date || from == .timestamp || from == .interval else {
                return Vector(type: .json, storage: text.storage, validity: text.validity)
            }
            return try StringKernels.mapToString(text, count: n, type: .json, context: ExecutionContext.scratch, memo: nil) { s, out in
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: s)
                out.append(UInt8(ascii: "\""))
                return true
            }
        case (.boolean, .integer):
            return Vector(type: type, storage: .int64(try v.boolValues().map { $0 ? 1 : 0 }), validity: v.validity)
        case (.boolean, .double):
            return Vector(type: type, storage: .double(try v.boolValues().map { $0 ? 1 : 0 }), validity: v.validity)
        case (.integer, .boolean):
            return Vector(type: type, storage: .boolean(try v.int64Values().map { $0 != 0 }), validity: v.validity)
        case (.integer, .double):
            return Vector(type: type, storage: .double(try v.int64Values().map { Double($0) }), validity: v.validity)
        case (.double, .boolean):
            return Vector(type: type, storage: .boolean(try v.doubleValues().map { $0 != 0 }), validity: v.validity)
        case (.double, .integer):
            let a = try v.doubleValues()
            var out = [Int64](repeating: 0, count: n)
            var nulls: [Bool]?
            try v.validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    if let x = roundToInteger(a[i]) {
                        out[i] = x
                    } else if isTry {
                        if nulls == nil { nulls = [Bool](repeating: false, count: n) }
                        nulls![i] = true
                    } else {
                        throw fail(ValueFormat.double(a[i]))
                    }
                }
            }
            return Vector(type: type, storage: .int64(out), validity: withNulls(v.validity, nulls, n))
        case (.date, .timestamp):
            let a = try v.int64Values()
            var out = [Int64](repeating: 0, count: n)
            try v.validity.withView { vv in
                for i in 0..<n where vv.isValid(i) {
                    // Infinite dates are infinite timestamps.
                    if TimeMath.isInfinite(a[i], date: true) {
                        out[i] = a[i] > 0 ? TimeMath.infinity : TimeMath.negativeInfinity
                        continue
                    }
                    let (t, o) = a[i].multipliedReportingOverflow(by: TimeMath.nanosPerDay)
                    if o { throw fail(TimeMath.formatDate(a[i])) }
                    out[i] = t
                }
            }
            return Vector(type: type, storage: .int64(out), validity: v.validity)
        case (.timestamp, .date):
            let a = try v.int64Values()
            let days = a.map { t in
                TimeMath.isInfinite(t) ? (t > 0 ? TimeMath.dateInfinity : TimeMath.dateNegativeInfinity)
                    : TimeMath.floorDiv(t, TimeMath.nanosPerDay)
            }
            return Vector(type: type, storage: .int64(days), validity: v.validity)
        default:
            throw ExecutionError.unsupported("a cast from \(from) to \(type)", range: range)
        }
    }

    /// DOUBLE → INTEGER: nearest, ties to even; nil when NaN or out of range.
    @inline(__always)
    static func roundToInteger(_ d: Double) -> Int64? {
        let r = d.rounded(.toNearestOrEven)
        guard r >= -9.223372036854775808e18, r < 9.223372036854775808e18 else { return nil }
        return Int64(r)
    }

    static func withNulls(_ validity: Validity?, _ nulls: [Bool]?, _ n: Int) -> Validity? {
        guard let nulls else { return validity }
        var out = validity ?? Validity(allValid: n)
        out.clear(where: nulls)
        return out
    }

    // MARK: To text

    static func toText(_ v: Vector) throws -> Vector {
        let n = v.count
        var writer = StringVectorWriter(capacity: n, bytes: n * 8)
        var buffer: [UInt8] = []
        v.validity.withView { vv in
            switch v.storage {
            case .int64(let a) where v.type == .integer:
                for i in 0..<n {
                    guard vv.isValid(i) else { writer.appendNull(); continue }
                    buffer.removeAll(keepingCapacity: true)
                    ValueFormat.appendInteger(a[i], to: &buffer)
                    writer.append(bytes: buffer)
                }
            default:
                for i in 0..<n {
                    if let s = vv.isValid(i) ? v.text(at: i) : nil { writer.append(s) } else { writer.appendNull() }
                }
            }
        }
        return writer.build(.varchar)
    }

    // MARK: From text

    static func fromString(_ v: Vector, to type: DataType, isTry: Bool, range: SourceRange?,
                           context: ExecutionContext?) throws -> Vector {
        let strings = try v.stringValues()
        let n = v.count
        let memo: (String, [Value])? = context == nil ? nil : ("cast:\(type)", [.boolean(isTry)])
        let context = context ?? ExecutionContext.scratch
        @inline(__always) func fail(_ s: UnsafeRawBufferPointer) -> ExecutionError {
            .invalidCast(value: String(decoding: s, as: UTF8.self), to: type, range: range)
        }
        func run<T>(_ zero: T, _ parse: (UnsafeRawBufferPointer) -> T?) throws -> ([T], Validity?) {
            try StringKernels.map(strings, validity: v.validity, count: n, zero: zero, context: context,
                                  memo: memo) { s in
                if let x = parse(s) { return x }
                if isTry { return nil }
                throw fail(s)
            }
        }
        switch type {
        case .list:
            throw ExecutionError.invalidCast(value: v.type.description, to: type, range: range)
        case .integer:
            let (a, validity) = try run(Int64(0), parseInteger)
            return Vector(type: type, storage: .int64(a), validity: validity)
        case .double:
            let (a, validity) = try run(0.0, parseDouble)
            return Vector(type: type, storage: .double(a), validity: validity)
        case .boolean:
            let (a, validity) = try run(false, parseBoolean)
            return Vector(type: type, storage: .boolean(a), validity: validity)
        case .timestamp:
            let (a, validity) = try run(Int64(0)) { TimeMath.parseTimestamp(trimmed($0)) ?? TimeMath.parseInfinity(trimmed($0)) }
            return Vector(type: type, storage: .int64(a), validity: validity)
        case .date:
            let (a, validity) = try run(Int64(0)) { TimeMath.parseDays(trimmed($0)) ?? TimeMath.parseInfinity(trimmed($0), date: true) }
            return Vector(type: type, storage: .int64(a), validity: validity)
        case .interval:
            let (a, validity) = try run(Interval()) { IntervalParser.parse($0) }
            return Vector(type: type, storage: .interval(a), validity: validity)
        case .json:
            let (ok, validity) = try run(true) { JSONReader.isValid($0) ? true : nil }
            _ = ok
            return Vector(type: .json, storage: .string(strings), validity: validity)
        case .varchar:
            return Vector(type: .varchar, storage: .string(strings), validity: v.validity)
        case .null:
            return Vector.nulls(type: .null, count: n)
        }
    }

    /// `s` without surrounding ASCII whitespace.
    @inline(__always)
    static func trimmed(_ s: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lo = 0, hi = s.count
        while lo < hi, s[lo] == 32 || (s[lo] >= 9 && s[lo] <= 13) { lo += 1 }
        while hi > lo, s[hi - 1] == 32 || (s[hi - 1] >= 9 && s[hi - 1] <= 13) { hi -= 1 }
        return UnsafeRawBufferPointer(rebasing: s[lo..<hi])
    }

    /// `[+-]digits` with optional surrounding spaces; nil on anything else or overflow.
    static func parseInteger(_ raw: UnsafeRawBufferPointer) -> Int64? { NumberText.integer(trimmed(raw)) }

    /// A decimal number (`1.5`, `.5`, `5.`, `1e3`, `-2E-4`), `inf`, `infinity`, `nan`.
    static func parseDouble(_ raw: UnsafeRawBufferPointer) -> Double? { NumberText.double(trimmed(raw), special: true) }

    /// `true/false/t/f/1/0`, any case.
    static func parseBoolean(_ s: UnsafeRawBufferPointer) -> Bool? {
        let word = String(decoding: s, as: UTF8.self).lowercased()
        switch word {
        case "true", "t", "1": return true
        case "false", "f", "0": return false
        default: return nil
        }
    }
}

extension ExecutionContext {
    /// A context for kernels that need no statement state (casts of constants).
    static let scratch = ExecutionContext(now: 0, cancellation: CancellationToken(), catalog: Catalog())
}

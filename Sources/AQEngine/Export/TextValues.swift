// The text of values in CSV (RFC 4180) and JSON: the one way for `COPY … TO` and the
// shell's `csv`, `json` and `ndjson` formats, so a file written either way is the same.

/// Where CSV and JSON text goes, a byte at a time or a run of bytes.
public protocol ByteOutput: AnyObject {
    func write(bytes: UnsafeRawBufferPointer)
    func write(byte: UInt8)
}

/// CSV fields: NULL is an empty unquoted field, an empty string `""`; a field with a comma,
/// a quote or a line break is quoted, its quotes doubled.
public enum CSVOutput {
    /// Writes one field's bytes, quoted when they must be (and always when empty, to tell
    /// it from NULL).
    @inlinable
    public static func writeField(_ bytes: UnsafeRawBufferPointer, to out: some ByteOutput) {
        let quote = UInt8(ascii: "\"")
        var needsQuotes = bytes.isEmpty
        for b in bytes where b == UInt8(ascii: ",") || b == quote || b == 10 || b == 13 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            out.write(bytes: bytes)
            return
        }
        out.write(byte: quote)
        var start = 0
        for (i, b) in bytes.enumerated() where b == quote {
            out.write(bytes: UnsafeRawBufferPointer(rebasing: bytes[start...i]))
            out.write(byte: quote)
            start = i + 1
        }
        out.write(bytes: UnsafeRawBufferPointer(rebasing: bytes[start...]))
        out.write(byte: quote)
    }

    /// Writes `text` as one field.
    public static func writeField(_ text: String, to out: some ByteOutput) {
        var text = text
        text.withUTF8 { writeField(UnsafeRawBufferPointer($0), to: out) }
    }

    /// One field as text (a header's column name).
    public static func field(_ text: String) -> String {
        let out = ByteBuffer()
        writeField(text, to: out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Writes row `row` of `vector` as a field; NULL as `null` (nil: nothing). Strings,
    /// integers, times and dates are written from the column without making a `String`.
    @inlinable
    public static func writeCell(_ vector: Vector, _ row: Int, null: String? = nil, to out: some ByteOutput) {
        if vector.isNull(row) {
            if let null { writeField(null, to: out) }
            return
        }
        switch vector.storage {
        case .string(let strings):
            strings.withBytes(row) { writeField($0, to: out) }
        case .int64(let values) where vector.type == .integer:
            writeInteger(values[row], to: out)
        case .int64(let values) where vector.type == .timestamp || vector.type == .date:
            // Digits, '-', ':', '.', ' ' and letters: never quoted.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TimeMath.maxTextBytes) { buffer in
                guard let base = buffer.baseAddress else { return }
                let n = vector.type == .date ? TimeMath.writeDate(values[row], into: base)
                                             : TimeMath.writeTimestamp(values[row], into: base)
                out.write(bytes: UnsafeRawBufferPointer(start: base, count: n))
            }
        default:
            if let text = vector.text(at: row) { writeField(text, to: out) }
        }
    }

    /// The decimal digits of `x`.
    @inlinable
    public static func writeInteger(_ x: Int64, to out: some ByteOutput) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var m = x.magnitude
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            if x < 0 { out.write(byte: UInt8(ascii: "-")) }
            out.write(bytes: UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(digits)[i...]))
        }
    }
}

/// JSON values: numbers and booleans bare, NULL `null`, JSON values as they are, lists as
/// arrays, everything else a string; infinite and NaN doubles as strings (JSON has none).
public enum JSONOutput {
    /// Row `row` of `vector` as JSON.
    public static func value(_ vector: Vector, _ row: Int) -> String {
        if vector.type.listElement != nil { return value(vector.value(at: row)) }
        guard let text = vector.text(at: row) else { return "null" }
        switch vector.type {
        case .integer, .boolean: return text
        case .double:
            if case .double(let values) = vector.storage, !values[row].isFinite { return string(text) }
            return text
        case .json: return text.isEmpty ? "null" : text
        default: return string(text)
        }
    }

    /// A boxed value as JSON, as `value(_:_:)` writes a cell; a LIST is a JSON array.
    public static func value(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .list(let elements, _): return "[" + elements.map { value($0) }.joined(separator: ",") + "]"
        case .integer, .boolean: return formatted(v) ?? "null"
        case .double(let d): return d.isFinite ? (formatted(v) ?? "null") : string(formatted(v) ?? "")
        case .json(let s): return s.isEmpty ? "null" : s
        default: return string(formatted(v) ?? "")
        }
    }

    /// `{"name":value,…}` for one row; `keys` are the quoted names with their colon
    /// (`objectKeys`).
    public static func object(keys: [String], batch: Batch, row: Int) -> String {
        var out = "{"
        for (c, vector) in batch.columns.enumerated() {
            if c > 0 { out += "," }
            out += keys[c]
            out += value(vector, row)
        }
        return out + "}"
    }

    /// Each column's name as a JSON key with its colon, for `object`.
    public static func objectKeys(_ columns: [ColumnSchema]) -> [String] {
        columns.map { string($0.name) + ":" }
    }

    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A `ByteOutput` that keeps what is written in memory.
public final class ByteBuffer: ByteOutput {
    public var bytes: [UInt8] = []

    public init() {}

    public func write(bytes: UnsafeRawBufferPointer) { self.bytes.append(contentsOf: bytes) }
    public func write(byte: UInt8) { bytes.append(byte) }
}

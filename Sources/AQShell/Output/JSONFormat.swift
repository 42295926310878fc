// The `json` format (an array of objects, one per line) and the JSON text of values,
// which `ndjson` shares.

import AQEngine

enum JSONFormat {
    static func write(_ result: StatementResult, to sink: OutputSink) {
        let keys = result.columns.map { quoted($0.name) + ":" }
        var first = true
        forEachRow(result, stoppingAt: sink) { batch, row in
            sink.write(first ? "[" : ",\n")
            sink.write(object(keys: keys, batch: batch, row: row))
            first = false
        }
        sink.line(first ? "[]" : "]")
    }

    /// `{"name":value,…}` for one row; `keys` are the quoted names with their colon.
    static func object(keys: [String], batch: Batch, row: Int) -> String {
        var out = "{"
        for (c, vector) in batch.columns.enumerated() {
            if c > 0 { out += "," }
            out += keys[c]
            out += value(vector, row)
        }
        return out + "}"
    }

    /// A cell as JSON: numbers and booleans bare, NULL as `null`, JSON values as they are,
    /// lists as arrays, everything else a string. Infinite and NaN doubles become strings (JSON has none).
    static func value(_ vector: Vector, _ row: Int) -> String {
        if vector.type.listElement != nil { return value(vector.value(at: row)) }
        guard let text = cellText(vector, row) else { return "null" }
        switch vector.type {
        case .integer, .boolean: return text
        case .double:
            if case .double(let values) = vector.storage, !values[row].isFinite { return quoted(text) }
            return text
        case .json: return text.isEmpty ? "null" : text
        default: return quoted(text)
        }
    }

    /// A boxed value as JSON, as `value(_:_:)` writes a cell; a LIST is a JSON array.
    static func value(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .list(let elements, _): return "[" + elements.map { value($0) }.joined(separator: ",") + "]"
        case .integer, .boolean: return formatted(v) ?? "null"
        case .double(let d): return d.isFinite ? (formatted(v) ?? "null") : quoted(formatted(v) ?? "")
        case .json(let s): return s.isEmpty ? "null" : s
        default: return quoted(formatted(v) ?? "")
        }
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
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

// The `csv` format (RFC 4180): a header row, NULL as an empty unquoted field, an empty
// string as `""`, fields with a comma, quote or line break quoted with quotes doubled.
// Rows are written as bytes straight from the columns: results can be millions of rows.

import AQEngine

enum CSVFormat {
    static func write(_ result: StatementResult, to sink: OutputSink, limits: DisplayLimits = .unlimited) {
        if limits.headers { sink.line(result.columns.map { field($0.name) }.joined(separator: ",")) }
        let null = limits.nullValue.flatMap { $0.isEmpty ? nil : field($0) }
        for batch in result.batches {
            if sink.isInterrupted { return }
            for row in 0..<batch.count {
                for (c, vector) in batch.columns.enumerated() {
                    if c > 0 { sink.write(byte: UInt8(ascii: ",")) }
                    if vector.isNull(row) {
                        if let null { sink.write(null) }
                        continue
                    }
                    switch vector.storage {
                    case .string(let strings):
                        strings.withBytes(row) { writeField($0, to: sink) }
                    case .int64(let values) where vector.type == .integer:
                        sink.write(integer: values[row])
                    default:
                        if let text = vector.text(at: row) { sink.write(field(text)) }
                    }
                }
                sink.endRow()
            }
        }
    }

    /// One field's bytes, quoted when they must be (and always when empty, to tell it from NULL).
    private static func writeField(_ bytes: UnsafeRawBufferPointer, to sink: OutputSink) {
        let quote = UInt8(ascii: "\"")
        var needsQuotes = bytes.isEmpty
        for b in bytes where b == UInt8(ascii: ",") || b == quote || b == 10 || b == 13 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            sink.write(bytes: bytes)
            return
        }
        sink.write(byte: quote)
        var start = 0
        for (i, b) in bytes.enumerated() where b == quote {
            sink.write(bytes: UnsafeRawBufferPointer(rebasing: bytes[start...i]))
            sink.write(byte: quote)
            start = i + 1
        }
        sink.write(bytes: UnsafeRawBufferPointer(rebasing: bytes[start...]))
        sink.write(byte: quote)
    }

    /// One field, quoted when it must be (and always when empty, to tell it from NULL).
    static func field(_ text: String) -> String {
        if text.isEmpty { return "\"\"" }
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return text }
        var out = "\""
        for ch in text.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
        }
        return out + "\""
    }
}

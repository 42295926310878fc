// The `csv` format (RFC 4180): a header row, NULL as an empty unquoted field, an empty
// string as `""`, fields with a comma, quote or line break quoted with quotes doubled.

import AQEngine

enum CSVFormat {
    static func write(_ result: StatementResult, to sink: OutputSink) {
        sink.line(result.columns.map { field($0.name) }.joined(separator: ","))
        var line = ""
        forEachRow(result) { batch, row in
            line.removeAll(keepingCapacity: true)
            for (c, vector) in batch.columns.enumerated() {
                if c > 0 { line += "," }
                if let text = cellText(vector, row) { line += field(text) }
            }
            sink.line(line)
        }
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

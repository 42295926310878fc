// The `markdown` format: a GitHub-flavoured pipe table, numbers right-aligned, NULL empty.

import AQEngine
import AQSyntax

enum MarkdownFormat {
    static func write(_ result: ResultStream, to sink: OutputSink, limits: DisplayLimits = .unlimited) throws {
        let null = limits.nullValue.map(cell) ?? ""
        let names = result.columns.map { cell($0.name) }
        var rows: [[String]] = []
        var widths = names.map { max(3, displayWidth($0)) }
        try forEachRow(result, stoppingAt: sink) { batch, row in
            let cells = batch.columns.map { cellText($0, row).map(cell) ?? null }
            for (c, text) in cells.enumerated() { widths[c] = max(widths[c], displayWidth(text)) }
            rows.append(cells)
        }
        let numeric = result.columns.map { isNumeric($0.type) }

        func line(_ cells: [String]) -> String {
            var out = "|"
            for (c, text) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - displayWidth(text))
                out += " " + (numeric[c] ? pad + text : text + pad) + " |"
            }
            return out
        }
        sink.line(line(names))
        var rule = "|"
        for c in widths.indices {
            rule += numeric[c] ? " " + String(repeating: "-", count: widths[c] - 1) + ": |"
                : " " + String(repeating: "-", count: widths[c]) + " |"
        }
        sink.line(rule)
        for row in rows { sink.line(line(row)) }
    }

    /// Pipes escaped and line breaks made visible so a cell stays in its row.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in ControlText.escaped(text).unicodeScalars {
            if scalar == "|" { out += "\\|" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}

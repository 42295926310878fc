// The `line` format (SQLite's `.mode line`): one `column = value` line per column, the
// names right-aligned, a blank line between rows. For wide rows read one at a time.

import AQEngine
import AQSyntax

enum LineFormat {
    static func write(_ result: ResultStream, to sink: OutputSink, limits: DisplayLimits = .unlimited) throws {
        let names = result.columns.map { ControlText.escaped($0.name) }
        let width = names.map(displayWidth).max() ?? 0
        let labels = names.map { String(repeating: " ", count: width - displayWidth($0)) + $0 + " = " }
        let null = ControlText.escaped(limits.nullValue ?? "NULL")
        var first = true
        try forEachRow(result, stoppingAt: sink) { batch, row in
            if !first { sink.line("") }
            first = false
            for (c, vector) in batch.columns.enumerated() {
                sink.line(labels[c] + (cellText(vector, row).map { ControlText.escaped($0) } ?? null))
            }
        }
    }
}

// The `ndjson` format: one JSON object per row, one row per line, nothing else.

import AQEngine

enum NDJSONFormat {
    static func write(_ result: StatementResult, to sink: OutputSink) {
        let keys = result.columns.map { JSONFormat.quoted($0.name) + ":" }
        forEachRow(result, stoppingAt: sink) { batch, row in
            sink.line(JSONFormat.object(keys: keys, batch: batch, row: row))
        }
    }
}

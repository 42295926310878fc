// The `ndjson` format: one JSON object per row, one row per line, nothing else.

import AQEngine

enum NDJSONFormat {
    static func write(_ result: ResultStream, to sink: OutputSink) throws {
        let keys = JSONOutput.objectKeys(result.columns)
        try forEachRow(result, stoppingAt: sink) { batch, row in
            sink.line(JSONOutput.object(keys: keys, batch: batch, row: row))
        }
    }
}

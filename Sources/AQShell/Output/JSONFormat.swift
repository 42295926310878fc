// The `json` format: an array of objects, one per line, written as the rows are made. The
// values are the engine's JSON text (`JSONOutput`), as COPY writes them.

import AQEngine

enum JSONFormat {
    static func write(_ result: ResultStream, to sink: OutputSink) throws {
        let keys = JSONOutput.objectKeys(result.columns)
        var first = true
        try forEachRow(result, stoppingAt: sink) { batch, row in
            sink.write(first ? "[" : ",\n")
            sink.write(JSONOutput.object(keys: keys, batch: batch, row: row))
            first = false
        }
        sink.line(first ? "[]" : "]")
    }
}

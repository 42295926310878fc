// The `csv` format (RFC 4180): a header row, NULL as an empty unquoted field, an empty
// string as `""`, fields with a comma, quote or line break quoted with quotes doubled.
// Rows are written as bytes straight from the columns, batch by batch as they are made:
// results can be larger than memory. The fields are the engine's (`CSVOutput`), as COPY writes.

import AQEngine

enum CSVFormat {
    static func write(_ result: ResultStream, to sink: OutputSink, limits: DisplayLimits = .unlimited) throws {
        if limits.headers { sink.line(result.columns.map { CSVOutput.field($0.name) }.joined(separator: ",")) }
        let null = limits.nullValue.flatMap { $0.isEmpty ? nil : $0 }
        while let batch = try result.nextBatch() {
            for row in 0..<batch.count {
                for (c, vector) in batch.columns.enumerated() {
                    if c > 0 { sink.write(byte: UInt8(ascii: ",")) }
                    CSVOutput.writeCell(vector, row, null: null, to: sink)
                }
                sink.endRow()
            }
            if sink.isInterrupted { return }
        }
    }
}

// Where COPY's rows go: one file in one format. Batches arrive in order; `finish` completes
// the file (the Parquet footer, the closing bracket of nothing: CSV and JSON lines need none).

protocol ExportWriter: AnyObject {
    func append(_ batch: Batch) throws
    func finish() throws
}

/// A Parquet file: rows gathered into row groups of `rowGroupSize`, each written as soon as
/// it is full, the footer at the end.
final class ParquetFileWriter: ExportWriter {
    private let file: ExportFile
    private let columns: [ColumnSchema]
    private let encoders: [ParquetColumnEncoder]
    private let rowGroupSize: Int
    private var pending: [Batch] = []
    private var pendingRows = 0
    private var rowGroups: [ParquetRowGroupMetadata] = []
    private var rowCount: Int64 = 0

    init(path: String, columns: [ColumnSchema], compression: PageCompression, rowGroupSize: Int) throws {
        self.columns = columns
        self.encoders = columns.map {
            ParquetColumnEncoder(column: ParquetColumnEncoder.schema(name: $0.name, type: $0.type), type: $0.type,
                                 compression: compression)
        }
        self.rowGroupSize = max(1, rowGroupSize)
        file = try ExportFile(path: path)
        try file.write(Array("PAR1".utf8))
    }

    func append(_ batch: Batch) throws {
        var start = 0
        while start < batch.count {
            let take = min(batch.count - start, rowGroupSize - pendingRows)
            pending.append(start == 0 && take == batch.count ? batch : batch.slice(start..<(start + take)))
            pendingRows += take
            start += take
            if pendingRows == rowGroupSize { try flushRowGroup() }
        }
    }

    func finish() throws {
        if pendingRows > 0 || rowGroups.isEmpty { try flushRowGroup() }
        let footer = ParquetFooter.serialize(columns: encoders.map(\.column), rowCount: rowCount, rowGroups: rowGroups)
        var tail = footer
        let n = UInt32(footer.count)
        tail.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)])
        tail.append(contentsOf: Array("PAR1".utf8))
        try file.write(tail)
    }

    private func flushRowGroup() throws {
        let base = file.offset
        var out: [UInt8] = []
        var chunks: [ParquetColumnChunkMetadata] = []
        for (c, encoder) in encoders.enumerated() {
            let vectors = pending.map { Self.exportable($0.columns[c], type: columns[c].type) }
            chunks.append(try encoder.encode(vectors, base: base, into: &out))
        }
        try file.write(out)
        rowGroups.append(ParquetRowGroupMetadata(columns: chunks, rowCount: Int64(pendingRows), fileOffset: base,
                                                 ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        rowCount += Int64(pendingRows)
        pending = []
        pendingRows = 0
    }

    /// INTERVAL values go out as their text (Parquet's INTERVAL keeps milliseconds only).
    private static func exportable(_ v: Vector, type: DataType) -> Vector {
        guard type == .interval else { return v }
        var heap = StringHeap()
        var validity = v.validity
        for i in 0..<v.count {
            if let text = v.text(at: i) { heap.append(text) } else { heap.appendEmpty() }
        }
        if case .null = v.storage { validity = Validity(allNull: v.count) }
        return Vector(type: .varchar, storage: .string(.flat(heap)), validity: validity)
    }
}

/// CSV or JSON lines, with the conventions of `--format csv` / `--format ndjson`: a header
/// row, NULL an empty unquoted field, an empty string `""`; JSON numbers and booleans bare,
/// JSON values as they are, NULL `null`.
final class TextFileWriter: ExportWriter {
    enum Kind { case csv(header: Bool), jsonLines }

    private let file: ExportFile
    private let columns: [ColumnSchema]
    private let kind: Kind
    private let gzip: Bool
    private var buffer: [UInt8] = []
    private var whole: [UInt8] = []

    init(path: String, columns: [ColumnSchema], kind: Kind, gzip: Bool) throws {
        self.columns = columns
        self.kind = kind
        self.gzip = gzip
        file = try ExportFile(path: path)
        if case .csv(true) = kind {
            buffer.append(contentsOf: columns.map { TextFileWriter.csvField($0.name) }.joined(separator: ",").utf8)
            buffer.append(10)
        }
    }

    func append(_ batch: Batch) throws {
        let keys = columns.map { Array((TextFileWriter.jsonString($0.name) + ":").utf8) }
        for row in 0..<batch.count {
            switch kind {
            case .csv:
                for (c, v) in batch.columns.enumerated() {
                    if c > 0 { buffer.append(UInt8(ascii: ",")) }
                    if let text = v.text(at: row) { buffer.append(contentsOf: TextFileWriter.csvField(text).utf8) }
                }
            case .jsonLines:
                buffer.append(UInt8(ascii: "{"))
                for (c, v) in batch.columns.enumerated() {
                    if c > 0 { buffer.append(UInt8(ascii: ",")) }
                    buffer.append(contentsOf: keys[c])
                    buffer.append(contentsOf: TextFileWriter.jsonValue(v, row).utf8)
                }
                buffer.append(UInt8(ascii: "}"))
            }
            buffer.append(10)
        }
        try drain(force: false)
    }

    func finish() throws {
        try drain(force: true)
        if gzip {
            guard let compressed = PageCompression.gzip.compress(whole) else { throw ExportError.compressionFailed("gzip") }
            try file.write(compressed)
        }
    }

    private func drain(force: Bool) throws {
        guard force || buffer.count >= 1 << 20 else { return }
        if gzip { whole.append(contentsOf: buffer) } else { try file.write(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    static func csvField(_ text: String) -> String {
        if text.isEmpty { return "\"\"" }
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return text }
        var out = "\""
        for ch in text.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
        }
        return out + "\""
    }

    static func jsonValue(_ v: Vector, _ row: Int) -> String {
        guard let text = v.text(at: row) else { return "null" }
        switch v.type {
        case .integer, .boolean: return text
        case .double:
            if case .double(let values) = v.storage, !values[row].isFinite { return jsonString(text) }
            return text
        case .json: return text.isEmpty ? "null" : text
        default: return jsonString(text)
        }
    }

    static func jsonString(_ text: String) -> String {
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

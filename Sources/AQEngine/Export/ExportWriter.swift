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

    /// INTERVAL values go out as their text (Parquet's INTERVAL keeps milliseconds only), and
    /// so do LIST values for now.
    private static func exportable(_ v: Vector, type: DataType) -> Vector {
        switch type {
        case .interval, .list: break
        default: return v
        }
        var heap = StringHeap()
        var validity = v.validity
        for i in 0..<v.count {
            if let text = v.text(at: i) { heap.append(text) } else { heap.appendEmpty() }
        }
        if case .null = v.storage { validity = Validity(allNull: v.count) }
        return Vector(type: .varchar, storage: .string(.flat(heap)), validity: validity)
    }
}

/// CSV or JSON lines, written as `--format csv` / `--format ndjson` write them (`CSVOutput`,
/// `JSONOutput`): a header row, NULL an empty unquoted field, an empty string `""`; JSON
/// numbers and booleans bare, JSON values as they are, lists as arrays, NULL `null`.
final class TextFileWriter: ExportWriter, ByteOutput {
    enum Kind { case csv(header: Bool), jsonLines }

    private let file: ExportFile
    private let kind: Kind
    private let gzip: Bool
    private let keys: [String]
    /// Without run-time exclusivity checks, as `OutputSink`'s buffer: one writer, no
    /// overlapping access.
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    private var whole: [UInt8] = []

    init(path: String, columns: [ColumnSchema], kind: Kind, gzip: Bool) throws {
        self.kind = kind
        self.gzip = gzip
        keys = JSONOutput.objectKeys(columns)
        file = try ExportFile(path: path)
        if case .csv(true) = kind {
            buffer.append(contentsOf: columns.map { CSVOutput.field($0.name) }.joined(separator: ",").utf8)
            buffer.append(10)
        }
    }

    func write(bytes: UnsafeRawBufferPointer) { buffer.append(contentsOf: bytes) }
    func write(byte: UInt8) { buffer.append(byte) }

    func append(_ batch: Batch) throws {
        for row in 0..<batch.count {
            switch kind {
            case .csv:
                for (c, v) in batch.columns.enumerated() {
                    if c > 0 { buffer.append(UInt8(ascii: ",")) }
                    CSVOutput.writeCell(v, row, to: self)
                }
            case .jsonLines:
                buffer.append(contentsOf: JSONOutput.object(keys: keys, batch: batch, row: row).utf8)
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
}

// One file → rows of `events`: read (and inflate), find the shape and the format, and run
// that format's mapping over every record. Runs on a worker thread; touches nothing shared.

/// What reading one file gave.
struct FileReadResult {
    var segment: EventSegment?
    var report: FileLoadReport
    var samples: [SkippedRecord]
}

enum EventFileReader {
    /// Reads `path` as `format` (detected from content when nil). When `alone` (the file was
    /// named by itself, not found in a directory), an empty file or one of no known format is
    /// an error; in a directory it is a warning on that file, so one stray file does not stop
    /// the load. A file that cannot be read is always an error.
    static func read(path: String, format: AuditLogFormat?, alone: Bool, buffers: ReadBuffers,
                     cancellation: CancellationToken?, progress: @escaping (Int) -> Void) throws -> FileReadResult {
        let file = try InputFile.read(path: path, into: buffers)
        let base = file.base
        let start = FormatDetector.textStart(base, file.count)
        func notLoaded(_ message: String) throws -> FileReadResult {
            if alone { throw ExecutionError.io(path: path, message: message, range: nil) }
            return FileReadResult(segment: nil, report: FileLoadReport(path: path, format: "", rows: 0, skipped: 0, warning: message),
                                  samples: [])
        }
        if start >= file.count {
            return try notLoaded(file.warning ?? "file is empty")
        }
        let shape = FormatDetector.shape(base, file.count, at: start)
        let scanner = JSONScanner()
        var detected = format
        if detected == nil {
            detected = shape == .json
                ? FormatDetector.detectJSON(base, file.count, at: start, scanner: scanner)
                : FormatDetector.detectCSV(base, file.count, at: start)
        }
        guard let detected else {
            return try notLoaded("no known format (expected \(AuditLogFormat.namesForMessage))")
        }
        let builder = EventSegmentBuilder()
        builder.reserve(bytes: file.count)
        let arena = ScratchArena()
        let skips = SkipLog(file: path)
        // Progress in bytes on disk (compressed bytes for gzip files).
        let scale = Double(file.diskSize) / Double(max(1, file.count))
        var reported = 0
        let report: (Int) -> Void = { position in
            let done = Int(Double(position) * scale)
            progress(done - reported)
            reported = done
        }
        switch detected {
        case .cloudtrail:
            try run(CloudTrailMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        case .acrAudit:
            try run(ACRAuditMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        case .acrEventLine:
            try run(ACREventLineMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        case .ibmAT:
            try run(IBMMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        }
        report(file.count)
        let segment = builder.finish()
        var warning = file.warning
        if segment.rowCount == 0, skips.count == 0, warning == nil { warning = "no records" }
        return FileReadResult(segment: segment,
                              report: FileLoadReport(path: path, format: detected.rawValue, rows: segment.rowCount,
                                                     skipped: skips.count, warning: warning),
                              samples: skips.samples)
    }

    private static func run<M: EventMapper>(_ type: M.Type, _ file: InputFile, _ shape: RecordShape, _ start: Int,
                                            _ scanner: JSONScanner, _ builder: EventSegmentBuilder, _ arena: ScratchArena,
                                            _ skips: SkipLog, _ cancellation: CancellationToken?,
                                            _ progress: @escaping (Int) -> Void) throws {
        var mapper = M(builder: builder, scanner: scanner, arena: arena)
        let fields = RecordFields(slotCount: M.trie.slotCount, arena: arena)
        var context = ReaderContext(base: file.base, count: file.count, scanner: scanner, fields: fields, builder: builder,
                                    skips: skips, cancellation: cancellation, progress: progress,
                                    lines: LineCounter(base: file.base))
        switch shape {
        case .json: try JSONRecordReader.read(&mapper, &context, from: start)
        case .csv: try CSVRecordReader.read(&mapper, &context, from: start)
        }
    }
}

// One file → rows of `events`: read (and inflate), find the shape and the format, and run
// that format's mapping over every record.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What reading a unit of consecutive files gave: the rows of the files read, a report for
/// each, the first skipped records, and the error that stopped the unit, if one did (the
/// rows and reports are those of the files before it).
struct UnitReadResult {
    var segment: EventSegment
    var reports: [FileLoadReport] = []
    var samples: [SkippedRecord] = []
    var error: Error?
    /// For a part of a file: the lines it holds (to number the lines of the parts after it).
    var lines = 0
}

/// Reads files into rows of `events` on one worker thread, reusing its buffers, scanner and
/// arena from file to file. Touches nothing shared.
final class EventFileReader {
    private let buffers = ReadBuffers()
    private let scanner = JSONScanner()
    private let arena = ScratchArena()
    private let pool: SegmentPool?
    /// The most bytes a file may take once read (and inflated).
    private let maxFileBytes: Int

    init(pool: SegmentPool? = nil, maxFileBytes: Int = Int.max) {
        self.pool = pool
        self.maxFileBytes = maxFileBytes
    }

    /// Reads `paths` in order into one segment (a run of small files makes one segment, so a
    /// file costs little more than its bytes). Stops at the first file that cannot be read.
    func read(paths: [InputPath], bytes: Int, format: AuditLogFormat?, alone: Bool, cancellation: CancellationToken?,
              progress: @escaping (Int) -> Void) -> UnitReadResult {
        let builder = EventSegmentBuilder(segment: pool?.take() ?? EventSegment())
        builder.reserve(bytes: bytes)
        var result = UnitReadResult(segment: EventSegment(dictionaries: []))
        for input in paths {
            do {
                try cancellation?.check()
                if let error = input.error { throw error }
                let before = builder.segment.rowCount
                let (report, samples, stop) = try read(input: input, format: format, alone: alone, builder: builder,
                                                       cancellation: cancellation, progress: progress)
                var counted = report
                counted.rows = builder.segment.rowCount - before
                if counted.rows == 0, counted.skipped == 0, counted.warning == nil, !counted.format.isEmpty, stop == nil {
                    counted.warning = "no records"
                }
                result.reports.append(counted)
                result.samples += samples.prefix(SkipLog.sampleLimit - min(SkipLog.sampleLimit, result.samples.count))
                // A gzip stream that broke off: its records before the break stay, and the load stops.
                if let stop {
                    result.error = stop
                    break
                }
            } catch {
                result.error = error
                break
            }
        }
        result.segment = builder.finish()
        return result
    }

    /// Reads the lines of a JSON-lines file of `format` that start in `bytes` (one part of a
    /// file cut at line boundaries). Line numbers in the result count from the part's start.
    func readPart(path: String, bytes: Range<Int>, format: AuditLogFormat, cancellation: CancellationToken?,
                  progress: @escaping (Int) -> Void) -> UnitReadResult {
        let builder = EventSegmentBuilder(segment: pool?.take() ?? EventSegment())
        builder.reserve(bytes: bytes.count)
        var result = UnitReadResult(segment: EventSegment(dictionaries: []))
        do {
            try cancellation?.check()
            // From the byte before the part, to see whether a line starts at its first byte.
            let origin = max(0, bytes.lowerBound - 1)
            // Read after the texts the segment keeps; rows keep their `raw` where it lies.
            let target = builder.textTarget()
            buffers.target(target.buffer, at: target.offset)
            defer {
                builder.endText()
                buffers.targetOwn()
            }
            let file = try InputFile.read(path: path, from: origin, through: bytes.upperBound, into: buffers)
            builder.beginText(UnsafeRawPointer(file.base), count: file.count)
            if file.count > maxFileBytes {
                throw InputFile.tooLarge(path, ReadLimits(maxBytes: maxFileBytes))
            }
            let base = file.base
            func newline(from i: Int) -> Int? {
                guard i < file.count, let p = memchr(base + i, 0x0A, file.count - i) else { return nil }
                return UnsafeRawPointer(p) - UnsafeRawPointer(base)
            }
            let limit = bytes.upperBound - origin
            var start = 0
            if bytes.lowerBound > 0 { start = newline(from: 0).map { $0 + 1 } ?? file.count }
            var end = newline(from: max(0, limit - 1)).map { $0 + 1 } ?? file.count
            if start >= limit { end = start }
            let part = InputFile(base: base + start, count: max(0, end - start), diskSize: bytes.count, broken: nil)
            // This part's block of the file's hash: exactly `bytes`, which it has read through.
            let blockStart = bytes.lowerBound - origin
            let blockHash = ContentHash.of(UnsafeRawBufferPointer(start: base + blockStart,
                                                                  count: max(0, min(file.count, limit) - blockStart)))
            var lines = 0
            var i = 0
            while i < part.count, let p = memchr(part.base + i, 0x0A, part.count - i) {
                lines += 1
                i = UnsafeRawPointer(p) - UnsafeRawPointer(part.base) + 1
            }
            let skips = SkipLog(file: path)
            let scale = Double(bytes.count) / Double(max(1, part.count))
            var reported = 0
            let report: (Int) -> Void = { position in
                let done = Int(Double(position) * scale)
                progress(done - reported)
                reported = done
            }
            switch format {
            case .cloudtrail:
                try EventFileReader.run(CloudTrailMapper.self, part, .json, 0, scanner, builder, arena, skips, cancellation, report)
            case .acrAudit:
                try EventFileReader.run(ACRAuditMapper.self, part, .json, 0, scanner, builder, arena, skips, cancellation, report)
            case .acrEventLine:
                try EventFileReader.run(ACREventLineMapper.self, part, .json, 0, scanner, builder, arena, skips, cancellation, report)
            case .ibmAT:
                try EventFileReader.run(IBMMapper.self, part, .json, 0, scanner, builder, arena, skips, cancellation, report)
            }
            report(part.count)
            var partReport = FileLoadReport(path: path, format: format.rawValue, rows: builder.segment.rowCount, skipped: skips.count)
            partReport.contentHash = blockHash
            result.reports = [partReport]
            result.samples = skips.samples
            // The newline of a line too long to read through ends this part's lines.
            result.lines = file.cut ? lines + 1 : lines
        } catch {
            result.error = error
        }
        result.segment = builder.finish()
        return result
    }

    /// Reads `path` as `format` (detected from content when nil). When `alone` (the file was
    /// named by itself, not found in a directory), an empty file or one of no known format is
    /// an error; in a directory it is a warning on that file, so one stray file does not stop
    /// the load. A file that cannot be read is always an error.
    private func read(input: InputPath, format: AuditLogFormat?, alone: Bool, builder: EventSegmentBuilder,
                      cancellation: CancellationToken?, progress: @escaping (Int) -> Void) throws
                      -> (FileLoadReport, [SkippedRecord], stop: ExecutionError?) {
        let path = input.path
        let limits = ReadLimits(maxBytes: maxFileBytes, cancellation: cancellation)
        // Read after the texts the segment keeps; rows keep their `raw` where it lies (a gzip
        // file's is inflated elsewhere, and copied).
        let target = builder.textTarget()
        buffers.target(target.buffer, at: target.offset)
        defer {
            builder.endText()
            buffers.targetOwn()
        }
        let file = try input.bytes.map { try InputFile.read(bytes: $0, name: path, into: buffers, limits: limits) }
            ?? InputFile.read(path: path, into: buffers, limits: limits)
        builder.beginText(UnsafeRawPointer(file.base), count: file.count)
        let base = file.base
        let start = FormatDetector.textStart(base, file.count)
        func notLoaded(_ message: String) throws -> (FileLoadReport, [SkippedRecord], stop: ExecutionError?) {
            if alone || file.broken != nil {
                throw ExecutionError.io(path: path, message: file.broken ?? message, range: nil)
            }
            progress(file.diskSize)
            var report = FileLoadReport(path: path, format: "", rows: 0, skipped: 0, warning: message)
            report.contentHash = file.diskHash
            return (report, [], nil)
        }
        if start >= file.count {
            return try notLoaded("file is empty")
        }
        let shape = FormatDetector.shape(base, file.count, at: start)
        if let format, shape == .csv, !FormatDetector.csvFits(format, base, file.count, at: start) {
            // A named format that is not JSON where the file is not, or a CSV header with none of its fields.
            return try notLoaded(format.readsCSV
                ? "the CSV header names no field of \(format.rawValue)"
                : "not JSON (\(format.rawValue) logs are JSON records)")
        }
        var detected = format
        if detected == nil {
            detected = shape == .json
                ? FormatDetector.detectJSON(base, file.count, at: start, scanner: scanner)
                : FormatDetector.detectCSV(base, file.count, at: start)
        }
        guard let detected else {
            return try notLoaded("no known format (expected \(AuditLogFormat.namesForMessage))")
        }
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
            try EventFileReader.run(CloudTrailMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        case .acrAudit:
            try EventFileReader.run(ACRAuditMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        case .acrEventLine:
            try EventFileReader.run(ACREventLineMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        case .ibmAT:
            try EventFileReader.run(IBMMapper.self, file, shape, start, scanner, builder, arena, skips, cancellation, report)
        }
        report(file.count)
        var fileReport = FileLoadReport(path: path, format: detected.rawValue, rows: 0, skipped: skips.count)
        fileReport.contentHash = file.diskHash
        var stop: ExecutionError?
        if let broken = file.broken {
            fileReport.linesRead = LineCounter.lines(base, file.count)
            stop = .io(path: path, message: broken, range: nil)
        }
        return (fileReport, skips.samples, stop)
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

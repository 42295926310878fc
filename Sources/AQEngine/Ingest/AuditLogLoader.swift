// Entry point of the audit-log readers: a file or a directory → rows appended to `events`,
// files read in parallel and appended in path order, with a report of what was loaded.

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum AuditLogLoader {
    /// Loads a file or directory of registry audit logs into the `events` table of `catalog`
    /// (created on first use), detecting each file's format unless `format` names one.
    ///
    /// Files load in sorted path order. A path inside a directory that cannot be read (a
    /// dangling link, a directory that cannot be listed) fails the load before anything is
    /// read. A file that cannot be read, a gzip stream that breaks off, Ctrl-C or a file over
    /// `maxFileBytes` stops the load with a `LoadStopped` that says what stays loaded (the
    /// files before, and the records of a broken gzip stream before its break) and what was
    /// not read. Inside a directory, an empty file or one of no known format is reported with
    /// a warning and passed over; named alone, it is an error.
    ///
    /// A file that `known` holds is passed over (`KnownFiles`): unchanged (same resolved path,
    /// size and modification time), touched (only the modification time differs, the bytes
    /// hash the same) or changed since (not read again: its rows from then stay), each
    /// counted in the report's `passedOver`; with `readingChanged`, a changed file is read
    /// again instead (the caller replaces the rows it gave before).
    public static func load(path: String, format: String?, into catalog: Catalog,
                            cancellation: CancellationToken? = nil, maxFileBytes: Int = Int.max,
                            known: [(identity: FileIdentity, rows: Int)] = [], readingChanged: Bool = false,
                            progress: ((LoadProgress) -> Void)? = nil) throws -> LoadReport {
        let started = Clock.now
        let format = try format.map(AuditLogFormat.named)
        var (files, isDirectory) = try InputPaths.list(path)
        if let unreadable = files.first(where: { $0.error != nil }), let error = unreadable.error {
            throw LoadStopped(cause: error, kept: [], filesNotRead: files.count)
        }
        var identityOf: [String: FileIdentity] = [:]
        for file in files { identityOf[file.path] = file.identity }
        var passedOver = PassedOver()
        if !known.isEmpty {
            let earlier = KnownFiles(known)
            files.removeAll { file in
                guard let id = identityOf[file.path] else { return false }
                switch earlier.status(of: id, path: file.path) {
                case .new: return false
                case .changed where readingChanged: return false
                case .unchanged: passedOver.unchanged += 1
                case .touched(let now): passedOver.touched.append(now)
                case .changed: passedOver.changed.append(file.path)
                }
                return true
            }
        }
        func identified(_ reports: [FileLoadReport]) -> [FileLoadReport] {
            reports.map { r in
                var r = r
                if r.linesRead == nil, var id = identityOf[r.path] {
                    id.contentHash = r.contentHash
                    r.identity = id
                }
                return r
            }
        }
        let table = try Table.events(in: catalog)
        let cores = OrderedParallelRunner.cores
        // Segments in use at once: a unit read on each core, the finished units of the window
        // (two a core), and those the chunks being packed still hold (about one for each of
        // `ChunkPacker`'s two a core): kept for use again rather than freed and faulted in anew.
        let pool = SegmentPool(limit: cores * 5)
        let writer = EventTableWriter(table: table, pool: pool)
        defer { writer.finish() }
        var collected = LoadCollector()
        // The unit that failed, or the first one not yet taken in: where a stop that names no
        // file (the memory watch) came.
        var failedUnit = 0
        let total = files.reduce(0) { $0 + $1.size }
        let bytesDone = ByteCounter()
        let readers = (0..<cores).map { _ in EventFileReader(pool: pool, maxFileBytes: maxFileBytes) }
        let units = WorkPlan.units(files, format: format)
        // Each unit's bytes are asked of the disk this many units before a worker takes it, so
        // that reading the disk overlaps the work on the units before (`ReadAhead`).
        let readAhead = cores * 2
        for u in 0..<min(readAhead, units.count) { ReadAhead.start(units[u], files: files) }
        func read() throws {
        try OrderedParallelRunner.run(
            count: units.count, workers: cores, window: cores * 2,
            work: { u, worker in
                if u + readAhead < units.count { ReadAhead.start(units[u + readAhead], files: files) }
                switch units[u] {
                case .files(let range):
                    return readers[worker].read(paths: range.map { files[$0] }, bytes: range.reduce(0) { $0 + files[$1].size },
                                                format: format, alone: !isDirectory, cancellation: cancellation,
                                                progress: { bytesDone.add($0) })
                case .part(let file, let bytes, let format, _, _):
                    return readers[worker].readPart(path: files[file].path, bytes: bytes, format: format,
                                                    cancellation: cancellation, progress: { bytesDone.add($0) })
                }
            },
            idle: {
                progress?(LoadProgress(bytesDone: min(bytesDone.value, total), bytesTotal: total,
                                       filesDone: collected.reports.count, filesTotal: files.count))
            },
            consume: { u, read in
                failedUnit = u
                // The files before a failure stay loaded.
                writer.append(read.segment)
                collected.add(read, of: units[u])
                if let error = read.error { throw error }
                failedUnit = min(u + 1, units.count - 1)
                try cancellation?.check()
            })
        }
        do {
            try read()
        } catch let error as ExecutionError {
            writer.finish()
            let kept = collected.reports
            // A stop for memory names the file being read, as the file's own errors do.
            let reading = error.isMemoryStop && !units.isEmpty ? readingPath(units[failedUnit], files: files, kept: kept) : nil
            // A file named alone that fails before any row: its own error says it all.
            if kept.allSatisfy({ $0.rows == 0 }), reading == nil, error.isCancelled || !isDirectory { throw error }
            // The file that failed to open is neither kept nor "after it".
            let failing = error.isCancelled || kept.last?.linesRead != nil ? 0 : 1
            let read = Set(kept.map(\.path)).count
            throw LoadStopped(cause: error, kept: identified(kept), filesNotRead: max(0, files.count - read - failing),
                              reading: reading)
        }
        writer.finish()
        progress?(LoadProgress(bytesDone: total, bytesTotal: total, filesDone: files.count, filesTotal: files.count))
        var report = LoadReport(table: Table.eventsName, files: identified(collected.reports), firstSkipped: collected.samples,
                                seconds: Clock.seconds(since: started))
        report.passedOver = passedOver
        return report
    }
}

extension AuditLogLoader {
    /// The file of `unit` that was being read when the load stopped: its first file not read
    /// whole.
    private static func readingPath(_ unit: WorkUnit, files: [InputPath], kept: [FileLoadReport]) -> String {
        switch unit {
        case .files(let range):
            let done = Set(kept.filter { $0.linesRead == nil }.map(\.path))
            return range.map { files[$0].path }.first { !done.contains($0) } ?? files[range.upperBound - 1].path
        case .part(let file, _, _, _, _):
            return files[file].path
        }
    }

    /// Loads audit-log records held in memory (`bytes`: the contents of one file in any
    /// format `load(path:)` reads, gzip too) into `events`; `name` stands for the file in
    /// the report and in errors.
    public static func load(bytes: [UInt8], name: String, format: String?, into catalog: Catalog,
                            cancellation: CancellationToken? = nil) throws -> LoadReport {
        let started = Clock.now
        let format = try format.map(AuditLogFormat.named)
        let table = try Table.events(in: catalog)
        let writer = EventTableWriter(table: table)
        defer { writer.finish() }
        let input = InputPath(path: name, size: bytes.count, bytes: bytes)
        let read = EventFileReader().read(paths: [input], bytes: bytes.count, format: format, alone: true,
                                          cancellation: cancellation, progress: { _ in })
        writer.append(read.segment)
        if let error = read.error { throw error }
        writer.finish()
        var collected = LoadCollector()
        collected.add(read, of: .files(0..<1))
        return LoadReport(table: Table.eventsName, files: collected.reports, firstSkipped: collected.samples,
                          seconds: Clock.seconds(since: started))
    }
}

/// The reports of a load's units, in order: a file cut in parts gets one report, and the
/// lines of its skipped records are numbered from the start of the file.
struct LoadCollector {
    private(set) var reports: [FileLoadReport] = []
    private(set) var samples: [SkippedRecord] = []
    private var partReport: FileLoadReport?
    private var partLines = 0
    /// The file's hash so far: its parts' block hashes, in order.
    private var partHash = ContentHash()

    mutating func add(_ read: UnitReadResult, of unit: WorkUnit) {
        let room = SkipLog.sampleLimit - samples.count
        guard case .part(_, _, _, let index, let count) = unit else {
            reports += read.reports
            samples += read.samples.prefix(room)
            return
        }
        if index == 0 {
            partLines = 0
            partReport = nil
            partHash = ContentHash()
        }
        let before = partLines
        samples += read.samples.prefix(room).map { SkippedRecord(file: $0.file, line: $0.line + before, reason: $0.reason) }
        partLines += read.lines
        if let part = read.reports.first {
            partHash.add(sectionHash: part.contentHash)
            if var whole = partReport {
                whole.rows += part.rows
                whole.skipped += part.skipped
                partReport = whole
            } else {
                partReport = part
            }
        }
        if index == count - 1 || read.error != nil, var whole = partReport {
            whole.contentHash = partHash.value
            reports.append(whole)
            partReport = nil
        }
    }
}

/// Bytes read so far by every worker.
final class ByteCounter: @unchecked Sendable {
    private let bytes = Atomic<Int>(0)
    func add(_ n: Int) { bytes.wrappingAdd(n, ordering: .relaxed) }
    var value: Int { bytes.load(ordering: .relaxed) }
}

// Entry point of the audit-log readers: a file or a directory → rows appended to `events`,
// files read in parallel and appended in path order, with a report of what was loaded.

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum AuditLogLoader {
    /// How many skipped records a report lists (the rest are counted).
    static let sampleLimit = 10

    /// Loads a file or directory of registry audit logs into the `events` table of `catalog`
    /// (created on first use), detecting each file's format unless `format` names one.
    ///
    /// Files load in sorted path order. A file that cannot be read stops the load with an
    /// `ExecutionError.io` naming it; the files before it stay loaded. Inside a directory, an
    /// empty file or one of no known format is reported with a warning and passed over; named
    /// alone, it is an error.
    public static func load(path: String, format: String?, into catalog: Catalog,
                            cancellation: CancellationToken? = nil,
                            progress: ((LoadProgress) -> Void)? = nil) throws -> LoadReport {
        let started = Clock.now
        let format = try format.map(AuditLogFormat.named)
        let (files, isDirectory) = try InputPaths.list(path)
        let table = try Table.events(in: catalog)
        let cores = OrderedParallelRunner.cores
        let pool = SegmentPool(limit: cores * 3)
        let writer = EventTableWriter(table: table, pool: pool)
        defer { writer.finish() }
        var reports: [FileLoadReport] = []
        var samples: [SkippedRecord] = []
        let total = files.reduce(0) { $0 + $1.size }
        let bytesDone = ByteCounter()
        let readers = (0..<cores).map { _ in EventFileReader(pool: pool) }
        let units = WorkPlan.units(files, format: format)
        // The parts of a file cut in parts make one report; lines are numbered across parts.
        var partReport: FileLoadReport?
        var partLines = 0
        try OrderedParallelRunner.run(
            count: units.count, workers: cores, window: cores * 2,
            work: { u, worker in
                switch units[u] {
                case .files(let range):
                    return readers[worker].read(paths: range.map { files[$0].path }, bytes: range.reduce(0) { $0 + files[$1].size },
                                                format: format, alone: !isDirectory, cancellation: cancellation,
                                                progress: { bytesDone.add($0) })
                case .part(let file, let bytes, let format, _, _):
                    return readers[worker].readPart(path: files[file].path, bytes: bytes, format: format,
                                                    cancellation: cancellation, progress: { bytesDone.add($0) })
                }
            },
            idle: {
                progress?(LoadProgress(bytesDone: min(bytesDone.value, total), bytesTotal: total,
                                       filesDone: reports.count, filesTotal: files.count))
            },
            consume: { u, read in
                // The files before a failure stay loaded.
                writer.append(read.segment)
                if case .part(_, _, _, let index, let count) = units[u] {
                    if index == 0 { partLines = 0 }
                    samples += read.samples.prefix(sampleLimit - samples.count).map {
                        SkippedRecord(file: $0.file, line: $0.line + partLines, reason: $0.reason)
                    }
                    partLines += read.lines
                    if let part = read.reports.first {
                        if var whole = partReport, index > 0 {
                            whole.rows += part.rows
                            whole.skipped += part.skipped
                            partReport = whole
                        } else {
                            partReport = part
                        }
                    }
                    if index == count - 1 || read.error != nil, let whole = partReport {
                        reports.append(whole)
                        partReport = nil
                    }
                } else {
                    reports += read.reports
                    samples += read.samples.prefix(sampleLimit - samples.count)
                }
                if let error = read.error { throw error }
                try cancellation?.check()
            })
        writer.finish()
        progress?(LoadProgress(bytesDone: total, bytesTotal: total, filesDone: files.count, filesTotal: files.count))
        return LoadReport(table: Table.eventsName, files: reports, firstSkipped: samples, seconds: Clock.seconds(since: started))
    }
}

extension AuditLogLoader {
    /// Runs of consecutive files read as one unit by one worker: up to 8 MB or 256 files, so
    /// that thousands of small files (CloudTrail writes many) cost little more than their bytes,
    /// while large files still spread over the cores.
    static func workUnits(_ files: [InputPath]) -> [Range<Int>] {
        var units: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (i, file) in files.enumerated() {
            if i > start, bytes + file.size > 8 << 20 || i - start == 256 {
                units.append(start..<i)
                start = i
                bytes = 0
            }
            bytes += file.size
        }
        if start < files.count { units.append(start..<files.count) }
        return units
    }
}

/// Bytes read so far by every worker.
final class ByteCounter: @unchecked Sendable {
    private let bytes = Atomic<Int>(0)
    func add(_ n: Int) { bytes.wrappingAdd(n, ordering: .relaxed) }
    var value: Int { bytes.load(ordering: .relaxed) }
}

/// A monotonic clock for load times.
enum Clock {
    static var now: Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func seconds(since start: Double) -> Double { now - start }
}

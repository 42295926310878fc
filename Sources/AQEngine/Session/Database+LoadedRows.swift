// Which rows of `events` each loaded file gave, so that LOAD replaces a file's rows when the
// file changed (or is read again with FORCE) instead of adding them a second time, and says
// which files loaded before are gone from a directory (their rows stay).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Database {
    /// Whether every loaded file's rows are known (`FileLoadReport.firstRow`): ranges of the
    /// `events` table they were recorded for, inside it and apart.
    var knowsRowsOfLoadedFiles: Bool {
        let withRows = loadedFiles.filter { $0.rows > 0 }
        if withRows.isEmpty { return true }
        guard let events = catalog.table(named: Table.eventsName), events === rowsTable else { return false }
        var ranges: [Range<Int>] = []
        for f in withRows {
            guard let first = f.firstRow else { return false }
            ranges.append(first..<first + f.rows)
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var end = 0
        for r in ranges {
            guard r.lowerBound >= end else { return false }
            end = r.upperBound
        }
        return end <= events.rowCount
    }

    /// Adds `files` to the record: their rows were appended to `events` in this order from
    /// row `base` on. Numbers recorded for an `events` table since dropped are forgotten.
    func recordLoaded(_ files: [FileLoadReport], from base: Int) {
        let events = catalog.table(named: Table.eventsName)
        if events !== rowsTable {
            for i in loadedFiles.indices { loadedFiles[i].firstRow = nil }
            rowsTable = events
        }
        var row = base
        for var f in files {
            f.firstRow = row
            row += f.rows
            loadedFiles.append(f)
        }
    }

    /// Takes out of `events`, and out of the record, the rows that the earlier records of
    /// the files of `read` gave (the last `read.count` records are `read` itself); the rows
    /// after them move up. Called only when `knowsRowsOfLoadedFiles` held before the load.
    func replaceEarlierRows(of read: [FileLoadReport]) -> [ReplacedFile] {
        let earlierCount = loadedFiles.count - read.count
        var newRows: [String: (path: String, rows: Int)] = [:]
        for f in read { if let id = f.identity { newRows[id.canonicalPath] = (f.path, f.rows) } }
        var removed: [Range<Int>] = []
        var replaced: [String: ReplacedFile] = [:]
        var keep: [FileLoadReport] = []
        for (i, f) in loadedFiles.enumerated() {
            guard i < earlierCount, let id = f.identity, let now = newRows[id.canonicalPath] else {
                keep.append(f)
                continue
            }
            if let first = f.firstRow, f.rows > 0 { removed.append(first..<first + f.rows) }
            var entry = replaced[id.canonicalPath] ?? ReplacedFile(path: now.path, earlierRows: 0, rows: now.rows)
            entry.earlierRows += f.rows
            replaced[id.canonicalPath] = entry
        }
        guard !replaced.isEmpty else { return [] }
        if !removed.isEmpty, let events = catalog.table(named: Table.eventsName) {
            events.removeRows(removed)
            removed.sort { $0.lowerBound < $1.lowerBound }
            for i in keep.indices {
                guard let first = keep[i].firstRow else { continue }
                keep[i].firstRow = first - removed.reduce(0) { $0 + ($1.upperBound <= first ? $1.count : 0) }
            }
            coverageLock.locked { coverageCache = nil }
        }
        loadedFiles = keep
        return read.compactMap { f in f.identity.flatMap { replaced[$0.canonicalPath] } }
    }

    /// The files loaded before from under directory `path` (by their resolved paths) that are
    /// no longer there, as they were named when loaded, with the rows they gave: kept, and
    /// named by the load's message.
    func goneFiles(under path: String) -> [(path: String, rows: Int)] {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return [] }
        let directory = InputPaths.resolved(path) ?? path
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var gone: [String: (path: String, rows: Int)] = [:]
        var order: [String] = []
        for f in loadedFiles {
            guard let id = f.identity, id.canonicalPath.hasPrefix(prefix) else { continue }
            var there = stat()
            guard stat(id.canonicalPath, &there) != 0 else { continue }
            if gone[id.canonicalPath] == nil { order.append(id.canonicalPath) }
            gone[id.canonicalPath, default: (f.path, 0)].rows += f.rows
        }
        return order.compactMap { gone[$0] }
    }
}

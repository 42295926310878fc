// A store opened without reading its rows: its chunk sections stay in the file until a
// statement first reads rows of any of its tables, and are then checked (CRC-32, the content
// hash) and decoded, on all cores, all at once. Opening a store of a million events so costs
// a few pages of the file, and `SELECT count(*)` reads none (the table section records each
// chunk's rows). The file stays open (not mapped) meanwhile: replacing it by a rename, as
// SAVE does, leaves this one as it was; changing it in place is caught by its size, its
// checksums and its content hash when it is read.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

final class DeferredStore: DeferredChunks, @unchecked Sendable {
    /// A chunk section left in the file.
    private struct Placed {
        /// Its position among the file's sections (the end one aside).
        var index: Int
        var start: Int
        var end: Int
        var crc: UInt32
        var name: String
        /// The table it belongs to (the table section before it).
        var table: Int
    }

    private struct Deferred {
        weak var table: Table?
        var dictionaries: [StringDictionary]
        var expected: (chunks: Int, rows: Int)
        var rows: [Int]
    }

    private enum State {
        case waiting
        case done
        case failed(StoreFileError)
    }

    private let fd: Int32
    private let path: String
    private let size: Int
    private let recorded: UInt64?
    /// Every section's XXH64 in file order; nil for the chunk sections until they are read.
    private let hashes: [UInt64?]
    private let placed: [Placed]
    private let tables: [Deferred]
    private let state = Mutex<State>(.waiting)

    private init(fd: Int32, path: String, size: Int, recorded: UInt64?, hashes: [UInt64?], placed: [Placed], tables: [Deferred]) {
        self.fd = fd
        self.path = path
        self.size = size
        self.recorded = recorded
        self.hashes = hashes
        self.placed = placed
        self.tables = tables
    }

    deinit { close(fd) }

    /// The contents of the store file mapped at `p` (open as `fd`) with the chunks of its
    /// tables left in the file; nil when the file is older than version 3 (its table
    /// sections do not record each chunk's rows) or holds no chunks: the caller then reads
    /// it whole.
    static func open(_ p: UnsafeRawBufferPointer, fd: Int32, path: String) throws(StoreFileError) -> StoreContents? {
        let layout = try StoreFile.layout(p, path: path)
        guard layout.version >= 3, layout.sections.contains(where: { $0.kind == .chunks }) else { return nil }
        var decoder = StoreDecoder(version: layout.version)
        var hashes: [UInt64?] = []
        var placed: [Placed] = []
        for (i, section) in layout.sections.enumerated() {
            var r = section.reader
            if section.kind == .chunks {
                guard !decoder.tables.isEmpty else { throw r.malformed(.codeOutOfRange(what: "the tables")) }
                placed.append(Placed(index: i, start: r.position, end: r.end, crc: section.crc, name: r.section,
                                     table: decoder.tables.count - 1))
                hashes.append(nil)
                continue
            }
            let payload = UnsafeRawBufferPointer(rebasing: p[r.position..<r.end])
            guard Checksum.crc32(payload) == section.crc else {
                throw .checksumMismatch(path: path, section: r.section, offset: r.position)
            }
            hashes.append(ContentHash.of(payload))
            try decoder.read(section.kind, &r)
        }
        var contents = try decoder.finishDeferred(layout.last)
        contents.contentHash = layout.recorded
        let kept = dup(fd)
        guard kept >= 0 else { return nil }
        let tables = decoder.tables.enumerated().map { t, table in
            Deferred(table: table, dictionaries: decoder.dictionaries[t], expected: decoder.expected[t],
                     rows: decoder.chunkRows[t] ?? [])
        }
        let store = DeferredStore(fd: kept, path: path, size: p.count, recorded: layout.recorded, hashes: hashes,
                                  placed: placed, tables: tables)
        for (t, table) in decoder.tables.enumerated() where !tables[t].rows.isEmpty {
            table.leaveInFile(store, rows: tables[t].rows, paths: table.paths)
        }
        return contents
    }

    func load() throws {
        try state.withLock { (state: inout State) throws(StoreFileError) in
            switch state {
            case .done: return
            case .failed(let error): throw error
            case .waiting:
                do throws(StoreFileError) {
                    try read()
                    state = .done
                } catch {
                    state = .failed(.whenRead(error))
                    throw .whenRead(error)
                }
            }
        }
    }

    /// Checks every chunk section and decodes those of the tables still there.
    private func read() throws(StoreFileError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, reason: StoreFile.systemError()) }
        guard Int(info.st_size) == size else { throw .changedSinceOpened(path: path, size: Int(info.st_size), was: size) }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let base = mmap(nil, size, PROT_READ, flags, fd, 0), base != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .cannotRead(path: path, reason: StoreFile.systemError())
        }
        defer { munmap(base, size) }
        let p = UnsafeRawBufferPointer(start: base, count: size)
        let sums = StoreFile.payloadSums(placed.map { UnsafeRawBufferPointer(rebasing: p[$0.start..<$0.end]) })
        for (section, sum) in zip(placed, sums) where sum.crc != section.crc {
            throw .checksumMismatch(path: path, section: section.name, offset: section.start)
        }
        var all = hashes
        for (section, sum) in zip(placed, sums) { all[section.index] = sum.hash }
        try StoreFile.checkContentHash(all.compactMap { $0 }, recorded: recorded, path: path)
        let decoded = decode(p)
        var chunks = [[StoredChunk]](repeating: [], count: tables.count)
        for (section, result) in zip(placed, decoded) {
            guard let result else { continue }
            let (first, read) = try result.get()
            guard first == chunks[section.table].count else {
                throw reader(p, section).malformed(.mismatch(what: "first chunk", expected: chunks[section.table].count, found: first))
            }
            chunks[section.table] += read
        }
        let last = reader(p, placed[placed.count - 1])
        for (t, deferred) in tables.enumerated() {
            guard let table = deferred.table else { continue }
            try StoreDecoder.check(chunks[t], of: table, expected: deferred.expected, rows: deferred.rows, last)
        }
        for (t, deferred) in tables.enumerated() where !deferred.rows.isEmpty { deferred.table?.fill(chunks[t]) }
    }

    private func reader(_ p: UnsafeRawBufferPointer, _ section: Placed) -> ByteReader {
        ByteReader(p, from: section.start, to: section.end, fileOffset: 0, path: path, section: section.name)
    }

    /// Each chunk section decoded (nil for a table no longer there), on all cores.
    private func decode(_ p: UnsafeRawBufferPointer) -> [Result<(first: Int, chunks: [StoredChunk]), StoreFileError>?] {
        let out = UnsafeMutableBufferPointer<Result<(first: Int, chunks: [StoredChunk]), StoreFileError>?>.allocate(capacity: placed.count)
        out.initialize(repeating: nil)
        defer { out.deinitialize(); out.deallocate() }
        let workers = max(1, min(SessionSettings.cores, placed.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: placed.count, by: workers) {
                let section = placed[i]
                let deferred = tables[section.table]
                guard let table = deferred.table else { continue }
                var r = reader(p, section)
                do throws(StoreFileError) {
                    out[i] = .success(try StoreDecoder.chunkSection(&r, tableCount: tables.count, index: section.table,
                                                                    table: table, dictionaries: deferred.dictionaries))
                } catch {
                    out[i] = .failure(error)
                }
            }
        }
        return Array(out)
    }
}

// Store files on disk. Writing is crash-safe: the sections go to a temporary file in the
// target's directory, which is flushed to disk, renamed over the target, and the directory
// flushed, so the target is at every moment the old file or the new one. Reading takes the
// whole file, checks the header, every section's checksum and every length in it, and only
// then hands back what it holds (or, opened `deferring`, leaves the chunk sections to be
// checked and decoded when first read: DeferredStore).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

public enum StoreFile {
    /// Writes `contents` to `path` and returns its content hash. `crashAfter` (for tests)
    /// stops the write, as a crash would and without cleaning up, after that many of its
    /// steps (creating the temporary file, each section, the flush, the rename, the
    /// directory's flush). The temporary file is locked (`flock`) while it is written, so
    /// that `removeStaleTemporaries` can tell it from one a crash left.
    @discardableResult
    public static func write(_ contents: StoreContents, to path: String, crashAfter: Int? = nil) throws -> UInt64 {
        var steps = 0
        func step() -> Bool {
            steps += 1
            return crashAfter.map { steps >= $0 } ?? false
        }
        let directory = directoryName(path)
        let temporary = temporaryName(path, pid: getpid())
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StoreFileError.cannotWrite(path: path, step: .createTemporary, reason: systemError()) }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed && crashAfter == nil { unlink(temporary) }
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            throw StoreFileError.cannotWrite(path: path, step: .createTemporary, reason: systemError())
        }
        if step() { return 0 }
        func put(_ bytes: UnsafeRawBufferPointer) throws {
            var at = 0
            while at < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress.map { $0 + at }, bytes.count - at)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw StoreFileError.cannotWrite(path: path, step: .writeData, reason: systemError()) }
                at += n
            }
        }
        let sectionCount = contents.tables.reduce(3) { n, t in
            n + 1 + (t.chunkCount + StoreFormat.chunksPerSection - 1) / StoreFormat.chunksPerSection
        }
        func header(_ hash: UInt64) -> [UInt8] {
            var h = ByteWriter()
            for b in StoreFormat.magic { h.u8(b) }
            h.u32(StoreFormat.version)
            h.u32(UInt32(sectionCount))
            h.u64(hash)
            h.u32(0)
            h.u32(Checksum.crc32(h.bytes))
            return h.bytes
        }
        // The hash is known at the end; the header is written again then, before the flush.
        try header(0).withUnsafeBytes(put)
        var written = StoreFormat.headerSize
        var hash = ContentHash()
        func section(_ kind: StoreFormat.Section, _ payload: [UInt8]) throws {
            var h = ByteWriter()
            h.u32(kind.rawValue)
            h.u32(0)
            h.int(payload.count)
            h.u32(Checksum.crc32(payload))
            h.u32(Checksum.crc32(h.bytes))
            try h.bytes.withUnsafeBytes(put)
            try payload.withUnsafeBytes(put)
            written += h.bytes.count + payload.count
        }
        var crashed = false
        try StoreEncoder.sections(contents) { kind, payload in
            guard !crashed else { return }
            try section(kind, payload)
            hash.add(sectionHash: payload.withUnsafeBytes { ContentHash.of($0) })
            crashed = step()
        }
        if crashed { return 0 }
        var end = ByteWriter()
        end.int(written + StoreFormat.sectionHeaderSize + 8)
        try section(.end, end.bytes)
        let contentHash = hash.value
        let final = header(contentHash)
        let n = final.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard n == final.count else { throw StoreFileError.cannotWrite(path: path, step: .writeData, reason: systemError()) }
        if step() { return contentHash }
        guard fsync(fd) == 0 else { throw StoreFileError.cannotWrite(path: path, step: .syncData, reason: systemError()) }
        closed = true
        guard close(fd) == 0 else { throw StoreFileError.cannotWrite(path: path, step: .syncData, reason: systemError()) }
        if step() { return contentHash }
        guard rename(temporary, path) == 0 else { throw StoreFileError.cannotWrite(path: path, step: .rename, reason: systemError()) }
        renamed = true
        if step() { return contentHash }
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw StoreFileError.cannotWrite(path: path, step: .syncDirectory, reason: systemError()) }
        defer { close(dir) }
        guard fsync(dir) == 0 else { throw StoreFileError.cannotWrite(path: path, step: .syncDirectory, reason: systemError()) }
        return contentHash
    }

    /// Reads and checks the store file at `path`.
    /// The file is mapped (read-only) rather than copied; what the decoder keeps it copies
    /// out, so the mapping ends here. (A file that another program truncates in place while
    /// it is mapped stops aq with SIGBUS; aq itself only ever replaces a store by renaming.)
    /// A file that cannot be mapped is read.
    ///
    /// `deferring`: the chunk sections of a version 3 file are left in it (`DeferredStore`),
    /// to be checked and decoded when a statement first reads rows; everything else (the
    /// header, every section's header and place, the table, views and sources sections, the
    /// file's size) is checked now. Without it, or for an older file, every section is checked
    /// and decoded before this returns.
    public static func read(path: String, deferring: Bool = false) throws(StoreFileError) -> StoreContents {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .cannotRead(path: path, reason: systemError()) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw .isDirectory(path: path) }
        if (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0 {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .cannotRead(path: path, reason: systemError()) }
            defer { close(fd) }
            let size = Int(info.st_size)
            // Every page read in at once, unless most of the file is to stay unread.
            #if os(Linux)
            let flags = deferring ? MAP_PRIVATE : MAP_PRIVATE | MAP_POPULATE
            #else
            let flags = MAP_PRIVATE
            #endif
            if let base = mmap(nil, size, PROT_READ, flags, fd, 0), base != UnsafeMutableRawPointer(bitPattern: -1) {
                defer { munmap(base, size) }
                let p = UnsafeRawBufferPointer(start: base, count: size)
                if deferring, let contents = try DeferredStore.open(p, fd: fd, path: path) { return contents }
                return try decode(p, path: path)
            }
        }
        let bytes = try readAll(path)
        let result: Result<StoreContents, StoreFileError> = bytes.withUnsafeBytes { p in
            do throws(StoreFileError) { return .success(try decode(p, path: path)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Where each section of a file is, as `layout` finds it.
    struct Layout {
        var version: UInt32
        /// The content hash the header records (nil for version 1).
        var recorded: UInt64?
        /// Every section but the end section, in file order, with its payload's checksum.
        var sections: [(kind: StoreFormat.Section, reader: ByteReader, crc: UInt32)]
        /// The last section read (for errors about the file as a whole).
        var last: ByteReader
    }

    /// Checks the header, the header of every section and the end section, and says where
    /// each section's payload is; no payload is read.
    static func layout(_ p: UnsafeRawBufferPointer, path: String, checksums: Bool = true) throws(StoreFileError) -> Layout {
        guard p.count > 0 else { throw .empty(path: path) }
        let magic = StoreFormat.magic
        let prefix = min(p.count, magic.count)
        guard (0..<prefix).allSatisfy({ p[$0] == magic[$0] }) else { throw .notAStore(path: path) }
        guard p.count >= StoreFormat.headerSizeV1 else { throw .truncated(path: path, section: "the file header", offset: p.count) }
        var h = ByteReader(p, from: magic.count, to: p.count, fileOffset: 0, path: path, section: "the file header")
        let version = try h.u32()
        let headerSize = version == 1 ? StoreFormat.headerSizeV1 : StoreFormat.headerSize
        guard p.count >= headerSize else { throw .truncated(path: path, section: "the file header", offset: p.count) }
        let sectionCount = try h.u32()
        let recorded: UInt64? = try version == 1 ? nil : h.u64()
        _ = try h.u32()
        let crc = try h.u32()
        guard !checksums || Checksum.crc32(UnsafeRawBufferPointer(rebasing: p[0..<headerSize - 4])) == crc else {
            throw .checksumMismatch(path: path, section: "the file header", offset: 0)
        }
        guard version <= StoreFormat.version else {
            throw .newerVersion(path: path, version: version, supported: StoreFormat.version)
        }
        guard version >= 1 else {
            throw h.malformed(.mismatch(what: "format version", expected: Int(StoreFormat.version), found: Int(version)))
        }
        var sections: [(kind: StoreFormat.Section, reader: ByteReader, crc: UInt32)] = []
        var at = headerSize
        var last = h
        var ended = false
        for index in 0..<Int(sectionCount) {
            let name = "section \(index + 1)"
            guard p.count - at >= StoreFormat.sectionHeaderSize else { throw .truncated(path: path, section: name, offset: p.count) }
            var s = ByteReader(p, from: at, to: at + StoreFormat.sectionHeaderSize, fileOffset: 0, path: path, section: name)
            let rawKind = try s.u32()
            _ = try s.u32()
            let length = try s.u64()
            let payloadCRC = try s.u32()
            let headerCRC = try s.u32()
            guard !checksums || Checksum.crc32(UnsafeRawBufferPointer(rebasing: p[at..<at + StoreFormat.sectionHeaderSize - 4])) == headerCRC else {
                throw .checksumMismatch(path: path, section: "the header of \(name)", offset: at)
            }
            guard let kind = StoreFormat.Section(rawValue: rawKind) else { throw s.malformed(.unknownSection(kind: rawKind)) }
            let sectionName = "\(name) (\(kind.name))"
            let start = at + StoreFormat.sectionHeaderSize
            guard length <= UInt64(p.count - start) else { throw .truncated(path: path, section: sectionName, offset: p.count) }
            let end = start + Int(length)
            var r = ByteReader(p, from: start, to: end, fileOffset: 0, path: path, section: sectionName)
            if kind == .end {
                guard !checksums || Checksum.crc32(UnsafeRawBufferPointer(rebasing: p[start..<end])) == payloadCRC else {
                    throw .checksumMismatch(path: path, section: sectionName, offset: start)
                }
                let total = try r.count(limit: Int.max)
                guard total == p.count else { throw r.malformed(.mismatch(what: "file size", expected: total, found: p.count)) }
                guard index == Int(sectionCount) - 1 else { throw r.malformed(.mismatch(what: "sections", expected: index + 1, found: Int(sectionCount))) }
                guard r.remaining == 0 else { throw r.malformed(.extraBytes(r.remaining)) }
                ended = true
            } else {
                sections.append((kind, r, payloadCRC))
            }
            last = r
            at = end
        }
        guard ended else { throw last.malformed(.missingSection("the end section")) }
        guard at == p.count else { throw last.malformed(.extraBytes(p.count - at)) }
        return Layout(version: version, recorded: recorded, sections: sections, last: last)
    }

    /// Checks and decodes the bytes of a store file (`path` names it in errors).
    /// `checksums: false` is for the fuzzer (Fuzz/FuzzStoreReader.swift): it lets damaged
    /// bytes reach the decoder, whose own checks must then refuse them.
    public static func decode(_ p: UnsafeRawBufferPointer, path: String, checksums: Bool = true) throws(StoreFileError) -> StoreContents {
        let layout = try layout(p, path: path, checksums: checksums)
        // First the checksums and the content hash (the payloads checked on all cores), and
        // only then decoding, so that a changed file is reported as changed, not as whatever
        // its change breaks.
        if checksums {
            let sums = payloadSums(layout.sections.map { UnsafeRawBufferPointer(rebasing: p[$0.reader.position..<$0.reader.end]) })
            try check(sums, of: layout.sections, path: path)
            try checkContentHash(sums.map(\.hash), recorded: layout.recorded, path: path)
        }
        var decoder = StoreDecoder(version: layout.version)
        for var section in layout.sections { try decoder.read(section.kind, &section.reader) }
        var contents = try decoder.finish(layout.last)
        contents.contentHash = layout.recorded
        return contents
    }

    /// Throws for the first section whose payload's CRC-32 is not the one its header records.
    static func check(_ sums: [(crc: UInt32, hash: UInt64)], of sections: [(kind: StoreFormat.Section, reader: ByteReader, crc: UInt32)],
                      path: String) throws(StoreFileError) {
        for (section, sum) in zip(sections, sums) where sum.crc != section.crc {
            throw .checksumMismatch(path: path, section: section.reader.section, offset: section.reader.position)
        }
    }

    /// Throws when the sections' hashes (every section's but the end one's, in file order)
    /// do not make the content hash the header records.
    static func checkContentHash(_ hashes: [UInt64], recorded: UInt64?, path: String) throws(StoreFileError) {
        guard let recorded else { return }
        var hash = ContentHash()
        for h in hashes { hash.add(sectionHash: h) }
        let computed = hash.value
        guard computed == recorded else { throw .contentHashMismatch(path: path, recorded: recorded, computed: computed) }
    }

    /// The CRC-32 and XXH64 of each payload, on as many threads as there are cores (worker
    /// w takes sections w, w + workers, …; sections are of like size).
    static func payloadSums(_ payloads: [UnsafeRawBufferPointer]) -> [(crc: UInt32, hash: UInt64)] {
        let sums = UnsafeMutableBufferPointer<(crc: UInt32, hash: UInt64)>.allocate(capacity: payloads.count)
        defer { sums.deallocate() }
        let workers = max(1, min(SessionSettings.cores, payloads.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: payloads.count, by: workers) {
                sums[i] = (Checksum.crc32(payloads[i]), ContentHash.of(payloads[i]))
            }
        }
        return Array(sums)
    }

    private static func readAll(_ path: String) throws(StoreFileError) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .cannotRead(path: path, reason: systemError()) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw .isDirectory(path: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotRead(path: path, reason: systemError()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        if info.st_size > 0 { bytes.reserveCapacity(Int(info.st_size)) }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .cannotRead(path: path, reason: systemError()) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// `.NAME.tmp-PID` in the target's directory: the file a write by process `pid` fills.
    static func temporaryName(_ path: String, pid: pid_t) -> String {
        directoryName(path) + "/." + baseName(path) + ".tmp-\(pid)"
    }

    static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}

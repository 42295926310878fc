// Reading one input file into memory: read into a buffer that the worker reuses from file to
// file (no fresh pages per file), and inflated through zlib when it starts with the gzip
// magic bytes, whatever its name.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Growable memory, reused: its contents are replaced by each read.
final class ReadBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init() {
        capacity = 1 << 16
        base = malloc(capacity)!.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(base) }

    /// Makes room for at least `n` bytes, keeping the contents.
    func reserve(_ n: Int) throws {
        guard n > capacity else { return }
        var size = capacity
        while size < n { size *= 2 }
        guard let p = realloc(base, size) else {
            throw ExecutionError.failed("out of memory reading a file", range: nil)
        }
        base = p.assumingMemoryBound(to: UInt8.self)
        capacity = size
    }
}

/// Where a worker reads a file: into `data` from `offset` on (its own buffer from 0, or a
/// segment's text after the files it keeps, `EventSegment.text`), and room to inflate a gzip
/// file into (`inflated`).
final class ReadBuffers {
    private let own = ReadBuffer()
    private(set) var data: ReadBuffer
    private(set) var offset = 0
    let inflated = ReadBuffer()

    init() { data = own }

    /// The next file is read into `buffer` from `offset` on.
    func target(_ buffer: ReadBuffer, at offset: Int) {
        data = buffer
        self.offset = offset
    }

    /// The next file is read into the worker's own buffer.
    func targetOwn() {
        data = own
        offset = 0
    }
}

/// How much a file may take in memory, and the token that stops reading it.
struct ReadLimits {
    /// The most bytes one file may inflate to (a gzip bomb stops here with an error).
    var maxBytes = Int.max
    var cancellation: CancellationToken?
}

/// The bytes of one file, valid until its buffers are read into again. `broken` tells of a
/// gzip stream that broke off or is corrupt: the bytes before the break are here, and the
/// load stops after their records.
struct InputFile {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// Size on disk (compressed size for gzip files), for progress.
    let diskSize: Int
    let broken: String?
    /// A part of a file whose last line was not read to its end, being longer than
    /// `RecordSize.maximum`.
    var cut = false
    /// The file's bytes as on disk (gzip still compressed) hashed in blocks of
    /// `WorkPlan.partSize` (`ContentHash.ofBlocks`), for incremental loads; 0 for bytes that
    /// came from memory.
    var diskHash: UInt64 = 0

    /// The bytes a `read` call asks for: a piece the hash reads while it is in the L2 cache.
    static let readPiece = 1 << 18

    /// Reads `path` into `buffers.data` (from `buffers.offset` on). Throws `ExecutionError.io`
    /// naming the file when it cannot be read, or when it would take more than `limits.maxBytes`.
    static func read(path: String, into buffers: ReadBuffers, limits: ReadLimits = ReadLimits()) throws -> InputFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError(path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ExecutionError.io(path: path, message: "is a directory", range: nil)
        }
        let buffer = buffers.data
        let at = buffers.offset
        var count = 0
        if Int(info.st_size) > limits.maxBytes { throw tooLarge(path, limits) }
        try buffer.reserve(at + Int(info.st_size) + 1)
        // Hashed as read (before gzip inflates the bytes elsewhere), a piece at a time while it
        // is still in the cache: hashed after the whole file, the bytes came from memory again.
        var hash = ContentHash.Blocks(blockSize: WorkPlan.partSize)
        while true {
            // Ctrl-C is looked at between pieces.
            try limits.cancellation?.check()
            if at + count == buffer.capacity {
                guard count < limits.maxBytes else { throw tooLarge(path, limits) }
                try buffer.reserve(at + count * 2)
            }
            let n = Glibc.read(fd, buffer.base + at + count, min(buffer.capacity - at - count, InputFile.readPiece))
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path)
            }
            if n == 0 { break }
            hash.add(UnsafeRawBufferPointer(start: buffer.base + at + count, count: n))
            count += n
        }
        var file = count >= 2 && buffer.base[at] == 0x1F && buffer.base[at + 1] == 0x8B
            ? try inflate(path: path, count: count, buffers: buffers, limits: limits)
            : InputFile(base: UnsafePointer(buffer.base + at), count: count, diskSize: count, broken: nil)
        file.diskHash = hash.value
        return file
    }

    /// Copies `bytes` (a file's contents held in memory, called `name`) into `buffers.data`
    /// (from `buffers.offset` on), inflating them when they are gzip.
    static func read(bytes: [UInt8], name: String, into buffers: ReadBuffers, limits: ReadLimits = ReadLimits()) throws -> InputFile {
        let buffer = buffers.data
        let at = buffers.offset
        if bytes.count > limits.maxBytes { throw tooLarge(name, limits) }
        try buffer.reserve(at + bytes.count + 1)
        bytes.withUnsafeBufferPointer { p in
            if let base = p.baseAddress { (buffer.base + at).update(from: base, count: p.count) }
        }
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            return try inflate(path: name, count: bytes.count, buffers: buffers, limits: limits)
        }
        return InputFile(base: UnsafePointer(buffer.base + at), count: bytes.count, diskSize: bytes.count, broken: nil)
    }

    /// Reads the bytes of `path` from `offset` to at least `end`, and on to the end of the line
    /// that is open there (through its `\n`), into `buffers.data` (from `buffers.offset` on).
    /// For a part of a file cut at line boundaries. A line longer than `RecordSize.maximum` is
    /// read no further than that past `end` (the result is then `cut`), so a file without
    /// newlines is not read whole by every part.
    static func read(path: String, from offset: Int, through end: Int, into buffers: ReadBuffers) throws -> InputFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path) }
        defer { close(fd) }
        let buffer = buffers.data
        let at = buffers.offset
        try buffer.reserve(at + end - offset + (1 << 16))
        var count = 0
        var scanned = max(0, end - offset - 1)
        while true {
            if at + count == buffer.capacity { try buffer.reserve(at + count * 2) }
            let want = count < end - offset ? end - offset - count : min(1 << 16, buffer.capacity - at - count)
            let n = pread(fd, buffer.base + at + count, want, off_t(offset + count))
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path)
            }
            count += n
            if n == 0 { break }
            if count >= end - offset {
                if scanned < count, memchr(buffer.base + at + scanned, 0x0A, count - scanned) != nil { break }
                scanned = count
                if count > end - offset + RecordSize.maximum {
                    var file = InputFile(base: UnsafePointer(buffer.base + at), count: count, diskSize: count, broken: nil)
                    file.cut = true
                    return file
                }
            }
        }
        return InputFile(base: UnsafePointer(buffer.base + at), count: count, diskSize: count, broken: nil)
    }

    /// A file larger in memory than a load may take.
    static func tooLarge(_ path: String, _ limits: ReadLimits) -> ExecutionError {
        .io(path: path, message: "larger than the memory limit of \(Limits.bytesText(limits.maxBytes)) once read "
            + "(SET memory_limit raises it)", range: nil)
    }

    private static func ioError(_ path: String) -> ExecutionError {
        let code = errno
        let message: String
        switch code {
        case ENOENT: message = "no such file or directory"
        case EACCES: message = "permission denied"
        case EISDIR: message = "is a directory"
        default: message = String(cString: strerror(code)).lowercased()
        }
        return ExecutionError.io(path: path, message: message, range: nil)
    }

    /// Inflates the gzip bytes in `buffers.data` (several concatenated members too) into
    /// `buffers.inflated`. A stream that breaks off or is corrupt keeps what was
    /// inflated before the break, and says so in `broken`. More than `limits.maxBytes` of
    /// output (a gzip bomb) is an error; Ctrl-C stops it between chunks.
    private static func inflate(path: String, count compressedCount: Int, buffers: ReadBuffers,
                                limits: ReadLimits) throws -> InputFile {
        var stream = z_stream()
        guard aq_inflate_init(&stream) == Z_OK else {
            throw ExecutionError.io(path: path, message: "cannot start gzip decompression", range: nil)
        }
        defer { inflateEnd(&stream) }
        let input = buffers.data.base + buffers.offset
        let out = buffers.inflated
        try out.reserve(min(max(compressedCount * 8, 1 << 16), max(limits.maxBytes, 1 << 16)))
        var produced = 0
        var consumed = 0
        var broken: String?
        while true {
            try limits.cancellation?.check()
            if produced == out.capacity {
                guard produced < limits.maxBytes else { throw tooLarge(path, limits) }
                try out.reserve(min(produced * 2, max(limits.maxBytes, produced + 1)))
            }
            stream.next_in = input + consumed
            let availIn = min(compressedCount - consumed, Int(UInt32.max))
            stream.avail_in = UInt32(availIn)
            stream.next_out = out.base + produced
            // At most 64 MB a call, so that Ctrl-C and the limit are looked at in between.
            let availOut = min(out.capacity - produced, 1 << 26)
            stream.avail_out = UInt32(availOut)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            consumed += availIn - Int(stream.avail_in)
            produced += availOut - Int(stream.avail_out)
            if status == Z_STREAM_END {
                // Another member may follow (`cat a.gz b.gz`); anything else after the end is ignored.
                if compressedCount - consumed >= 2, input[consumed] == 0x1F, input[consumed + 1] == 0x8B {
                    inflateReset(&stream)
                    continue
                }
                break
            }
            if status == Z_OK { continue }
            if status == Z_BUF_ERROR, stream.avail_out == 0 { continue }
            if status == Z_BUF_ERROR {
                broken = "gzip stream is truncated after \(LoadStopped.grouped(produced)) bytes"
            } else {
                broken = "gzip stream is corrupt after \(LoadStopped.grouped(produced)) bytes"
            }
            break
        }
        return InputFile(base: UnsafePointer(out.base), count: produced, diskSize: compressedCount, broken: broken)
    }
}

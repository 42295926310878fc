// Reading one input file into memory: mapped when it is a plain regular file, inflated
// through zlib when it starts with the gzip magic bytes (whatever its name).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// The bytes of one file, read-only, owned until deinit (an unmapped mapping or a freed
/// allocation). `warning` tells of a gzip stream that broke off: the bytes before the break
/// are here.
final class InputFile: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// Size on disk (compressed size for gzip files), for progress.
    let diskSize: Int
    let warning: String?
    private let mapped: Bool

    private init(base: UnsafePointer<UInt8>, count: Int, diskSize: Int, mapped: Bool, warning: String?) {
        self.base = base
        self.count = count
        self.diskSize = diskSize
        self.mapped = mapped
        self.warning = warning
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            free(UnsafeMutableRawPointer(mutating: base))
        }
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Reads `path`. Throws `ExecutionError.io` naming the file when it cannot be read.
    static func read(path: String) throws -> InputFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError(path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ExecutionError.io(path: path, message: "is a directory", range: nil)
        }
        let size = Int(info.st_size)
        var raw: InputFile
        if (info.st_mode & S_IFMT) == S_IFREG, size > 0,
           let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED {
            _ = madvise(p, size, MADV_SEQUENTIAL)
            raw = InputFile(base: UnsafePointer(p.assumingMemoryBound(to: UInt8.self)), count: size,
                            diskSize: size, mapped: true, warning: nil)
        } else {
            raw = try readAll(fd: fd, path: path, sizeHint: size)
        }
        if raw.count >= 2, raw.base[0] == 0x1F, raw.base[1] == 0x8B {
            raw = try inflate(raw, path: path)
        }
        return raw
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

    /// Reads a file that cannot be mapped (a pipe, a special file) until end of file.
    private static func readAll(fd: Int32, path: String, sizeHint: Int) throws -> InputFile {
        var capacity = max(sizeHint + 1, 1 << 16)
        guard var p = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else {
            throw ExecutionError.io(path: path, message: "out of memory", range: nil)
        }
        var count = 0
        while true {
            if count == capacity {
                capacity *= 2
                guard let q = realloc(p, capacity) else {
                    free(p)
                    throw ExecutionError.io(path: path, message: "out of memory", range: nil)
                }
                p = q.assumingMemoryBound(to: UInt8.self)
            }
            let n = Glibc.read(fd, p + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                free(p)
                throw ioError(path)
            }
            if n == 0 { break }
            count += n
        }
        return InputFile(base: UnsafePointer(p), count: count, diskSize: count, mapped: false, warning: nil)
    }

    /// Inflates a gzip file (several concatenated members too). A stream that breaks off or
    /// is corrupt keeps what was inflated before the break, with a warning.
    private static func inflate(_ compressed: InputFile, path: String) throws -> InputFile {
        var stream = z_stream()
        guard aq_inflate_init(&stream) == Z_OK else {
            throw ExecutionError.io(path: path, message: "cannot start gzip decompression", range: nil)
        }
        defer { inflateEnd(&stream) }
        var capacity = max(compressed.count * 6, 1 << 16)
        guard var out = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else {
            throw ExecutionError.io(path: path, message: "out of memory", range: nil)
        }
        var produced = 0
        var consumed = 0
        var warning: String?
        let input = UnsafeMutablePointer(mutating: compressed.base)
        while true {
            if produced == capacity {
                capacity *= 2
                guard let q = realloc(out, capacity) else {
                    free(out)
                    throw ExecutionError.io(path: path, message: "out of memory", range: nil)
                }
                out = q.assumingMemoryBound(to: UInt8.self)
            }
            stream.next_in = input + consumed
            let availIn = min(compressed.count - consumed, Int(UInt32.max))
            stream.avail_in = UInt32(availIn)
            stream.next_out = out + produced
            let availOut = min(capacity - produced, Int(UInt32.max))
            stream.avail_out = UInt32(availOut)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            consumed += availIn - Int(stream.avail_in)
            produced += availOut - Int(stream.avail_out)
            if status == Z_STREAM_END {
                // Another member may follow (`cat a.gz b.gz`); anything else after the end is ignored.
                if compressed.count - consumed >= 2, compressed.base[consumed] == 0x1F, compressed.base[consumed + 1] == 0x8B {
                    inflateReset(&stream)
                    continue
                }
                break
            }
            if status == Z_OK { continue }
            if status == Z_BUF_ERROR, stream.avail_out == 0 { continue }
            if status == Z_BUF_ERROR {
                warning = "gzip stream is truncated; loaded what was read before the end"
            } else {
                warning = "gzip stream is corrupt after \(produced) bytes; loaded what was read before it"
            }
            break
        }
        return InputFile(base: UnsafePointer(out), count: produced, diskSize: compressed.diskSize,
                         mapped: false, warning: warning)
    }
}

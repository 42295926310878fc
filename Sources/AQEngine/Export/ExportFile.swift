// A file being written by COPY: created (or truncated), written in large blocks, closed.
// A failed write names the file and the system's reason.

import Glibc

final class ExportFile {
    let path: String
    private let fd: Int32
    private(set) var offset: Int64 = 0

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExportFile.error(path, errno) }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, base + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ExportFile.error(path, errno)
                }
                done += n
            }
        }
        offset += Int64(bytes.count)
    }

    static func error(_ path: String, _ code: Int32) -> ExecutionError {
        .io(path: path, message: String(cString: strerror(code)).lowercased(), range: nil)
    }

    /// Creates `path` and its missing parents (as `mkdir -p`).
    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw error(prefix, errno) }
            prefix += "/"
        }
    }

    /// True if `path` is a directory with entries in it.
    static func isNonEmptyDirectory(_ path: String) -> Bool {
        guard let dir = opendir(path) else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { return true }
        }
        return false
    }
}

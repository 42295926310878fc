// The files a LOAD path names: the file itself, or every file under a directory (recursively,
// in sorted path order; names starting with '.' are passed over).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct InputPath {
    let path: String
    let size: Int
    /// A path inside the load that cannot be read (a directory that cannot be listed, a
    /// dangling link): the load fails before reading anything.
    var error: ExecutionError? = nil
    /// The file's contents when it comes from memory, not from disk (`path` then names it).
    var bytes: [UInt8]? = nil
    /// Modification time, nanoseconds since 1970 (0 when not known).
    var modified: Int64 = 0
    /// The resolved path, when the directory walk knew it (its directory's resolved path and
    /// the name of a file that is no link): nil to resolve `path` when asked.
    var canonical: String? = nil

    /// The file's identity, for incremental loads (nil for bytes from memory).
    var identity: FileIdentity? {
        guard bytes == nil, error == nil else { return nil }
        return FileIdentity(canonicalPath: canonical ?? InputPaths.resolved(path) ?? path, size: size, modified: modified)
    }
}

extension stat {
    /// Modification time in nanoseconds since 1970.
    var modifiedNanoseconds: Int64 {
        Int64(st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st_mtim.tv_nsec)
    }
}

enum InputPaths {
    /// The files of `path` and whether `path` is a directory. Throws `ExecutionError.io` for a
    /// path that does not exist or a directory that cannot be listed.
    static func list(_ path: String) throws -> (files: [InputPath], isDirectory: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw error(path) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            return ([InputPath(path: path, size: Int(info.st_size), modified: info.modifiedNanoseconds)], false)
        }
        var files: [InputPath] = []
        var visited: Set<[UInt64]> = []
        try walk(path, top: true, &files, &visited)
        // Byte order of the paths (compared as bytes: String's own order is slower and not bytewise).
        let keyed = files.map { (Array($0.path.utf8), $0) }.sorted { a, b in
            let n = min(a.0.count, b.0.count)
            let c = n == 0 ? 0 : a.0.withUnsafeBytes { pa in b.0.withUnsafeBytes { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) } }
            return c != 0 ? c < 0 : a.0.count < b.0.count
        }
        files = keyed.map { $0.1 }
        return (files, true)
    }

    private static func walk(_ directory: String, top: Bool = false, _ files: inout [InputPath],
                             _ visited: inout Set<[UInt64]>) throws {
        var info = stat()
        guard stat(directory, &info) == 0 else { throw error(directory) }
        // A symbolic link back up the tree would loop forever.
        guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
        guard let dir = opendir(directory) else {
            // The load's own directory fails at once; one inside it, at its place in path order.
            if top { throw error(directory) }
            files.append(InputPath(path: directory, size: 0, error: error(directory)))
            return
        }
        defer { closedir(dir) }
        var names: [(name: String, type: UInt8)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append((name, entry.pointee.d_type))
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        // Resolved once for the directory: a file in it that is no link resolves to this and
        // its name (a `realpath` per file took a system call per directory above it).
        let resolvedPrefix = resolved(directory).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        for (name, type) in names {
            let child = prefix + name
            var childInfo = stat()
            guard stat(child, &childInfo) == 0 else {
                // A dangling link: the load fails before it reads anything.
                files.append(InputPath(path: child, size: 0, error: error(child)))
                continue
            }
            if (childInfo.st_mode & S_IFMT) == S_IFDIR {
                try walk(child, &files, &visited)
            } else {
                var file = InputPath(path: child, size: Int(childInfo.st_size), modified: childInfo.modifiedNanoseconds)
                if let resolvedPrefix, !isLink(child, type: type) { file.canonical = resolvedPrefix + name }
                files.append(file)
            }
        }
    }

    /// Whether the directory entry `path` (of `readdir` type `type`) is a symbolic link.
    private static func isLink(_ path: String, type: UInt8) -> Bool {
        if type == UInt8(DT_LNK) { return true }
        guard type == UInt8(DT_UNKNOWN) else { return false }
        var info = stat()
        return lstat(path, &info) != 0 || (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The absolute path of `path` with every link resolved (`realpath`); nil when it cannot
    /// be resolved.
    static func resolved(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard realpath(path, &buffer) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func error(_ path: String) -> ExecutionError {
        let code = errno
        let message: String
        switch code {
        case ENOENT: message = "no such file or directory"
        case EACCES: message = "permission denied"
        default: message = String(cString: strerror(code)).lowercased()
        }
        return ExecutionError.io(path: path, message: message, range: nil)
    }
}

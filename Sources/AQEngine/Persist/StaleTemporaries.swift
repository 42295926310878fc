// Temporary files that a SAVE interrupted by a crash, a kill or a power cut left beside its
// store (`.NAME.tmp-PID`, see `StoreFile.write`). The next SAVE or OPEN of that store
// removes each one that no write can still be filling:
//
// - its name is exactly `.NAME.tmp-` and the decimal PID of another process,
// - no process with that PID is running (`kill(pid, 0)` says there is none), and
// - it is a regular file (not followed if a link) whose `flock` can be taken at once:
//   a write holds that lock from just after creating the file until it is renamed or
//   removed, and the system drops it when the writer dies.
//
// A file that fails any of these is left alone, so a SAVE in progress in another process,
// even one whose PID this process cannot see, keeps its file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary file left by an interrupted write of a store, and what became of it.
public struct StaleTemporary: Sendable, Equatable {
    public var path: String
    /// nil when it was removed; else why not (the system's words).
    public var failure: String?

    /// The note `SAVE` and `OPEN` give about it.
    public var note: String {
        if let failure { return "note: cannot remove \(path), left by an interrupted SAVE: \(failure)" }
        return "note: removed \(path), left by an interrupted SAVE"
    }
}

extension StoreFile {
    /// Removes the temporary files that interrupted writes of the store at `path` left and
    /// that no write can still be filling (the rule above); returns those it found so.
    public static func removeStaleTemporaries(of path: String) -> [StaleTemporary] {
        let directory = directoryName(path)
        let prefix = "." + baseName(path) + ".tmp-"
        guard let dir = opendir(directory) else { return [] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(prefix) { names.append(name) }
        }
        closedir(dir)
        var found: [StaleTemporary] = []
        for name in names.sorted() {
            let digits = name.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let pid = pid_t(digits), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let file = directory + "/" + name
            var info = stat()
            guard lstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else {
                if errno != ENOENT { found.append(StaleTemporary(path: file, failure: systemError())) }
                continue
            }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            if unlink(file) == 0 {
                found.append(StaleTemporary(path: file, failure: nil))
            } else if errno != ENOENT {
                found.append(StaleTemporary(path: file, failure: systemError()))
            }
        }
        return found
    }
}

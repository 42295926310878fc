// Asking the kernel to read a unit's files into the page cache before a worker reads them:
// a load's files often are not in memory (the page cache of a machine that holds many data
// sets is short-lived), and a reader that waits on the disk leaves its core idle.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ReadAhead {
    /// Starts reading the bytes of `unit` from disk in the background (`POSIX_FADV_WILLNEED`),
    /// so that the worker that takes it later finds them in memory. Returns at once; a file
    /// that cannot be opened is left to the read that reports it.
    static func start(_ unit: WorkUnit, files: [InputPath]) {
        switch unit {
        case .files(let range):
            for k in range where files[k].bytes == nil { start(path: files[k].path, offset: 0, length: 0) }
        case .part(let file, let bytes, _, _, _):
            start(path: files[file].path, offset: bytes.lowerBound, length: bytes.count)
        }
    }

    /// `length` 0: to the end of the file.
    private static func start(path: String, offset: Int, length: Int) {
        #if canImport(Glibc)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = posix_fadvise(fd, off_t(offset), off_t(length), POSIX_FADV_WILLNEED)
        close(fd)
        #endif
    }
}

// The one plain mutex: small state that several threads touch (a statement's kernel memos,
// a join's build, the memory watch's stop, the database's coverage cache and running
// statements). A pthread mutex, which ThreadSanitizer understands.

#if canImport(Glibc)
import Glibc
#endif

/// A plain mutex.
final class PlainMutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

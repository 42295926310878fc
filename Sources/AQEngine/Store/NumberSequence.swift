// A sequence of the catalog (`CREATE SEQUENCE`): a counter that `nextval('name')` advances
// and `currval('name')` reads. Statements on several threads share it behind a lock.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class NumberSequence: @unchecked Sendable {
    public let name: String
    public let start: Int64
    public let increment: Int64
    /// The value `nextval` gave last; nil until it first runs.
    private var last: Int64?
    /// A pthread mutex (which ThreadSanitizer understands) guarding `last`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    public init(name: String, start: Int64, increment: Int64) {
        self.name = name
        self.start = start
        self.increment = increment
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The next `count` values, in order; nil when they would pass the range of BIGINT
    /// (then the sequence does not move).
    func next(_ count: Int) -> [Int64]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var out = [Int64]()
        out.reserveCapacity(count)
        var value = last
        for _ in 0..<count {
            if let v = value {
                let (n, overflow) = v.addingReportingOverflow(increment)
                if overflow { return nil }
                value = n
            } else {
                value = start
            }
            out.append(value ?? start)
        }
        if count > 0 { last = value }
        return out
    }

    /// The value `nextval` gave last, or nil when it has not run.
    var current: Int64? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return last
    }
}

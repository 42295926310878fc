// The threads that run morsels and a load's readers and packers: started when first needed,
// then kept, each waiting for the next job, so that a pipeline neither pays for starting
// threads nor waits for the system to give a new thread a core (on a busy machine that took
// longer than a short query's morsels). A job that runs long (a load's reader) holds its
// thread and the next job gets another: Dispatch's global queues, which allow one thread a
// core and add more only when their manager looks again (about once a second), left a load's
// packing waiting that long behind its readers. A thread that finishes a job looks for the next
// one for a moment before it sleeps: waking a sleeping thread took up to two milliseconds on a
// virtual machine's idle core, as long as a short query's morsels, so back-to-back statements
// and pipelines left one thread doing most of the morsels while the other was being woken.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A pool of worker threads with large stacks (expressions are evaluated recursively, see
/// `DeepStack`). A job runs on an idle thread, or on a new one when none is idle; threads are
/// never ended, so the pool holds as many as were ever busy at once.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let queued = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [() -> Void] = []
    private var idle = 0
    /// Jobs queued and not yet taken, read without the lock by a thread looking for work.
    private let queuedJobs = Atomic<Int>(0)
    /// Threads looking for work before they sleep; at most one fewer than the cores, so that
    /// they never take a core from a thread with work.
    private var spinning = 0
    private let maxSpinning = Swift.max(0, sysconf(Int32(_SC_NPROCESSORS_ONLN)) - 1)

    /// How long a thread that found no job keeps looking before it sleeps.
    static let spinNanoseconds = 2_000_000

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(queued, nil)
    }

    /// Worker threads' stack size: a statement's (`DeepStack`), since statements run on them
    /// too. Reserved, not committed: only the pages a thread touches cost memory.
    static var stackSize: Int { 512 << 20 }

    /// Marks the pool's threads (set to a non-nil value on them).
    private static let marker: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()

    /// Whether the calling thread is one of a pool's.
    static var onPoolThread: Bool {
        guard let marker else { return false }
        return pthread_getspecific(marker) != nil
    }

    /// Runs `body` on a pool thread and returns once it has run; false (and `body` not run)
    /// when no thread was idle and none could be started.
    /// `body` is let go before the caller wakes, so a non-escaping closure passed through it
    /// (`withoutActuallyEscaping`) is no longer held when the caller returns.
    func runAndWait(_ body: @escaping () -> Void) -> Bool {
        let done = Completion(body)
        guard submit({ done.run() }) else { return false }
        done.wait()
        return true
    }

    /// Runs `job` on a pool thread; false (and `job` not run) when no thread was idle and
    /// none could be started.
    func submit(_ job: @escaping () -> Void) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        jobs.append(job)
        queuedJobs.add(1, ordering: .releasing)
        if idle >= jobs.count {
            pthread_cond_signal(queued)
            return true
        }
        guard startThread() else {
            jobs.removeLast()
            queuedJobs.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// A pool thread's loop: the next job, or waiting for one.
    private func serve() {
        pthread_mutex_lock(mutex)
        while true {
            while jobs.isEmpty {
                idle += 1
                if spinning < maxSpinning {
                    spinning += 1
                    pthread_mutex_unlock(mutex)
                    lookForJob()
                    pthread_mutex_lock(mutex)
                    spinning -= 1
                }
                if jobs.isEmpty { pthread_cond_wait(queued, mutex) }
                idle -= 1
            }
            let job = jobs.removeFirst()
            queuedJobs.subtract(1, ordering: .relaxed)
            pthread_mutex_unlock(mutex)
            job()
            pthread_mutex_lock(mutex)
        }
    }

    /// Returns once a job is queued or `spinNanoseconds` have passed, giving the core to any
    /// other thread that wants it meanwhile.
    private func lookForJob() {
        let start = WorkerPool.now()
        var rounds = 0
        while queuedJobs.load(ordering: .acquiring) == 0 {
            rounds += 1
            if rounds % 64 == 0, WorkerPool.now() - start > WorkerPool.spinNanoseconds { return }
            sched_yield()
        }
    }

    private static func now() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return t.tv_sec * 1_000_000_000 + t.tv_nsec
    }

    private func startThread() -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, WorkerPool.stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let ok = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            if let marker = WorkerPool.marker { pthread_setspecific(marker, UnsafeRawPointer(bitPattern: 1)) }
            Unmanaged<WorkerPool>.fromOpaque(raw).takeRetainedValue().serve()
            return nil
        }, context)
        if ok != 0 { Unmanaged<WorkerPool>.fromOpaque(context).release() }
        return ok == 0
    }
}

/// One job and its end, waited for by the thread that submitted it.
private final class Completion: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let ended = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var body: (() -> Void)?
    private var done = false

    init(_ body: @escaping () -> Void) {
        self.body = body
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(ended, nil)
    }

    /// Runs the job, lets it go, then wakes the waiter.
    func run() {
        body?()
        body = nil
        signal()
    }

    deinit {
        pthread_cond_destroy(ended)
        pthread_mutex_destroy(mutex)
        ended.deallocate()
        mutex.deallocate()
    }

    private func signal() {
        pthread_mutex_lock(mutex)
        done = true
        pthread_cond_signal(ended)
        pthread_mutex_unlock(mutex)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while !done { pthread_cond_wait(ended, mutex) }
        pthread_mutex_unlock(mutex)
    }
}

/// A pool job handed to Dispatch instead, when the pool cannot start a thread: what it shares
/// is guarded as for the pool's own jobs (which take any closure), which Dispatch's `@Sendable`
/// parameter cannot see.
struct UncheckedJob: @unchecked Sendable {
    let run: () -> Void
}

// Runs the morsels of a pipeline on worker threads and hands their results back in morsel
// order, so that a parallel plan returns rows in the order a serial one would. The first
// morsel (in order) that fails decides the error; no morsel after a failed one is started.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Results of `work(0) … work(count - 1)`, computed by up to `threads` threads, read one at a
/// time in order with `next()`. At most `window` results wait unread, which bounds memory and
/// lets a LIMIT above stop the work early. With one thread, `next()` runs each morsel itself.
final class MorselRunner<R> {
    private let shared: Shared
    private let threads: Int
    private var workers: [pthread_t] = []
    private var started = false
    private var inline = false
    private var position = 0

    /// What the workers and the reader share, behind `mutex`.
    private final class Shared: @unchecked Sendable {
        let count: Int
        let window: Int
        let work: (Int) throws -> R
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        /// The next morsel to start, and the first that will not be started (after a failure,
        /// or when the reader went away).
        var nextMorsel = 0
        var stopAt: Int
        /// How many results the reader has taken.
        var consumed = 0
        var results: [Result<R, Error>?]

        init(count: Int, window: Int, work: @escaping (Int) throws -> R) {
            self.count = count
            self.window = window
            self.work = work
            self.stopAt = count
            self.results = Array(repeating: nil, count: count)
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(changed, nil)
        }

        deinit {
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(mutex)
            changed.deallocate()
            mutex.deallocate()
        }

        /// A worker's loop: take the next morsel while the window allows, run it, store its result.
        func runWorker() {
            pthread_mutex_lock(mutex)
            while true {
                while nextMorsel < stopAt, nextMorsel >= consumed + window {
                    pthread_cond_wait(changed, mutex)
                }
                guard nextMorsel < stopAt else { break }
                let morsel = nextMorsel
                nextMorsel += 1
                pthread_mutex_unlock(mutex)
                let result = Result { try work(morsel) }
                pthread_mutex_lock(mutex)
                results[morsel] = result
                if case .failure = result { stopAt = Swift.min(stopAt, morsel + 1) }
                pthread_cond_broadcast(changed)
            }
            pthread_mutex_unlock(mutex)
        }
    }

    /// Worker threads get large stacks: expressions are evaluated recursively (see DeepStack).
    static var stackSize: Int { 256 << 20 }

    init(count: Int, threads: Int, window: Int, work: @escaping (Int) throws -> R) {
        self.shared = Shared(count: count, window: Swift.max(1, window), work: work)
        self.threads = Swift.max(1, Swift.min(threads, count))
    }

    deinit { stop() }

    /// The next morsel's result in order, nil after the last; rethrows a morsel's error.
    func next() throws -> R? {
        guard position < shared.count else { return nil }
        if !started, threads > 1 { start() }
        if threads == 1 || inline {
            let morsel = position
            position += 1
            return try shared.work(morsel)
        }
        pthread_mutex_lock(shared.mutex)
        while shared.results[position] == nil, position < shared.stopAt {
            pthread_cond_wait(shared.changed, shared.mutex)
        }
        let result = shared.results[position]
        shared.results[position] = nil
        position += 1
        shared.consumed = position
        pthread_cond_broadcast(shared.changed)
        pthread_mutex_unlock(shared.mutex)
        guard let result else { return nil }
        return try result.get()
    }

    /// Starts the workers; if no thread can be started, the reader runs the morsels itself.
    private func start() {
        started = true
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, MorselRunner.stackSize)
        for _ in 0..<threads {
            let shared = self.shared
            let context = Unmanaged.passRetained(WorkerJob { shared.runWorker() }).toOpaque()
            var thread = pthread_t()
            let ok = pthread_create(&thread, &attributes, { raw in
                guard let raw else { return nil }
                Unmanaged<WorkerJob>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, context)
            if ok == 0 {
                workers.append(thread)
            } else {
                Unmanaged<WorkerJob>.fromOpaque(context).release()
            }
        }
        // No thread could be started: the reader runs every morsel itself, in order.
        inline = workers.isEmpty
    }

    /// Stops handing out morsels and waits for the running ones to finish.
    private func stop() {
        guard !workers.isEmpty else { return }
        pthread_mutex_lock(shared.mutex)
        shared.stopAt = Swift.min(shared.stopAt, shared.nextMorsel)
        pthread_cond_broadcast(shared.changed)
        pthread_mutex_unlock(shared.mutex)
        for thread in workers { pthread_join(thread, nil) }
        workers = []
    }
}

/// A worker thread's loop, kept alive by the thread until it returns.
private final class WorkerJob {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

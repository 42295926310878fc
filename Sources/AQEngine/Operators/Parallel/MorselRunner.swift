// Runs the morsels of a pipeline on worker threads and hands their results back in morsel
// order, so that a parallel plan returns rows in the order a serial one would. The first
// morsel (in order) that fails decides the error; no morsel after a failed one is started.
// The reader is one of the threads: while the result it waits for is not ready, it runs the
// next morsel itself, so `threads` threads run morsels and none sleeps on a busy core.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Results of `work(0) … work(count - 1)`, computed by up to `threads` threads (the reader and
/// `threads - 1` workers), read one at a time in order with `next()`. At most `window` results
/// wait unread, which bounds memory and lets a LIMIT above stop the work early. With one
/// thread, `next()` runs each morsel itself, in order.
final class MorselRunner<R> {
    private let shared: Shared
    private let threads: Int
    /// Workers started on the pool's threads (each returns to the pool once no morsel is left).
    private var workers = 0
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
        /// Workers running a morsel now (which `stop` waits for; a worker that has not yet
        /// taken one never will, and is not waited for).
        var running = 0
        var results: [Result<R, Error>?]
        /// What ran where, for EXPLAIN ANALYZE (thread 0 is the reader).
        let stats: MorselRunStats
        /// Whether a morsel may run twice (its work has no effect but its result): the reader
        /// then runs a morsel a worker is late with itself, and keeps the first result.
        let rerunsLate: Bool
        /// When each morsel was started (0: not yet).
        var startedAt: [Int64]

        init(count: Int, window: Int, threads: Int, rerunsLate: Bool, work: @escaping (Int) throws -> R) {
            self.count = count
            self.window = window
            self.work = work
            self.stopAt = count
            self.results = Array(repeating: nil, count: count)
            self.stats = MorselRunStats(threads: threads)
            self.rerunsLate = rerunsLate
            self.startedAt = Array(repeating: 0, count: count)
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
        func runWorker(_ worker: Int) {
            pthread_mutex_lock(mutex)
            while true {
                if nextMorsel < stopAt, nextMorsel >= consumed + window {
                    let start = ProfiledOperator.now()
                    while nextMorsel < stopAt, nextMorsel >= consumed + window {
                        pthread_cond_wait(changed, mutex)
                    }
                    stats.windowWait += ProfiledOperator.now() - start
                }
                guard nextMorsel < stopAt else { break }
                runOne(worker)
            }
            pthread_mutex_unlock(mutex)
        }

        /// Runs morsel `nextMorsel` on thread `worker` (called and returning with `mutex` held).
        func runOne(_ worker: Int) {
            let morsel = nextMorsel
            nextMorsel += 1
            run(morsel, on: worker)
        }

        /// Runs `morsel` on thread `worker` (called and returning with `mutex` held). Its result
        /// is kept unless another run of it gave one first.
        func run(_ morsel: Int, on worker: Int) {
            running += 1
            let start = ProfiledOperator.now()
            if startedAt[morsel] == 0 { startedAt[morsel] = start }
            pthread_mutex_unlock(mutex)
            let result = Result { try work(morsel) }
            let end = ProfiledOperator.now()
            pthread_mutex_lock(mutex)
            running -= 1
            stats.morsels[worker] += 1
            stats.busy[worker] += end - start
            if results[morsel] == nil, morsel >= consumed {
                results[morsel] = result
                if case .failure = result { stopAt = Swift.min(stopAt, morsel + 1) }
            }
            pthread_cond_broadcast(changed)
        }

        /// When the reader should run `morsel` itself, a worker being late with it: it started
        /// twice the mean time of a morsel ago. Nil when morsels may not run twice, or no
        /// morsel has finished to tell the mean.
        func lateAt(_ morsel: Int) -> Int64? {
            guard rerunsLate, startedAt[morsel] > 0 else { return nil }
            let finished = stats.morsels.reduce(0, +)
            guard finished > 0 else { return nil }
            return startedAt[morsel] + 2 * stats.busy.reduce(0, +) / Int64(finished)
        }
    }

    /// `rerunsLate`: `work` has no effect but its result, so a morsel may run twice (see
    /// `next()`).
    init(count: Int, threads: Int, window: Int, rerunsLate: Bool = false, work: @escaping (Int) throws -> R) {
        let threads = Swift.max(1, Swift.min(threads, count))
        self.shared = Shared(count: count, window: Swift.max(1, window), threads: threads, rerunsLate: rerunsLate, work: work)
        self.threads = threads
    }

    deinit { stop() }

    /// What ran where so far, in words (`MorselRunStats.summary`).
    var summary: String {
        pthread_mutex_lock(shared.mutex)
        defer { pthread_mutex_unlock(shared.mutex) }
        return shared.stats.summary(of: shared.count)
    }

    /// The next morsel's result in order, nil after the last; rethrows a morsel's error.
    func next() throws -> R? {
        guard position < shared.count else { return nil }
        if !started, threads > 1 { start() }
        if threads == 1 || inline {
            let morsel = position
            position += 1
            let start = ProfiledOperator.now()
            defer { shared.stats.morsels[0] += 1; shared.stats.busy[0] += ProfiledOperator.now() - start }
            return try shared.work(morsel)
        }
        pthread_mutex_lock(shared.mutex)
        while shared.results[position] == nil, position < shared.stopAt {
            // Rather than wait for a worker, run the next morsel the window allows.
            if shared.nextMorsel < shared.stopAt, shared.nextMorsel < shared.consumed + shared.window {
                shared.runOne(0)
                continue
            }
            // The morsel needed next runs on a worker. One that takes twice as long as a
            // morsel does is late (its thread lost its core to other work): run it here too.
            let start = ProfiledOperator.now()
            if let late = shared.lateAt(position) {
                if start >= late {
                    shared.stats.rerun += 1
                    shared.run(position, on: 0)
                    continue
                }
                MorselRunner.wait(shared.changed, shared.mutex, nanoseconds: late - start)
            } else {
                pthread_cond_wait(shared.changed, shared.mutex)
            }
            shared.stats.readerWait += ProfiledOperator.now() - start
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

    /// Waits on `condition` for at most `nanoseconds`.
    private static func wait(_ condition: UnsafeMutablePointer<pthread_cond_t>, _ mutex: UnsafeMutablePointer<pthread_mutex_t>,
                             nanoseconds: Int64) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let total = Int64(now.tv_nsec) + nanoseconds
        var deadline = timespec()
        deadline.tv_sec = now.tv_sec + Int(total / 1_000_000_000)
        deadline.tv_nsec = Int(total % 1_000_000_000)
        pthread_cond_timedwait(condition, mutex, &deadline)
    }

    /// Starts the workers on the pool's threads; if none can run, the reader runs the morsels
    /// itself.
    private func start() {
        started = true
        // The reader is thread 0.
        for worker in stride(from: 1, to: threads, by: 1) {
            let shared = self.shared
            if WorkerPool.shared.submit({ shared.runWorker(worker) }) { workers += 1 }
        }
        // No thread could be started: the reader runs every morsel itself, in order.
        inline = workers == 0
    }

    /// Stops handing out morsels and waits for the morsels running on workers to finish. A
    /// worker still waiting for a core is not waited for (on a busy machine that could take
    /// milliseconds after the reader did every morsel itself): it finds nothing left to run.
    private func stop() {
        guard workers > 0 else { return }
        pthread_mutex_lock(shared.mutex)
        shared.stopAt = Swift.min(shared.stopAt, shared.nextMorsel)
        pthread_cond_broadcast(shared.changed)
        while shared.running > 0 { pthread_cond_wait(shared.changed, shared.mutex) }
        pthread_mutex_unlock(shared.mutex)
        workers = 0
    }
}

/// How a runner's morsels ran: the morsels each thread ran (0: the reader) and the time they
/// took, the time the reader waited for the result next in order while no morsel was left
/// for it, and the time workers waited because `window` results were unread.
final class MorselRunStats {
    var morsels: [Int]
    var busy: [Int64]
    var readerWait: Int64 = 0
    var windowWait: Int64 = 0
    /// Morsels the reader ran again because a worker was late with them.
    var rerun = 0

    init(threads: Int) {
        morsels = Array(repeating: 0, count: threads)
        busy = Array(repeating: 0, count: threads)
    }

    /// For EXPLAIN ANALYZE, of a runner of `total` morsels: `8 morsels on 2 threads (4 + 4,
    /// busy 3.10 + 2.95 ms), reader waited 0.02 ms` (runs of a morsel run twice counted both).
    func summary(of total: Int) -> String {
        let ran = morsels.indices.filter { morsels[$0] > 0 }
        guard ran.count > 1 else { return "\(total) morsels on one thread" }
        func ms(_ ns: Int64) -> String { ProfileNode.format(Double(ns) / 1e6) }
        var text = "\(total) morsels on \(ran.count) threads (" + ran.map { "\(morsels[$0])" }.joined(separator: " + ")
        text += ", busy " + ran.map { ms(busy[$0]) }.joined(separator: " + ") + " ms)"
        text += ", reader waited " + ms(readerWait) + " ms"
        if windowWait > 0 { text += ", workers " + ms(windowWait) + " ms for the reader" }
        if rerun > 0 { text += ", \(rerun) late morsel" + (rerun == 1 ? "" : "s") + " run again by the reader" }
        return text
    }
}

// Work on several files at once, results in order: worker threads take items in sequence and
// the calling thread consumes each result in item order as soon as it is ready, so a load
// uses every core and still appends rows in path order.

import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum OrderedParallelRunner {
    /// The number of cores to use.
    static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    private final class Shared: @unchecked Sendable {
        let next = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        /// `R?` slots, one per item: each written by one worker, read after its semaphore.
        let results: UnsafeMutableRawPointer

        init(results: UnsafeMutableRawPointer) { self.results = results }
    }

    /// Runs `work(i, w)` for `i` in `0..<count` on up to `workers` threads (`w` numbers the
    /// thread, for per-thread state), and `consume(i, result)`
    /// on the calling thread in order of `i`. At most `window` results are done but not yet
    /// consumed, which bounds memory. `idle` is called on the calling thread about every 100 ms
    /// while it waits. When `consume` throws, the workers stop after their current item, and
    /// the error is rethrown once they have.
    static func run<R>(count: Int, workers: Int, window: Int, work: @escaping (_ item: Int, _ worker: Int) -> R,
                       idle: () -> Void, consume: (Int, R) throws -> Void) throws {
        guard count > 0 else { return }
        let workers = max(1, min(workers, count))
        let results = UnsafeMutablePointer<R?>.allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        let done = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        // Created at 0 and raised: libdispatch traps when a semaphore is freed below the value it
        // was created with, which happens when the consumer stops early.
        let permits = DispatchSemaphore(value: 0)
        for _ in 0..<max(window, workers) { permits.signal() }
        let shared = Shared(results: UnsafeMutableRawPointer(results))
        let group = DispatchGroup()
        for worker in 0..<workers {
            group.enter()
            // On a thread of `WorkerPool` (Dispatch's global queue when none can be started):
            // a worker holds its thread for the whole run, and on Dispatch's queues, which
            // allow one thread a core, it kept the load's packing waiting for a thread.
            let job = {
                defer { group.leave() }
                let results = shared.results.assumingMemoryBound(to: R?.self)
                while true {
                    permits.wait()
                    if shared.stop.load(ordering: .acquiring) {
                        permits.signal()
                        break
                    }
                    let i = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if i >= count {
                        permits.signal()
                        break
                    }
                    results[i] = work(i, worker)
                    done[i].signal()
                }
            }
            if !WorkerPool.shared.submit(job) {
                let unchecked = UncheckedJob(run: job)
                DispatchQueue.global().async { unchecked.run() }
            }
        }
        defer {
            shared.stop.store(true, ordering: .releasing)
            for _ in 0..<workers { permits.signal() }
            group.wait()
            results.deinitialize(count: count)
            results.deallocate()
        }
        for i in 0..<count {
            while done[i].wait(timeout: .now() + .milliseconds(100)) == .timedOut { idle() }
            guard let result = results[i].take() else { continue }
            try consume(i, result)
            permits.signal()
        }
    }
}

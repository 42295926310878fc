// Packing chunks off the loading thread: compressing text and shredding JSON take about as
// long as reading it, so each cut chunk is packed on a background thread (of `WorkerPool`,
// which the readers' long jobs cannot hold up) while the readers go on, and the packed
// chunks join the table in their order.

import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// What packing one chunk gives: the chunk as kept, and the dictionaries its JSON
/// sub-columns' codes refer to (per column and path), which the table keeps for those paths.
struct PackedChunk {
    var chunk: StoredChunk
    var pathDictionaries: [Int: [JSONKeyPath: StringDictionary]] = [:]
}

/// Packs chunks in the background and appends them to `table` in submission order. Used from
/// one thread (the loader's); `finish` waits for every chunk and appends the rest.
final class ChunkPacker: @unchecked Sendable {
    let table: Table
    private let group = DispatchGroup()
    /// Bounds the chunks being packed (their text is in memory until packed).
    private let slots: DispatchSemaphore
    private let inFlight: Int
    /// The packed chunks not yet appended, by ticket, under `lock` (a pthread mutex, whose
    /// ordering ThreadSanitizer sees).
    private var done: [Int: PackedChunk] = [:]
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var submitted = 0
    private var appended = 0

    init(table: Table, threads: Int = OrderedParallelRunner.cores) {
        self.table = table
        inFlight = max(2, threads * 2)
        // Created at 0 and raised: libdispatch traps when a semaphore is freed below its start.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<inFlight { slots.signal() }
        pthread_mutex_init(lock, nil)
    }

    deinit {
        group.wait()
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    private func withDone<R>(_ body: (inout [Int: PackedChunk]) -> R) -> R {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body(&done)
    }

    /// Packs a chunk with `pack` on a background thread (on this one when no thread can be
    /// started).
    func submit(_ pack: @escaping @Sendable () -> PackedChunk) {
        appendReady()
        slots.wait()
        let ticket = submitted
        submitted += 1
        group.enter()
        let job = { [self] in
            let packed = pack()
            withDone { $0[ticket] = packed }
            slots.signal()
            group.leave()
        }
        if !WorkerPool.shared.submit(job) { job() }
    }

    /// Waits for every chunk submitted and appends them.
    func finish() {
        group.wait()
        appendReady()
    }

    /// Appends the packed chunks that are next in order.
    private func appendReady() {
        while appended < submitted, let packed = withDone({ $0.removeValue(forKey: appended) }) {
            table.append(packed: packed.chunk, pathDictionaries: packed.pathDictionaries)
            appended += 1
        }
    }
}

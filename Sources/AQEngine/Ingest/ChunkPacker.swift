// Packing chunks off the loading thread: compressing text and shredding JSON take about as
// long as reading it, so each cut chunk is packed on a background thread (of `WorkerPool`,
// which the readers' long jobs cannot hold up) while the readers go on, and the packed
// chunks join the table in their order.

import Dispatch

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
    /// The packed chunks not yet appended, by ticket, under `lock` (`PlainMutex`, whose
    /// ordering ThreadSanitizer sees).
    private var done: [Int: PackedChunk] = [:]
    private let lock = PlainMutex()
    private var submitted = 0
    private var appended = 0

    init(table: Table, threads: Int = OrderedParallelRunner.cores) {
        self.table = table
        inFlight = max(2, threads * 2)
        // Created at 0 and raised: libdispatch traps when a semaphore is freed below its start.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<inFlight { slots.signal() }
    }

    deinit { group.wait() }

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
            lock.locked { done[ticket] = packed }
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
        while appended < submitted, let packed = lock.locked({ done.removeValue(forKey: appended) }) {
            table.append(packed: packed.chunk, pathDictionaries: packed.pathDictionaries)
            appended += 1
        }
    }
}

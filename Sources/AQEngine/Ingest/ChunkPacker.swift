// Packing chunks off the loading thread: compressing text and shredding JSON take about as
// long as reading it, so each cut chunk is packed on a background thread while the readers
// go on, and the packed chunks join the table in their order.

import Dispatch
import Synchronization

/// What packing one chunk gives: the chunk as kept, and what its JSON sub-columns' codes
/// refer to (per column and path): strings local to the chunk, or a dictionary the table
/// keeps for that path.
struct PackedChunk {
    var chunk: StoredChunk
    var pathStrings: [Int: [JSONKeyPath: StringHeap]] = [:]
    var pathDictionaries: [Int: [JSONKeyPath: StringDictionary]] = [:]
}

extension PackedChunk {
    /// A string column's chunk compressed (`rowRecords`: the record of each row, nil for one
    /// row per record) and, when `shred`, its JSON paths made sub-columns; with the strings
    /// the sub-columns' codes refer to.
    static func text(_ records: StringHeap, rowRecords: [UInt32]?, validity: Validity?, type: DataType,
                     shred: Bool) -> (StoredColumn, [JSONKeyPath: StringHeap]) {
        let packed = PackedText(records: records, rowRecords: rowRecords, validity: validity)
        guard shred else { return (.text(packed, type: type, paths: [:]), [:]) }
        let shredded = JSONShredder.shred(records, rowRecords: rowRecords, valid: validity)
        return (.text(packed, type: type, paths: shredded.paths), shredded.strings)
    }
}

/// Packs chunks in the background and appends them to `table` in submission order. Used from
/// one thread (the loader's); `finish` waits for every chunk and appends the rest.
final class ChunkPacker: @unchecked Sendable {
    let table: Table
    private let queue = DispatchQueue(label: "aq.pack", attributes: .concurrent)
    private let group = DispatchGroup()
    /// Bounds the chunks being packed (their text is in memory until packed).
    private let slots: DispatchSemaphore
    private let inFlight: Int
    private let done = Mutex<[Int: PackedChunk]>([:])
    private var submitted = 0
    private var appended = 0

    init(table: Table, threads: Int = OrderedParallelRunner.cores) {
        self.table = table
        inFlight = max(2, threads * 2)
        // Created at 0 and raised: libdispatch traps when a semaphore is freed below its start.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<inFlight { slots.signal() }
    }

    deinit {
        group.wait()
    }

    /// Packs a chunk with `pack` on a background thread.
    func submit(_ pack: @escaping @Sendable () -> PackedChunk) {
        appendReady()
        slots.wait()
        let ticket = submitted
        submitted += 1
        group.enter()
        queue.async { [self] in
            let packed = pack()
            done.withLock { $0[ticket] = packed }
            slots.signal()
            group.leave()
        }
    }

    /// Waits for every chunk submitted and appends them.
    func finish() {
        group.wait()
        appendReady()
    }

    /// Appends the packed chunks that are next in order.
    private func appendReady() {
        while appended < submitted, let packed = done.withLock({ $0.removeValue(forKey: appended) }) {
            table.append(packed: packed.chunk, pathStrings: packed.pathStrings, pathDictionaries: packed.pathDictionaries)
            appended += 1
        }
    }
}

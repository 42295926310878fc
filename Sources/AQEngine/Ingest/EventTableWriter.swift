// Appending segments to the `events` table, in order: each segment's local dictionary codes
// are remapped to the table's shared dictionaries, and rows are cut into full chunks of
// `Batch.capacity` rows however small the files were.

/// Writes segments into `events`. Not thread-safe: the loader calls it from one thread, in
/// path order. `finish` appends the last partial chunk.
final class EventTableWriter {
    let table: Table
    private let dictionaries: [StringDictionary]
    private var codes: [[UInt32]]
    private var times: [Int64] = []
    private var statuses: [Int64] = []
    private var successes: [UInt8] = []
    /// Per flat column: the chunk's string offsets, and the byte ranges of segments that make
    /// up its bytes (copied once, into an array of the exact size, when the chunk is cut).
    private var flatOffsets: [[UInt32]]
    private var flatParts: [[(bytes: [UInt8], range: Range<Int>)]]
    private var count = 0
    /// Segments with rows in the current chunk: given back to `pool` once it is cut.
    private var held: [EventSegment] = []
    private let pool: SegmentPool?

    init(table: Table, pool: SegmentPool? = nil) {
        self.table = table
        self.pool = pool
        dictionaries = DictColumn.allCases.map { table.dictionaries[$0.column.rawValue] ?? StringDictionary() }
        codes = Array(repeating: [], count: DictColumn.count)
        flatOffsets = Array(repeating: [], count: FlatColumn.count)
        flatParts = Array(repeating: [], count: FlatColumn.count)
        startChunk()
    }

    private func startChunk() {
        let n = Batch.capacity
        for k in 0..<DictColumn.count {
            codes[k] = []
            codes[k].reserveCapacity(n)
        }
        times = []; times.reserveCapacity(n)
        statuses = []; statuses.reserveCapacity(n)
        successes = []; successes.reserveCapacity(n)
        for k in 0..<FlatColumn.count {
            flatOffsets[k] = [0]
            flatOffsets[k].reserveCapacity(n + 1)
            flatParts[k] = []
        }
        count = 0
    }

    func append(_ segment: EventSegment) {
        guard segment.rowCount > 0 else {
            pool?.give(segment)
            return
        }
        defer { if count > 0 { held.append(segment) } else { pool?.give(segment) } }
        // Local code → table code; local code 0 (NULL) stays 0.
        let maps: [[UInt32]] = (0..<DictColumn.count).map { k in
            let local = segment.dictionaries[k]
            let global = dictionaries[k]
            var map = [UInt32](repeating: 0, count: local.count)
            for code in 1..<max(1, local.count) { map[code] = global.code(for: local.bytes(of: UInt32(code))) }
            return map
        }
        let width = DictColumn.count
        var row = 0
        segment.codes.withUnsafeBufferPointer { allCodes in
            while row < segment.rowCount {
                let n = rowsThatFit(segment, from: row, max: min(Batch.capacity - count, segment.rowCount - row))
                if n == 0 {
                    flush()
                    continue
                }
                for k in 0..<width {
                    maps[k].withUnsafeBufferPointer { map in
                        for r in row..<row + n { codes[k].append(map[Int(allCodes[r * width + k])]) }
                    }
                }
                times.append(contentsOf: segment.times[row..<row + n])
                statuses.append(contentsOf: segment.statuses[row..<row + n])
                successes.append(contentsOf: segment.successes[row..<row + n])
                for k in 0..<FlatColumn.count {
                    let ends = segment.flatEnds[k]
                    let lo = row == 0 ? 0 : ends[row - 1]
                    let hi = ends[row + n - 1]
                    let shift = Int(flatOffsets[k].last!) - lo
                    for r in row..<row + n { flatOffsets[k].append(UInt32(ends[r] + shift)) }
                    if hi > lo { flatParts[k].append((segment.flatBytes[k], lo..<hi)) }
                }
                count += n
                row += n
                if count == Batch.capacity { flush() }
            }
        }
    }

    /// How many of `limit` rows from `row` fit in the current chunk: a chunk's flat bytes stay
    /// within UInt32 offsets (a single row's value is at most `EventSegmentBuilder.maxFlatValue`).
    private func rowsThatFit(_ segment: EventSegment, from row: Int, max limit: Int) -> Int {
        var n = limit
        for k in 0..<FlatColumn.count {
            let ends = segment.flatEnds[k]
            let lo = row == 0 ? 0 : ends[row - 1]
            let room = Int(UInt32.max) - Int(flatOffsets[k].last!)
            while n > 0, ends[row + n - 1] - lo > room { n -= 1 }
        }
        return n
    }

    /// Appends the rows not yet in a chunk.
    func finish() {
        if count > 0 { flush() }
    }

    private func flush() {
        var columns = [Vector](repeating: Vector(type: .null, storage: .null(count: 0)), count: EventColumn.allCases.count)
        columns[EventColumn.time.rawValue] = EventTableWriter.integers(times, type: .timestamp)
        columns[EventColumn.status.rawValue] = EventTableWriter.integers(statuses, type: .integer)
        var validity: Validity?
        if successes.contains(2) {
            var v = Validity(allValid: count)
            for (i, s) in successes.enumerated() where s == 2 { v.set(i, valid: false) }
            validity = v
        }
        columns[EventColumn.success.rawValue] = Vector(type: .boolean, storage: .boolean(successes.map { $0 == 1 }),
                                                       validity: validity)
        for column in DictColumn.allCases {
            let c = codes[column.rawValue]
            var validity: Validity?
            if c.contains(0) {
                var v = Validity(allValid: count)
                for (i, code) in c.enumerated() where code == 0 { v.set(i, valid: false) }
                validity = v
            }
            columns[column.column.rawValue] = Vector(type: column.column.type,
                                                     storage: .string(.dictionary(codes: c, dictionary: dictionaries[column.rawValue])),
                                                     validity: validity)
        }
        for column in FlatColumn.allCases {
            let offsets = flatOffsets[column.rawValue]
            let parts = flatParts[column.rawValue]
            let total = Int(offsets[count])
            let bytes = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                var at = 0
                for part in parts {
                    part.bytes.withUnsafeBufferPointer { src in
                        let n = part.range.count
                        (out.baseAddress! + at).initialize(from: src.baseAddress! + part.range.lowerBound, count: n)
                        at += n
                    }
                }
                initialized = at
            }
            var validity: Validity?
            for i in 0..<count where offsets[i] == offsets[i + 1] {
                if validity == nil { validity = Validity(allValid: count) }
                validity!.set(i, valid: false)
            }
            columns[column.column.rawValue] = Vector(type: column.column.type,
                                                     storage: .string(.flat(StringHeap(bytes: bytes, offsets: offsets))),
                                                     validity: validity)
        }
        table.append(Batch(columns: columns, count: count))
        startChunk()
        if let pool {
            for segment in held { pool.give(segment) }
        }
        held.removeAll()
    }

    /// An int64 vector with `Int64.min` as NULL.
    private static func integers(_ values: [Int64], type: DataType) -> Vector {
        guard values.contains(Int64.min) else { return Vector(type: type, storage: .int64(values)) }
        var v = Validity(allValid: values.count)
        var stored = values
        for i in 0..<values.count where values[i] == Int64.min {
            v.set(i, valid: false)
            stored[i] = 0
        }
        return Vector(type: type, storage: .int64(stored), validity: v)
    }
}

// Appending segments to the `events` table, in order: each segment's local dictionary codes
// are remapped to the table's shared dictionaries, and rows are cut into full chunks of
// `Batch.capacity` rows however small the files were. A cut chunk is packed in the background
// (`ChunkPacker`): codes narrowed, the flat columns compressed (`raw` where it lies in the
// files' text, which the chunk holds until then). `raw`'s sub-columns are gathered here from
// the paths the readers noted (`ChunkPaths`), not parsed again.

/// Writes segments into `events`. Not thread-safe: the loader calls it from one thread, in
/// path order (so its per-row arrays go without run-time exclusivity checks). `finish`
/// appends the last partial chunk.
final class EventTableWriter {
    let table: Table
    private let dictionaries: [StringDictionary]
    @exclusivity(unchecked) private var codes: [[UInt32]]
    @exclusivity(unchecked) private var times: [Int64] = []
    @exclusivity(unchecked) private var statuses: [Int64] = []
    @exclusivity(unchecked) private var successes: [UInt8] = []
    /// Per flat column: the offsets of the chunk's records (a record's further rows share its
    /// strings), and the byte ranges of segments that make up its bytes (copied once, into an
    /// array of the exact size, when the chunk is cut).
    @exclusivity(unchecked) private var flatOffsets: [[UInt32]]
    @exclusivity(unchecked) private var flatParts: [[FlatPart]]
    /// The record of each row of the chunk, and whether any row repeats one.
    @exclusivity(unchecked) private var rowRecords: [UInt32] = []
    private var repeats = false
    private var count = 0
    private let packer: ChunkPacker
    /// Per flat column: the buffers its chunks' text is laid out in, used again once packed.
    private let textBuffers = FlatColumn.allCases.map { _ in TextBufferPool(limit: 8) }
    private let paths: ChunkPaths
    /// Segments with rows in the current chunk: held by the chunk until it is packed (its
    /// `raw` is compressed from their text), then given back to `pool`.
    private var leases: [SegmentLease] = []
    private let pool: SegmentPool?

    init(table: Table, pool: SegmentPool? = nil) {
        self.table = table
        self.pool = pool
        packer = ChunkPacker(table: table)
        paths = ChunkPaths(table: table, column: EventColumn.raw.rawValue)
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
        rowRecords = []
        rowRecords.reserveCapacity(n)
        repeats = false
        count = 0
    }

    func append(_ segment: EventSegment) {
        guard segment.rowCount > 0 else {
            pool?.give(segment)
            return
        }
        // The segment goes back to the pool (and to a reader, which empties it) only once this
        // append and every chunk holding it are done with it.
        let lease = SegmentLease(segment, pool: pool)
        defer { withExtendedLifetime(lease) {} }
        paths.begin(segment.paths)
        // Local code → table code; local code 0 (NULL) stays 0.
        let maps: [[UInt32]] = (0..<DictColumn.count).map { k in
            let local = segment.dictionaries[k]
            let global = dictionaries[k]
            var map = [UInt32](repeating: 0, count: local.count)
            // The table's slot of each string is fetched a few strings before its probe, which
            // misses the cache otherwise (the table's dictionaries outgrow it).
            let ahead = 8
            for code in 1..<max(1, local.count) {
                if code + ahead < local.count { global.prefetch(hash: local.hash(of: UInt32(code + ahead))) }
                map[code] = global.code(for: local.bytes(of: UInt32(code)), hash: local.hash(of: UInt32(code)))
            }
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
                if leases.last !== lease { leases.append(lease) }
                // Room made for the rows at once, then filled in place (no uniqueness or
                // capacity check of `codes` per row), a block of rows at a time: the segment's
                // codes are row-major, and a block's rows stay in the first-level cache while
                // each column takes its codes from them.
                let starts = (0..<width).map { k in
                    let start = codes[k].count
                    codes[k].append(contentsOf: repeatElement(0, count: n))
                    return start
                }
                let block = 256
                for first in stride(from: 0, to: n, by: block) {
                    let last = min(n, first + block)
                    for k in 0..<width {
                        let start = starts[k]
                        maps[k].withUnsafeBufferPointer { map in
                            codes[k].withUnsafeMutableBufferPointer { out in
                                for j in first..<last { out[start + j] = map[Int(allCodes[(row + j) * width + k])] }
                            }
                        }
                    }
                }
                times.append(contentsOf: segment.times[row..<row + n])
                statuses.append(contentsOf: segment.statuses[row..<row + n])
                successes.append(contentsOf: segment.successes[row..<row + n])
                appendFlat(segment, rows: row..<row + n)
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

    /// The flat values of `rows`: each record's strings once; a record's further rows point
    /// at it (the first row of a chunk that continues a record copies the record's strings).
    private func appendFlat(_ segment: EventSegment, rows: Range<Int>) {
        // The rows that start a record in this chunk, by the row their record's values are in.
        var origins: [Int] = []
        origins.reserveCapacity(rows.count)
        for r in rows {
            if segment.repeats[r], !rowRecords.isEmpty {
                rowRecords.append(rowRecords[rowRecords.count - 1])
                repeats = true
                continue
            }
            var origin = r
            while origin > 0, segment.repeats[origin] { origin -= 1 }
            if origin != r { repeats = true }
            origins.append(origin)
            rowRecords.append(UInt32(flatOffsets[0].count - 1 + origins.count - 1))
        }
        // Column by column, each column's arrays taken out of `self` while they grow.
        for k in 0..<FlatColumn.count {
            var offsets: [UInt32] = []
            var parts: [FlatPart] = []
            swap(&offsets, &flatOffsets[k])
            swap(&parts, &flatParts[k])
            appendFlat(segment, column: k, origins: origins, offsets: &offsets, parts: &parts)
            swap(&offsets, &flatOffsets[k])
            swap(&parts, &flatParts[k])
        }
        let first = flatOffsets[0].count - 1 - origins.count
        for (i, origin) in origins.enumerated() {
            paths.add(record: first + i, notes: (origin == 0 ? 0 : segment.pathEnds[origin - 1])..<segment.pathEnds[origin],
                      from: segment.paths)
        }
    }

    /// Column `k`'s values of the rows `origins`: their lengths, and the runs of bytes they are.
    private func appendFlat(_ segment: EventSegment, column k: Int, origins: [Int], offsets: inout [UInt32],
                            parts: inout [FlatPart]) {
        let ends = segment.flatEnds[k]
        let text = k == FlatColumn.raw.rawValue ? segment.text.map { UnsafePointer($0.base) } : nil
        let bytes = segment.flatBytes[k]
        // `last!`: the offsets start with [0] in every chunk.
        var end = offsets.last!
        for origin in origins {
            var lo = origin == 0 ? 0 : ends[origin - 1]
            var hi = ends[origin]
            end += UInt32(hi - lo)
            offsets.append(end)
            guard hi > lo else { continue }
            if k == FlatColumn.raw.rawValue {
                // `raw`'s ends count lengths; its bytes are where the row's source says.
                (lo, hi) = (segment.rawStarts[origin], segment.rawStarts[origin] + hi - lo)
                if segment.rawInText[origin], let text {
                    if let last = parts.last, last.range.upperBound == lo, case .text(let t) = last.owner, t == text {
                        parts[parts.count - 1].range = last.range.lowerBound..<hi
                    } else {
                        parts.append(FlatPart(owner: .text(text), range: lo..<hi))
                    }
                    continue
                }
            }
            if let last = parts.last, last.range.upperBound == lo, case .bytes(let b) = last.owner, b.count == bytes.count,
               b.withUnsafeBufferPointer({ $0.baseAddress }) == bytes.withUnsafeBufferPointer({ $0.baseAddress }) {
                parts[parts.count - 1].range = last.range.lowerBound..<hi
            } else {
                parts.append(FlatPart(owner: .bytes(bytes), range: lo..<hi))
            }
        }
    }

    /// Appends the rows not yet in a chunk, and waits until every chunk is packed and in the table.
    func finish() {
        if count > 0 { flush() }
        packer.finish()
    }

    private func flush() {
        var columns = [StoredColumn](repeating: .vector(Vector(type: .null, storage: .null(count: 0))),
                                    count: EventColumn.allCases.count)
        columns[EventColumn.time.rawValue] = .vector(EventTableWriter.integers(times, type: .timestamp))
        columns[EventColumn.status.rawValue] = .vector(EventTableWriter.integers(statuses, type: .integer))
        var validity: Validity?
        if successes.contains(2) {
            var v = Validity(allValid: count)
            for (i, s) in successes.enumerated() where s == 2 { v.set(i, valid: false) }
            validity = v
        }
        columns[EventColumn.success.rawValue] = .vector(Vector(type: .boolean, storage: .boolean(successes.map { $0 == 1 }),
                                                               validity: validity))
        for column in DictColumn.allCases {
            let c = codes[column.rawValue]
            var validity: Validity?
            if c.contains(0) {
                var v = Validity(allValid: count)
                for (i, code) in c.enumerated() where code == 0 { v.set(i, valid: false) }
                validity = v
            }
            columns[column.column.rawValue] = .codes(NarrowCodes(c), dictionary: dictionaries[column.rawValue],
                                                     type: column.column.type, validity: validity)
        }
        // The flat columns' records, packed in the background: `raw` where it lies in the
        // files' text when it all does, else (and the other columns) copied once into buffers
        // used again chunk after chunk, laid out as their frames keep them (the bytes, then
        // the lengths).
        let textBuffers = self.textBuffers
        let flat = FlatColumn.allCases.map { column -> CutText in
            let offsets = flatOffsets[column.rawValue]
            let parts = flatParts[column.rawValue]
            let records = offsets.count - 1
            let validity = nullRows(offsets)
            if column == .raw, let (spans, layout) = EventTableWriter.spans(offsets: offsets, parts: parts) {
                return CutText(column: column, text: .spans(spans, layout: layout), records: records, validity: validity)
            }
            let laidOut = textBuffers[column.rawValue].take()
            let needed = Int(offsets[records]) + 4 * records
            // With room to spare, so that a somewhat larger chunk later does not move it.
            // Filled as a local (a record a part: no access check of the buffer's property each).
            var bytes: [UInt8] = []
            swap(&bytes, &laidOut.bytes)
            if bytes.capacity < needed { bytes.reserveCapacity(needed + needed / 8) }
            for part in parts {
                switch part.owner {
                case .bytes(let owner):
                    owner.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[part.range])) }
                case .text(let base):
                    bytes.append(contentsOf: UnsafeBufferPointer(start: base + part.range.lowerBound, count: part.range.count))
                }
            }
            let lengths = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: 4 * records))
            bytes.withUnsafeMutableBytes { out in
                for r in 0..<records {
                    let length = offsets[r + 1] - offsets[r]
                    out.storeBytes(of: length.littleEndian, toByteOffset: lengths + 4 * r, as: UInt32.self)
                }
            }
            swap(&bytes, &laidOut.bytes)
            return CutText(column: column, text: .laidOut(laidOut), records: records, validity: validity)
        }
        let rows = count
        let shared = repeats ? rowRecords : nil
        let pathValues = paths.take()
        let held = leases
        packer.submit { [columns, flat] in
            var columns = columns
            var dictionaries: [Int: [JSONKeyPath: StringDictionary]] = [:]
            for text in flat {
                let (column, records, validity) = (text.column, text.records, text.validity)
                let c = column.column.rawValue
                let packed: PackedText
                switch text.text {
                case .laidOut(let laidOut):
                    packed = PackedText(laidOut: laidOut.bytes, recordCount: records, rowRecords: shared, validity: validity)
                    textBuffers[column.rawValue].give(laidOut)
                case .spans(let spans, let layout):
                    // The segments' text stays put while they are held.
                    packed = withExtendedLifetime(held) {
                        PackedText(spans: spans, layout: layout, recordCount: records, rowRecords: shared, validity: validity)
                    }
                }
                guard column == .raw else {
                    columns[c] = .text(packed, type: column.column.type, paths: [:])
                    continue
                }
                let sub = ChunkPaths.subColumns(pathValues, records: records, rows: rows, rowRecords: shared,
                                                valid: validity)
                columns[c] = .text(packed, type: column.column.type, paths: sub.paths)
                if !sub.dictionaries.isEmpty { dictionaries[c] = sub.dictionaries }
            }
            return PackedChunk(chunk: StoredChunk(count: rows, columns: columns), pathDictionaries: dictionaries)
        }
        startChunk()
        leases.removeAll()
    }

    /// The rows of the current chunk whose record in a flat column with these `offsets` is
    /// empty (NULL), or nil when none is.
    private func nullRows(_ offsets: [UInt32]) -> Validity? {
        guard (0..<offsets.count - 1).contains(where: { offsets[$0] == offsets[$0 + 1] }) else { return nil }
        var validity: Validity?
        for i in 0..<count {
            let r = Int(rowRecords[i])
            guard offsets[r] == offsets[r + 1] else { continue }
            if validity == nil { validity = Validity(allValid: count) }
            validity!.set(i, valid: false)
        }
        return validity
    }

    /// A run of text may hold this many bytes between two records and stay one run (a
    /// CloudTrail file's `,` and the next file's opening, a line's end).
    static let maxGap = 4096

    /// The runs of the files' text that hold a chunk's records with these `offsets` and
    /// `parts`, and their lengths then gaps as `PackedText(spans:)` takes them; nil when a
    /// record is not in a file's text (a CSV row's `raw`, a gzip file's) or the records lie
    /// in more runs than a few (so that each run's frame stays large).
    private static func spans(offsets: [UInt32], parts: [FlatPart]) -> ([UnsafeRawBufferPointer], layout: [UInt8])? {
        let records = offsets.count - 1
        guard records > 0, !parts.isEmpty, parts.count <= records else { return nil }
        var spans: [UnsafeRawBufferPointer] = []
        var layout = [UInt8](repeating: 0, count: 8 * records)
        // The run being made (its text, start and end), the part being read and where in it.
        var base: UnsafePointer<UInt8>?
        var runStart = 0
        var runEnd = 0
        var part = -1
        var at = 0
        let fits = layout.withUnsafeMutableBytes { out -> Bool in
            for r in 0..<records {
                let length = offsets[r + 1] - offsets[r]
                out.storeBytes(of: length.littleEndian, toByteOffset: 4 * r, as: UInt32.self)
                guard length > 0 else { continue }
                if part < 0 || at == parts[part].range.upperBound {
                    part += 1
                    guard part < parts.count, case .text(let text) = parts[part].owner else { return false }
                    let range = parts[part].range
                    if text == base, range.lowerBound >= runEnd, range.lowerBound - runEnd <= maxGap {
                        let gap = UInt32(range.lowerBound - runEnd)
                        out.storeBytes(of: gap.littleEndian, toByteOffset: 4 * (records + r), as: UInt32.self)
                    } else {
                        if let base { spans.append(UnsafeRawBufferPointer(start: base + runStart, count: runEnd - runStart)) }
                        base = text
                        runStart = range.lowerBound
                    }
                    runEnd = range.upperBound
                    at = range.lowerBound
                }
                at += Int(length)
                guard at <= parts[part].range.upperBound else { return false }
            }
            return part == parts.count - 1 && at == runEnd
        }
        guard fits, let base else { return nil }
        spans.append(UnsafeRawBufferPointer(start: base + runStart, count: runEnd - runStart))
        guard spans.count <= max(4, records / 64) else { return nil }
        return (spans, layout)
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

/// A run of a chunk's flat bytes in a segment: in the segment's own bytes of the column, or in
/// a file's text the segment keeps (`raw`, a record a run: held by its address, which the
/// segment's `ReadBuffer` keeps, so that a run costs no retain). Read when the chunk is cut,
/// while the segment is held.
private struct FlatPart {
    enum Owner {
        case bytes([UInt8])
        case text(UnsafePointer<UInt8>)
    }
    let owner: Owner
    var range: Range<Int>
}

/// One flat column of a cut chunk on its way to the packer: its records laid out as the frame
/// keeps them, or the runs of the files' text that hold them; and the rows that are NULL.
private struct CutText {
    enum Text {
        case laidOut(TextBuffer)
        case spans([UnsafeRawBufferPointer], layout: [UInt8])
    }
    let column: FlatColumn
    let text: Text
    let records: Int
    let validity: Validity?
}

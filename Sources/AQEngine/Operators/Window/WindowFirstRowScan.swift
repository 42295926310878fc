// The first row of each partition straight over a table's stored chunks, for
// `QUALIFY row_number() OVER (PARTITION BY s ORDER BY t) = 1` where s is a string column
// kept as dictionary codes and t an integer or time column: each row's code is its
// partition's slot, its time is compared in place, and no column is unpacked or copied per
// row. Only the winning rows' columns are read, at the end. Parts of the chunks run on the
// workers and their slots are merged in chunk order, so ties keep the row read first and the
// answer is the serial one at any thread count.

final class PhysicalWindowFirstRowScan: PhysicalOperator, DescribesRun {
    let types: [DataType]
    private let scan: LogicalScan
    /// The scan columns each output column is (nil: the scan's own columns).
    private let projection: [Int]?
    /// Scan columns of the partition key and the ORDER BY key.
    private let partitionColumn: Int
    private let orderColumn: Int
    private let descending: Bool
    private let nullsFirst: Bool
    private let context: ExecutionContext
    /// The chunks there were when the operator was made.
    private let chunkCount: Int
    /// The general path, for a table whose chunks turn out not to be coded in one dictionary.
    private let fallback: () throws -> PhysicalOperator
    private var output: BatchSlicer?
    private var other: PhysicalOperator?
    private(set) var howItRan: String?

    /// Below this many rows per part, another part costs more than it shares.
    static let minimumRowsPerPart = 1 << 14
    static let partsPerThread = 4

    init(scan: LogicalScan, projection: [Int]?, partitionColumn: Int, orderColumn: Int, key: BoundSortKey,
         types: [DataType], _ context: ExecutionContext, fallback: @escaping () throws -> PhysicalOperator) {
        self.scan = scan
        self.projection = projection
        self.partitionColumn = partitionColumn
        self.orderColumn = orderColumn
        self.descending = key.descending
        self.nullsFirst = key.nullsFirst
        self.types = types
        self.context = context
        self.chunkCount = scan.table.chunkCount
        self.fallback = fallback
    }

    func next() throws -> Batch? {
        if let other { return try other.next() }
        if output == nil {
            guard let result = try run() else {
                let general = try fallback()
                other = general
                howItRan = "first row per partition in one pass (partition key not coded in one dictionary)"
                return try general.next()
            }
            output = result
        }
        return output?.next()
    }

    /// The stored partition codes and times of `chunk`, or nil when they are not codes of
    /// `dictionary` (set from the first chunk) and 64-bit integers.
    private func columns(_ chunk: StoredChunk, _ dictionary: inout StringDictionary?) -> (FirstRowCodes, Vector)? {
        let keys = chunk.columns[scan.columns[partitionColumn]]
        guard case .vector(let t) = chunk.columns[scan.columns[orderColumn]], case .int64 = t.storage else { return nil }
        let codes: FirstRowCodes
        let d: StringDictionary
        switch keys {
        case .codes(let narrow, let dict, _, let validity):
            codes = FirstRowCodes(narrow: narrow, validity: validity)
            d = dict
        case .vector(let v):
            guard case .string(.dictionary(let wide, let dict)) = v.storage else { return nil }
            codes = FirstRowCodes(narrow: .u32(wide), validity: v.validity)
            d = dict
        case .text:
            return nil
        }
        if let dictionary, dictionary !== d { return nil }
        dictionary = d
        return (codes, t)
    }

    /// The winners as batches, or nil when the general path must run.
    private func run() throws -> BatchSlicer? {
        let chunks = scan.table.storedChunks.prefix(chunkCount)
        var dictionary: StringDictionary?
        var stored: [(FirstRowCodes, Vector)] = []
        stored.reserveCapacity(chunks.count)
        var starts = [0]
        for chunk in chunks {
            guard let pair = columns(chunk, &dictionary) else { return nil }
            stored.append(pair)
            starts.append(starts[starts.count - 1] + chunk.count)
        }
        let rows = starts[starts.count - 1]
        // Slot 0: NULL; code k: slot k + 1; a code past the dictionary: the last slot.
        let entries = dictionary?.count ?? 0
        let slotCount = entries + 2
        let threads = context.threads
        let partCount = threads <= 1 ? 1
            : Swift.max(1, Swift.min(stored.count, threads * PhysicalWindowFirstRowScan.partsPerThread,
                                     rows / Swift.max(PhysicalWindowFirstRowScan.minimumRowsPerPart, slotCount)))
        let bounds = (0...partCount).map { $0 * stored.count / partCount }
        let mask: UInt64 = (1 << 63) ^ (descending ? ~0 : 0)
        let nullRank: UInt8 = nullsFirst ? 0 : 2
        let context = self.context
        let runner = MorselRunner<FirstRowSlots>(count: partCount, threads: threads, window: partCount) { k in
            let slots = FirstRowSlots(count: slotCount)
            for c in bounds[k]..<bounds[k + 1] {
                try context.cancellation.check()
                let (codes, times) = stored[c]
                guard case .int64(let t) = times.storage else { continue }
                slots.add(codes, t, times.validity, base: starts[c], entries: entries, mask: mask, nullRank: nullRank)
            }
            return slots
        }
        var merged: FirstRowSlots?
        while let part = try runner.next() {
            if let m = merged { m.merge(part) } else { merged = part }
        }
        let winners = merged?.winners() ?? []
        howItRan = "first row per partition over the stored chunks, codes as slots"
            + (partCount > 1 ? ", \(partCount) parts on \(threads) threads" : ", one thread")
        let width = projection?.count ?? scan.width
        var columns: [Vector] = []
        for c in 0..<width {
            columns.append(try gather(c, winners, chunks: Array(chunks), starts: starts))
        }
        let ones = Vector(type: .integer, storage: .int64([Int64](repeating: 1, count: winners.count)))
        return BatchSlicer(columns: columns + [ones], count: winners.count)
    }

    /// Output column `o` at table rows `winners` (ascending): stored codes of one dictionary
    /// and integers read in place, row by row; anything else read per chunk for the rows it holds.
    private func gather(_ o: Int, _ winners: [Int], chunks: [StoredChunk], starts: [Int]) throws -> Vector {
        let type = types[o]
        let c = projection?[o] ?? o
        if c < scan.columns.count, let direct = FirstRowGather.direct(chunks, column: scan.columns[c], type: type,
                                                                      winners, starts: starts) {
            return direct
        }
        let reader = ScanColumnReader(table: scan.table, columns: scan.columns, paths: scan.paths)
        var parts: [Vector] = []
        try FirstRowGather.forEachChunk(winners, starts: starts) { chunk, picks in
            parts.append(try reader.vectors(chunk: chunk, rows: picks)[c])
        }
        return Vector.concatenate(parts, type: type)
    }
}

/// Reading the winning rows of a stored column.
enum FirstRowGather {
    /// Calls `body` with each chunk holding some of `rows` (table rows, ascending) and their
    /// positions in it.
    static func forEachChunk(_ rows: [Int], starts: [Int], _ body: (Int, [Int32]) throws -> Void) rethrows {
        var w = 0
        var chunk = 0
        while w < rows.count {
            while starts[chunk + 1] <= rows[w] { chunk += 1 }
            var picks: [Int32] = []
            while w < rows.count, rows[w] < starts[chunk + 1] {
                picks.append(Int32(rows[w] - starts[chunk]))
                w += 1
            }
            try body(chunk, picks)
        }
    }

    /// Column `column` at `rows`, when every chunk keeps it as codes of one dictionary or as
    /// 64-bit integers; nil otherwise.
    static func direct(_ chunks: [StoredChunk], column: Int, type: DataType, _ rows: [Int], starts: [Int]) -> Vector? {
        var dictionary: StringDictionary?
        for chunk in chunks {
            switch chunk.columns[column] {
            case .codes(_, let d, _, _):
                guard dictionary == nil || dictionary === d, type.isString else { return nil }
                dictionary = d
            case .vector(let v):
                guard case .int64 = v.storage, type.isInt64Backed, dictionary == nil else { return nil }
            case .text:
                return nil
            }
        }
        guard !rows.isEmpty, type.isString == (dictionary != nil) else { return nil }
        var validity: Validity?
        func note(_ k: Int, _ valid: Validity?, _ i: Int) {
            guard let valid, !valid.isValid(i) else { return }
            if validity == nil { validity = Validity(allValid: rows.count) }
            validity?.set(k, valid: false)
        }
        var k = 0
        if let dictionary {
            var codes = [UInt32](repeating: 0, count: rows.count)
            forEachChunk(rows, starts: starts) { chunk, picks in
                guard case .codes(let narrow, _, _, let valid) = chunks[chunk].columns[column] else { return }
                for (j, code) in narrow.gathered(picks).enumerated() {
                    codes[k] = code
                    note(k, valid, Int(picks[j]))
                    k += 1
                }
            }
            return Vector(type: type, storage: .string(.dictionary(codes: codes, dictionary: dictionary)), validity: validity)
        }
        var values = [Int64](repeating: 0, count: rows.count)
        forEachChunk(rows, starts: starts) { chunk, picks in
            guard case .vector(let v) = chunks[chunk].columns[column], case .int64(let a) = v.storage else { return }
            for p in picks {
                values[k] = a[Int(p)]
                note(k, v.validity, Int(p))
                k += 1
            }
        }
        return Vector(type: type, storage: .int64(values), validity: validity)
    }
}

/// One chunk's stored partition codes, in the width they are kept.
struct FirstRowCodes {
    let narrow: NarrowCodes
    let validity: Validity?
}

/// Per partition slot, the best row so far: its ORDER BY word (order-preserving, inverted for
/// DESC), its rank (0 a NULL placed first, 1 a value, 2 a NULL placed last, 3 no row yet)
/// and its table row. A slot's word is 0 at rank 0 and all ones at ranks 2 and 3, so one
/// comparison `w <= word` finds every row that may win: a value wins at rank 1 when smaller,
/// at ranks 2 and 3 always, at rank 0 never.
final class FirstRowSlots {
    let count: Int
    private let word: UnsafeMutablePointer<UInt64>
    private let rank: UnsafeMutablePointer<UInt8>
    private let row: UnsafeMutablePointer<Int>

    init(count: Int) {
        self.count = count
        word = .allocate(capacity: count)
        word.initialize(repeating: .max, count: count)
        rank = .allocate(capacity: count)
        rank.initialize(repeating: 3, count: count)
        row = .allocate(capacity: count)
        row.initialize(repeating: -1, count: count)
    }

    deinit {
        word.deallocate()
        rank.deallocate()
        row.deallocate()
    }

    /// Folds one chunk: `codes` its partition codes, `times` its keys (`validity` their NULLs),
    /// `base` its first table row; codes past `entries` share the last slot.
    func add(_ codes: FirstRowCodes, _ times: [Int64], _ validity: Validity?, base: Int, entries: Int,
             mask: UInt64, nullRank: UInt8) {
        switch codes.narrow {
        case .u8(let a): a.withUnsafeBufferPointer { add($0, codes.validity, times, validity, base, entries, mask, nullRank) }
        case .u16(let a): a.withUnsafeBufferPointer { add($0, codes.validity, times, validity, base, entries, mask, nullRank) }
        case .u32(let a): a.withUnsafeBufferPointer { add($0, codes.validity, times, validity, base, entries, mask, nullRank) }
        }
    }

    @inline(__always)
    private func add<Code: FixedWidthInteger & UnsignedInteger>(
        _ codes: UnsafeBufferPointer<Code>, _ codeValidity: Validity?, _ times: [Int64], _ timeValidity: Validity?,
        _ base: Int, _ entries: Int, _ mask: UInt64, _ nullRank: UInt8) {
        let n = Swift.min(codes.count, times.count)
        let word = self.word, rank = self.rank, row = self.row
        times.withUnsafeBufferPointer { t in
            // The common case: no NULL key, no NULL time. One load of the code, the time and
            // the slot's word per row.
            if codeValidity == nil, timeValidity == nil {
                for i in 0..<n {
                    let g = Swift.min(Int(codes[i]), entries) &+ 1
                    let w = UInt64(bitPattern: t[i]) ^ mask
                    if w <= word[g], w < word[g] || rank[g] >= 2 {
                        word[g] = w
                        rank[g] = 1
                        row[g] = base &+ i
                    }
                }
                return
            }
            codeValidity.withView { kv in
                timeValidity.withView { tv in
                    for i in 0..<n {
                        let g = kv.isValid(i) ? Swift.min(Int(codes[i]), entries) &+ 1 : 0
                        if tv.isValid(i) {
                            let w = UInt64(bitPattern: t[i]) ^ mask
                            if w <= word[g], w < word[g] || rank[g] >= 2 {
                                word[g] = w
                                rank[g] = 1
                                row[g] = base &+ i
                            }
                        } else if nullRank < rank[g] {
                            word[g] = nullRank == 0 ? 0 : .max
                            rank[g] = nullRank
                            row[g] = base &+ i
                        }
                    }
                }
            }
        }
    }

    /// Takes from `later` (the slots of rows after all of these) each slot it holds a
    /// strictly better row for.
    func merge(_ later: FirstRowSlots) {
        for g in 0..<Swift.min(count, later.count) where later.row[g] >= 0 {
            let r = later.rank[g], mine = rank[g]
            if r < mine || (r == 1 && mine == 1 && later.word[g] < word[g]) {
                word[g] = later.word[g]
                rank[g] = r
                row[g] = later.row[g]
            }
        }
    }

    /// The winning table rows, ascending.
    func winners() -> [Int] {
        var out: [Int] = []
        for g in 0..<count where row[g] >= 0 { out.append(row[g]) }
        out.sort()
        return out
    }
}

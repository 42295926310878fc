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

    /// The stored partition codes and times of chunk `c`, or nil when they are not codes of
    /// `dictionary` (set from the first chunk) and 64-bit integers.
    private func columns(_ c: Int, _ dictionary: inout StringDictionary?) -> (FirstRowCodes, Vector)? {
        let table = scan.table
        guard let keys = table.storedColumn(chunk: c, column: scan.columns[partitionColumn]),
              let times = table.storedColumn(chunk: c, column: scan.columns[orderColumn]),
              case .vector(let t) = times, case .int64 = t.storage else { return nil }
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
        let table = scan.table
        let chunks = Swift.min(chunkCount, table.chunkCount)
        var dictionary: StringDictionary?
        var stored: [(FirstRowCodes, Vector)] = []
        stored.reserveCapacity(chunks)
        var starts = [0]
        for c in 0..<chunks {
            guard let pair = columns(c, &dictionary) else { return nil }
            stored.append(pair)
            starts.append(starts[c] + table.rows(ofChunk: c))
        }
        let rows = starts[chunks]
        // Slot 0: NULL; code k: slot k + 1; a code past the dictionary: the last slot.
        let entries = dictionary?.count ?? 0
        let slotCount = entries + 2
        let threads = context.threads
        var partCount = threads <= 1 ? 1
            : Swift.min(chunks, threads * PhysicalWindowFirstRowScan.partsPerThread,
                        rows / Swift.max(PhysicalWindowFirstRowScan.minimumRowsPerPart, slotCount))
        partCount = Swift.max(1, partCount)
        let bounds = (0...partCount).map { $0 * chunks / partCount }
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
        return try gather(winners, starts: starts)
    }

    /// The output columns of `winners` (table rows, ascending) with row_number 1: each chunk's
    /// winning rows read alone.
    private func gather(_ winners: [Int], starts: [Int]) throws -> BatchSlicer {
        let reader = ScanColumnReader(table: scan.table, columns: scan.columns, paths: scan.paths)
        let width = projection?.count ?? scan.width
        var parts = [[Vector]](repeating: [], count: width)
        var w = 0
        var chunk = 0
        while w < winners.count {
            while starts[chunk + 1] <= winners[w] { chunk += 1 }
            var picks: [Int32] = []
            while w < winners.count, winners[w] < starts[chunk + 1] {
                picks.append(Int32(winners[w] - starts[chunk]))
                w += 1
            }
            let vectors = try reader.vectors(chunk: chunk, rows: picks)
            for c in 0..<width { parts[c].append(vectors[projection?[c] ?? c]) }
        }
        let columns = (0..<width).map { c in Vector.concatenate(parts[c], type: types[c]) }
        let ones = Vector(type: .integer, storage: .int64([Int64](repeating: 1, count: winners.count)))
        return BatchSlicer(columns: columns + [ones], count: winners.count)
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

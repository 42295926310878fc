// ORDER BY … LIMIT n [OFFSET m] without sorting everything: keeps the best n + m rows seen
// so far; once it has them, a new row enters only if it sorts before the current last
// one (a tie does not: the earlier row wins, as in a stable sort). When the first key is
// a number or time, rows are screened on that key's words alone, and a batch contributes
// at most about n + m rows (its own best), so an input that arrives in sorted order costs
// little more than a scan.

final class PhysicalTopN: PhysicalOperator {
    let types: [DataType]
    private let input: PhysicalOperator
    private let keys: [BoundSortKey]
    private let limit: Int
    private let offset: Int
    private let context: ExecutionContext
    private var result: SortedRows?
    /// Whether the input's last column is a row position, sorted on last and not returned.
    private let hiddenRowID: Bool
    /// The first key of the current last kept row, once `limit + offset` rows are kept.
    private(set) var boundaryWord: (rank: UInt8, word: UInt64)?

    init(_ input: PhysicalOperator, keys: [BoundSortKey], limit: Int, offset: Int, _ context: ExecutionContext,
         hiddenRowID: Bool = false) {
        self.input = input
        self.keys = keys
        self.limit = Swift.max(0, limit)
        self.offset = Swift.max(0, offset)
        self.hiddenRowID = hiddenRowID
        self.types = hiddenRowID ? Array(input.types.dropLast()) : input.types
        self.context = context
    }

    func next() throws -> Batch? {
        if result == nil { result = try consume() }
        guard var batch = result?.next() else { return nil }
        if hiddenRowID { batch.columns.removeLast() }
        return batch
    }

    private func consume() throws -> SortedRows {
        let keep = limit + offset
        let types = input.types
        var buffer = SortBuffer(types: types, keys: keys)
        guard keep > 0, !keys.isEmpty else {
            while let batch = try input.next(), buffer.count < keep {
                buffer.append(batch, keys: Batch(columns: [], count: batch.count))
            }
            return try buffer.sorted(limit: limit, offset: offset)
        }
        /// The keys of the current last kept row, once `keep` rows are kept.
        var boundary: [Vector]?
        let directions = buffer.directions
        let first = keys[0]
        while let batch = try input.next() {
            try context.cancellation.check()
            var keyColumns = try keys.map { try ExpressionEvaluator.evaluate($0.expr, batch, context) }
            var selected: [Int32]?
            /// Of `rows` (all rows when nil), those whose full keys sort before the boundary's.
            func beforeBoundary(_ rows: [Int32]?, _ boundary: [Vector]) -> [Int32] {
                let candidates = rows.map { r in keyColumns.map { $0.gather(r) } } ?? keyColumns
                let n = rows?.count ?? batch.count
                // Row 0 is the boundary; row i + 1 is candidate i.
                let joined = zip(boundary, candidates).map { Vector.concatenate([$0, $1], type: $0.type) }
                let ordering = RowOrdering(joined, directions: directions, count: n + 1)
                return (0..<n).compactMap { i in
                    ordering.compareKeys(i + 1, 0) < 0 ? (rows.map { $0[i] } ?? Int32(i)) : nil
                }
            }
            if let words = KeyWords(keyColumns[0], descending: first.descending, nullsFirst: first.nullsFirst) {
                let ties: (([Int32]) -> [Int32])? = keys.count == 1 || boundary == nil ? nil : { beforeBoundary($0, boundary!) }
                selected = words.screen(count: batch.count, boundary: boundaryWord, keep: keep, resolveTies: ties)
            } else if let boundary {
                selected = beforeBoundary(nil, boundary)
            }
            var rows = batch
            if let selected {
                if selected.isEmpty { continue }
                if selected.count < batch.count {
                    rows = batch.gather(selected)
                    keyColumns = keyColumns.map { $0.gather(selected) }
                }
            }
            buffer.append(rows, keys: Batch(columns: keyColumns, count: rows.count))
            if buffer.count >= keep + Batch.capacity || (boundary == nil && buffer.count >= keep) {
                let best = try buffer.sorted(limit: keep, offset: 0).all()
                buffer = SortBuffer(types: types, keys: keys)
                buffer.append(best.data, keys: best.keys)
                if best.data.count == keep {
                    let last = best.keys.columns.map { $0.gather([Int32(keep - 1)]) }
                    boundary = last
                    boundaryWord = KeyWords(last[0], descending: first.descending, nullsFirst: first.nullsFirst)?.key(0)
                }
            }
        }
        return try buffer.sorted(limit: limit, offset: offset)
    }
}

/// A sort key of numbers, times or booleans as (NULL rank, word) pairs that order as the
/// rows should come out, direction included.
struct KeyWords {
    let words: [UInt64]
    let validity: Validity?
    let allNull: Bool
    let nullsFirst: Bool

    init?(_ v: Vector, descending: Bool, nullsFirst: Bool) {
        // All ones flips the order of every word for a descending key.
        let flip: UInt64 = descending ? ~0 : 0
        var w: [UInt64]
        switch v.storage {
        case .int64(let a):
            w = [UInt64](unsafeUninitializedCapacity: a.count) { out, n in
                a.withUnsafeBufferPointer { p in
                    for i in 0..<p.count { out[i] = ValueOrder.orderedWord(p[i]) ^ flip }
                }
                n = a.count
            }
        case .double(let a): w = a.map { ValueOrder.orderedWord($0) ^ flip }
        case .boolean(let a): w = a.map { ($0 ? 1 : 0) ^ flip }
        case .null(let n): w = [UInt64](repeating: 0, count: n)
        default: return nil
        }
        words = w
        validity = v.isNullStorage ? nil : v.validity
        allNull = v.isNullStorage
        self.nullsFirst = nullsFirst
    }

    @inline(__always)
    func key(_ i: Int) -> (rank: UInt8, word: UInt64) {
        let isNull = allNull || (validity.map { !$0.isValid(i) } ?? false)
        if isNull { return (nullsFirst ? 0 : 2, 0) }
        return (1, words[i])
    }

    /// Rows that may enter the kept rows: before `boundary` on this key, or tied with it on
    /// this key and before it on the others (`resolveTies`; without it, ties lose), and
    /// among the batch's own best `keep` (by this key, ties included). Nil: every row.
    func screen(count n: Int, boundary: (rank: UInt8, word: UInt64)?, keep: Int,
                resolveTies: (([Int32]) -> [Int32])?) -> [Int32]? {
        var out: [Int32] = []
        var ties: [Int32] = []
        out.reserveCapacity(n)
        if let boundary, validity == nil, !allNull {
            // No NULL in the batch: every row has rank 1.
            if boundary.rank > 1 {
                out = (0..<Int32(n)).map { $0 }
            } else if boundary.rank == 1 {
                let limit = boundary.word
                words.withUnsafeBufferPointer { w in
                    for i in 0..<n where w[i] <= limit {
                        if w[i] < limit { out.append(Int32(i)) } else { ties.append(Int32(i)) }
                    }
                }
            }
        } else if let boundary {
            for i in 0..<n {
                let k = key(i)
                if k < boundary { out.append(Int32(i)) } else if k == boundary { ties.append(Int32(i)) }
            }
        } else {
            out = (0..<Int32(n)).map { $0 }
        }
        if !ties.isEmpty, let resolveTies {
            let won = resolveTies(ties)
            if !won.isEmpty { out = (out + won).sorted() }
        }
        guard out.count > keep, validity == nil, !allNull, keep <= Batch.capacity / 2 else {
            return out.count == n ? nil : out
        }
        // The keep-th smallest word of the batch: rows after it cannot be among the best.
        var candidates = out.map { words[Int($0)] }
        let threshold = KeyWords.select(&candidates, keep - 1)
        return out.filter { words[Int($0)] <= threshold }
    }

    /// The (rank, word) of the best value a chunk with this zone map can hold.
    static func best(_ zone: ZoneMap?, descending: Bool) -> (rank: UInt8, word: UInt64) {
        switch zone {
        case nil: return (0, 0)
        case .allNull?: return (2, 0)
        case .range(let lo, let hi, _)?:
            return (1, descending ? ~ValueOrder.orderedWord(hi) : ValueOrder.orderedWord(lo))
        }
    }

    /// The k-th smallest element (0-based) of `a`, which it reorders (quickselect).
    static func select(_ a: inout [UInt64], _ k: Int) -> UInt64 {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[lo + (hi - lo) / 2]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }
}

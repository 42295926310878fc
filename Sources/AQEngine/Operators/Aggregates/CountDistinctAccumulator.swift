// count(DISTINCT x) without a hash set. Strings get dense codes in the accumulator's own
// dictionary, so while groups × codes stays small each group keeps a bitmap of the codes it
// has seen. Otherwise (many groups, or numbers) every (group, value) pair is appended to
// `DistinctPairs`, partitioned by group, and each partition is sorted and counted at the end:
// sequential appends and sorting in the caches beat a hash set's random probes when most
// pairs differ.

final class CountDistinctAccumulator: AggregateAccumulator {
    private let encoder: KeyEncoder
    private let pairs: DistinctPairs
    private var scratch: [UInt64] = []
    private var groupCount = 0
    /// Where the final count runs (its threads, its cancellation); nil: on the calling thread.
    private let context: ExecutionContext?

    /// Bitmap mode: `wordsPerGroup` words of code bits per group, and each group's count.
    private var bitmaps: [UInt64]?
    private var wordsPerGroup = 1
    private var bitmapGroups = 0
    private var bitmapCounts: [Int64] = []
    /// Bitmaps larger than this many words give way to pairs (default 2^21 words: 16 MiB).
    private let bitmapLimit: Int
    /// Rows given so far: bitmaps of more than two words a row (about what a row's pair
    /// costs) give way to pairs too, since most groups would then hold a bit or two each
    /// (a million source addresses with a few actors each laid out 32 words per address,
    /// copied at every doubling, before reaching `bitmapLimit`).
    private var rowsSeen = 0
    private static let bitmapFloor = 1 << 16

    /// Whether count(DISTINCT x) of this type can be counted this way (one word per value).
    static func supports(_ type: DataType) -> Bool { type != .interval }

    /// `compactAt`: pairs a partition holds before its duplicates are removed.
    init(type: DataType, _ context: ExecutionContext?, compactAt: Int = 1 << 16, bitmapLimit: Int = 1 << 21) {
        encoder = KeyEncoder(type: type)
        pairs = DistinctPairs(compactAt: compactAt)
        self.context = context
        self.bitmapLimit = bitmapLimit
        // Only strings have dense codes (and booleans two values).
        if bitmapLimit > 0, type.isString || type == .boolean { self.bitmaps = [] }
    }

    func grow(to count: Int) {
        groupCount = Swift.max(groupCount, count)
        if bitmaps != nil, count > bitmapGroups { resizeBitmaps(groups: count, wordsPerGroup: wordsPerGroup) }
        if bitmaps == nil { pairs.grow(to: count) }
    }

    /// Lays the bitmaps out again for more groups or more codes; falls back to pairs when
    /// they would grow past the limit.
    private func resizeBitmaps(groups: Int, wordsPerGroup words: Int) {
        guard let old = bitmaps else { return }
        let newGroups = Swift.max(groups, bitmapGroups * 2, 16)
        let sparse = newGroups * words > Swift.max(CountDistinctAccumulator.bitmapFloor, 2 * (rowsSeen + groups))
        if newGroups * words > bitmapLimit || sparse {
            pairs.grow(to: Swift.max(groups, groupCount))
            for g in 0..<bitmapGroups {
                for w in 0..<wordsPerGroup {
                    var bits = old[g * wordsPerGroup + w]
                    while bits != 0 {
                        pairs.append(group: g, word: UInt64(w * 64 + bits.trailingZeroBitCount))
                        bits &= bits - 1
                    }
                }
            }
            bitmaps = nil
            bitmapCounts = []
            return
        }
        var out = [UInt64](repeating: 0, count: newGroups * words)
        if words == wordsPerGroup {
            out.replaceSubrange(0..<old.count, with: old)
        } else {
            for g in 0..<bitmapGroups {
                for w in 0..<wordsPerGroup { out[g * words + w] = old[g * wordsPerGroup + w] }
            }
        }
        bitmaps = out
        bitmapCounts.append(contentsOf: repeatElement(0, count: newGroups - bitmapCounts.count))
        bitmapGroups = newGroups
        wordsPerGroup = words
    }

    /// Bitmap mode: sets each row's code bit in its group; returns false if the bitmaps gave
    /// way to pairs before the batch was done (the caller then appends pairs).
    private func updateBitmaps(_ words: UnsafeMutablePointer<UInt64>, _ groups: UnsafeBufferPointer<Int32>) -> Bool {
        let n = groups.count
        var maxCode: UInt64 = 0
        for i in 0..<n where words[2 * i + 1] == 0 { maxCode = Swift.max(maxCode, words[2 * i]) }
        if Int(maxCode >> 6) >= wordsPerGroup {
            var needed = wordsPerGroup
            while Int(maxCode >> 6) >= needed { needed *= 2 }
            resizeBitmaps(groups: bitmapGroups, wordsPerGroup: needed)
            if bitmaps == nil { return false }
        }
        let stride = wordsPerGroup
        bitmaps!.withUnsafeMutableBufferPointer { bits in
            bitmapCounts.withUnsafeMutableBufferPointer { counts in
                for i in 0..<n where words[2 * i + 1] == 0 {
                    let code = Int(words[2 * i]), g = Int(groups[i])
                    let index = g * stride + code >> 6
                    let bit: UInt64 = 1 << UInt64(code & 63)
                    if bits[index] & bit == 0 {
                        bits[index] |= bit
                        counts[g] += 1
                    }
                }
            }
        }
        return true
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        let n = groups.count
        rowsSeen += n
        if x.isNullStorage { return }
        if scratch.count < 2 * n { scratch = [UInt64](repeating: 0, count: 2 * n) }
        scratch.withUnsafeMutableBufferPointer { s in
            guard let base = s.baseAddress else { return }
            for i in 0..<n { base[2 * i + 1] = 0 }
            encoder.encode(x, count: n, into: base, stride: 2, offset: 0, nullOffset: 1, nullBit: 1, insert: true)
            if bitmaps != nil, updateBitmaps(base, groups) { return }
            pairs.append(base, stride: 2, nullOffset: 1, groups: groups)
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        if bitmaps != nil {
            return Vector(type: .integer, storage: .int64(Array(bitmapCounts.prefix(count))))
        }
        return Vector(type: .integer, storage: .int64(try pairs.counts(groups: count, context)))
    }
}

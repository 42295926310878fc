// count(DISTINCT x) without a hash set. Strings get dense codes in the accumulator's own
// dictionary, so while groups × codes stays small each group keeps a bitmap of the codes it
// has seen. Otherwise (many groups, or numbers) every (group, value) pair is appended as
// words, and the pairs are sorted and counted at the end, with a radix sort when group and
// value fit in one 64-bit word: sequential appends and sorting beat a hash set's random
// probes when most pairs differ.

final class CountDistinctAccumulator: AggregateAccumulator {
    private let encoder: KeyEncoder
    private var pairGroups: [UInt32] = []
    private var pairWords: [UInt64] = []
    private var scratch: [UInt64] = []
    private var groupCount = 0
    /// When the pairs reach this many, duplicates are removed (keeps memory near the
    /// number of distinct pairs when values repeat).
    private var compactAt: Int

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

    init(type: DataType, compactAt: Int = 1 << 22, bitmapLimit: Int = 1 << 21) {
        encoder = KeyEncoder(type: type)
        self.compactAt = compactAt
        self.bitmapLimit = bitmapLimit
        // Only strings have dense codes (and booleans two values).
        if bitmapLimit > 0, type.isString || type == .boolean { self.bitmaps = [] }
    }

    func grow(to count: Int) {
        groupCount = Swift.max(groupCount, count)
        if bitmaps != nil, count > bitmapGroups { resizeBitmaps(groups: count, wordsPerGroup: wordsPerGroup) }
    }

    /// Lays the bitmaps out again for more groups or more codes; falls back to pairs when
    /// they would grow past the limit.
    private func resizeBitmaps(groups: Int, wordsPerGroup words: Int) {
        guard let old = bitmaps else { return }
        let newGroups = Swift.max(groups, bitmapGroups * 2, 16)
        let sparse = newGroups * words > Swift.max(CountDistinctAccumulator.bitmapFloor, 2 * (rowsSeen + groups))
        if newGroups * words > bitmapLimit || sparse {
            for g in 0..<bitmapGroups {
                for w in 0..<wordsPerGroup {
                    var bits = old[g * wordsPerGroup + w]
                    while bits != 0 {
                        pairGroups.append(UInt32(g))
                        pairWords.append(UInt64(w * 64 + bits.trailingZeroBitCount))
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
            // Appended to local arrays (taken out of the properties, so not copied): an
            // append to a property of a class checks exclusive access once per call.
            // (No reserveCapacity here: reserving the exact size per batch would defeat the
            // arrays' geometric growth and copy them every time.)
            var pairGroups: [UInt32] = [], pairWords: [UInt64] = []
            swap(&pairGroups, &self.pairGroups)
            swap(&pairWords, &self.pairWords)
            for i in 0..<n where base[2 * i + 1] == 0 {
                pairGroups.append(UInt32(truncatingIfNeeded: groups[i]))
                pairWords.append(base[2 * i])
            }
            swap(&pairGroups, &self.pairGroups)
            swap(&pairWords, &self.pairWords)
        }
        if pairWords.count >= compactAt {
            let before = pairWords.count
            compact()
            // Mostly distinct pairs: compacting again soon would not pay.
            if pairWords.count * 2 > before { compactAt = pairWords.count * 2 }
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        if bitmaps != nil {
            return Vector(type: .integer, storage: .int64(Array(bitmapCounts.prefix(count))))
        }
        compact()
        var counts = [Int64](repeating: 0, count: count)
        for g in pairGroups where Int(g) < count { counts[Int(g)] += 1 }
        return Vector(type: .integer, storage: .int64(counts))
    }

    /// Sorts the pairs by (group, value) and removes duplicates.
    private func compact() {
        let pairGroups = self.pairGroups, pairWords = self.pairWords
        let n = pairWords.count
        guard n > 1 else { return }
        var maxGroup: UInt32 = 0
        for g in pairGroups { maxGroup = Swift.max(maxGroup, g) }
        var minWord = UInt64.max, maxWord: UInt64 = 0
        for w in pairWords {
            minWord = Swift.min(minWord, w)
            maxWord = Swift.max(maxWord, w)
        }
        let wordBits = bitWidth(maxWord &- minWord)
        let groupBits = bitWidth(UInt64(maxGroup))
        if wordBits + groupBits <= 64 {
            var packed = [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
                for i in 0..<n {
                    out[i] = (wordBits == 64 ? 0 : UInt64(pairGroups[i]) << UInt64(wordBits)) | (pairWords[i] &- minWord)
                }
                initialized = n
            }
            RadixSort.sort(&packed, bits: wordBits + groupBits)
            var groupsOut: [UInt32] = []
            var wordsOut: [UInt64] = []
            var previous: UInt64?
            let mask: UInt64 = wordBits == 64 ? ~0 : (1 << UInt64(wordBits)) - 1
            for k in packed where k != previous {
                previous = k
                groupsOut.append(wordBits == 64 ? 0 : UInt32(truncatingIfNeeded: k >> UInt64(wordBits)))
                wordsOut.append((k & mask) &+ minWord)
            }
            self.pairGroups = groupsOut
            self.pairWords = wordsOut
            return
        }
        var pairs = (0..<n).map { (pairGroups[$0], pairWords[$0]) }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var groupsOut: [UInt32] = []
        var wordsOut: [UInt64] = []
        for (k, p) in pairs.enumerated() where k == 0 || p != pairs[k - 1] {
            groupsOut.append(p.0)
            wordsOut.append(p.1)
        }
        self.pairGroups = groupsOut
        self.pairWords = wordsOut
    }

    private func bitWidth(_ x: UInt64) -> Int { x == 0 ? 0 : 64 - x.leadingZeroBitCount }
}

/// LSD radix sort of 64-bit keys on their low `bits` bits, 11 bits per pass.
enum RadixSort {
    static func sort(_ keys: inout [UInt64], bits: Int) {
        let n = keys.count
        guard n > 1, bits > 0 else { return }
        if n < 256 {
            keys.sort()
            return
        }
        let digitBits = 11
        let buckets = 1 << digitBits
        var other = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: buckets)
        var shift = 0
        while shift < bits {
            let s = UInt64(shift)
            let mask = UInt64(buckets - 1)
            keys.withUnsafeBufferPointer { src in
                other.withUnsafeMutableBufferPointer { dst in
                    counts.withUnsafeMutableBufferPointer { c in
                        for i in 0..<buckets { c[i] = 0 }
                        for k in src { c[Int((k >> s) & mask)] += 1 }
                        var total = 0
                        for i in 0..<buckets {
                            let x = c[i]
                            c[i] = total
                            total += x
                        }
                        for k in src {
                            let b = Int((k >> s) & mask)
                            dst[c[b]] = k
                            c[b] += 1
                        }
                    }
                }
            }
            swap(&keys, &other)
            shift += digitBits
        }
    }
}

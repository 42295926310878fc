// The (group, value) pairs of count(DISTINCT x) over many groups, kept in partitions of
// 4,096 consecutive groups. Each partition is sorted and its duplicates dropped on its own,
// in the caches (a million groups' ten million pairs sorted at once did not fit them), with
// sort buffers reused from one partition to the next; at the end the partitions are counted
// on the statement's threads.

/// Pairs of (group, 64-bit value word), counted per group once each at the end.
final class DistinctPairs {
    /// Groups per partition: 2^`groupBits`.
    static let groupBits = 12
    /// A partition this full has its duplicates removed before it grows (keeps memory near
    /// the number of distinct pairs when values repeat).
    private let compactAt: Int

    /// One partition's pairs: each pair's group less the partition's first group, and its
    /// word, in buffers that grow by doubling.
    private struct Part {
        var offsets: UnsafeMutablePointer<UInt16>?
        var words: UnsafeMutablePointer<UInt64>?
        var count = 0
        var capacity = 0
    }
    private var parts: UnsafeMutablePointer<Part>?
    private var partCount = 0
    /// The sort buffers of appends (compactions); the final count takes its own per thread.
    private let scratch = SortScratch()

    init(compactAt: Int = 1 << 16) {
        self.compactAt = Swift.max(2, compactAt)
    }

    deinit {
        guard let parts else { return }
        for p in 0..<partCount {
            parts[p].offsets?.deallocate()
            parts[p].words?.deallocate()
        }
        parts.deinitialize(count: partCount)
        parts.deallocate()
    }

    /// Pairs held now (duplicates not yet removed included).
    var count: Int { (0..<partCount).reduce(0) { $0 + (parts?[$1].count ?? 0) } }

    /// Makes room for groups `0..<groups`.
    func grow(to groups: Int) {
        let needed = (groups + (1 << DistinctPairs.groupBits) - 1) >> DistinctPairs.groupBits
        guard needed > partCount else { return }
        parts = DistinctPairs.resized(parts, from: partCount, to: needed)
        (parts.unsafelyUnwrapped + partCount).initialize(repeating: Part(), count: needed - partCount)
        partCount = needed
    }

    /// Appends the pair of each row i whose `words[i * stride + nullOffset]` is 0: group
    /// `groups[i]` (not negative), word `words[i * stride]`.
    func append(_ words: UnsafePointer<UInt64>, stride: Int, nullOffset: Int, groups: UnsafeBufferPointer<Int32>) {
        var top: Int32 = 0
        for g in groups { top = Swift.max(top, g) }
        grow(to: Int(top) + 1)
        guard let parts else { return }
        let mask = (1 << DistinctPairs.groupBits) - 1
        for i in 0..<groups.count where words[i * stride + nullOffset] == 0 {
            let g = Int(groups[i])
            let p = g >> DistinctPairs.groupBits
            if parts[p].count == parts[p].capacity { makeRoom(p) }
            let k = parts[p].count
            parts[p].offsets.unsafelyUnwrapped[k] = UInt16(truncatingIfNeeded: g & mask)
            parts[p].words.unsafelyUnwrapped[k] = words[i * stride]
            parts[p].count = k + 1
        }
    }

    /// Appends one pair.
    func append(group: Int, word: UInt64) {
        var pair = (word, UInt64(0))
        withUnsafePointer(to: &pair) { p in
            p.withMemoryRebound(to: UInt64.self, capacity: 2) { words in
                var g = Int32(truncatingIfNeeded: group)
                withUnsafePointer(to: &g) { append(words, stride: 2, nullOffset: 1, groups: UnsafeBufferPointer(start: $0, count: 1)) }
            }
        }
    }

    /// Partition `p` is full: removes its duplicates once it is large, and doubles it unless
    /// that left it at most half full.
    private func makeRoom(_ p: Int) {
        guard let parts else { return }
        if parts[p].count >= compactAt {
            let kept = DistinctPairs.sortUnique(parts[p], scratch) { _, _ in }
            parts[p].count = kept
            if kept * 2 <= parts[p].capacity { return }
        }
        let capacity = Swift.max(16, parts[p].capacity * 2)
        parts[p].offsets = DistinctPairs.resized(parts[p].offsets, from: parts[p].count, to: capacity)
        parts[p].words = DistinctPairs.resized(parts[p].words, from: parts[p].count, to: capacity)
        parts[p].capacity = capacity
    }

    /// A buffer of `capacity` elements holding `buffer`'s first `count`, which is freed.
    private static func resized<T>(_ buffer: UnsafeMutablePointer<T>?, from count: Int, to capacity: Int) -> UnsafeMutablePointer<T> {
        let grown = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        if let buffer {
            grown.moveInitialize(from: buffer, count: count)
            buffer.deallocate()
        }
        return grown
    }

    /// The number of distinct words of each group `0..<groups`. The partitions are sorted and
    /// counted on up to `context.threads` threads, checking for cancellation (and the memory
    /// limit) before each.
    func counts(groups: Int, _ context: ExecutionContext?) throws -> [Int64] {
        grow(to: groups)
        let out = UnsafeMutableBufferPointer<Int64>.allocate(capacity: Swift.max(groups, 1))
        defer { out.deallocate() }
        out.initialize(repeating: 0)
        try countPartitions(into: out, groups: groups, context)
        return Array(out.prefix(groups))
    }

    /// Adds each partition's distinct counts into `out` (the runner, and so every thread that
    /// writes `out`, is done when this returns, normally or by a throw).
    private func countPartitions(into out: UnsafeMutableBufferPointer<Int64>, groups: Int,
                                 _ context: ExecutionContext?) throws {
        guard let parts else { return }
        let scratches = ScratchPool()
        let runner = MorselRunner<Void>(count: partCount, threads: context?.threads ?? 1, window: partCount) { p in
            try context?.cancellation.check()
            let scratch = scratches.take()
            defer { scratches.give(scratch) }
            let base = p << DistinctPairs.groupBits
            _ = DistinctPairs.sortUnique(parts[p], scratch) { offset, _ in
                let g = base + Int(offset)
                if g < groups { out[g] += 1 }
            }
        }
        while try runner.next() != nil {}
    }

    /// Sorts `part`'s pairs, calls `each` with every distinct pair in order, writes the
    /// distinct pairs back over the part's first ones, and returns how many there are.
    /// Group offset and word are packed in one 64-bit key and radix sorted when they fit
    /// (always for string codes), else compared.
    private static func sortUnique(_ part: Part, _ scratch: SortScratch, _ each: (UInt16, UInt64) -> Void) -> Int {
        let n = part.count
        guard n > 0, let offsets = part.offsets, let words = part.words else { return 0 }
        var maxOffset: UInt16 = 0, minWord = UInt64.max, maxWord: UInt64 = 0
        for i in 0..<n {
            maxOffset = Swift.max(maxOffset, offsets[i])
            minWord = Swift.min(minWord, words[i])
            maxWord = Swift.max(maxWord, words[i])
        }
        let wordBits = bitWidth(maxWord &- minWord), offsetBits = bitWidth(UInt64(maxOffset))
        guard wordBits + offsetBits <= 64 else { return sortUniqueCompared(part, each) }
        let keys = scratch.keys(n)
        for i in 0..<n {
            keys[i] = (wordBits == 64 ? 0 : UInt64(offsets[i]) << UInt64(wordBits)) | (words[i] &- minWord)
        }
        let sorted = RadixSort.sort(keys, other: scratch.other(n), counts: scratch.counts, bits: wordBits + offsetBits)
        let mask: UInt64 = wordBits == 64 ? ~0 : (1 << UInt64(wordBits)) - 1
        var kept = 0
        for i in 0..<n where i == 0 || sorted[i] != sorted[i - 1] {
            let k = sorted[i]
            let offset = wordBits == 64 ? 0 : UInt16(truncatingIfNeeded: k >> UInt64(wordBits))
            let word = (k & mask) &+ minWord
            each(offset, word)
            offsets[kept] = offset
            words[kept] = word
            kept += 1
        }
        return kept
    }

    /// `sortUnique` for pairs whose group offset and word do not fit one 64-bit key.
    private static func sortUniqueCompared(_ part: Part, _ each: (UInt16, UInt64) -> Void) -> Int {
        guard let offsets = part.offsets, let words = part.words else { return 0 }
        var pairs = (0..<part.count).map { (offsets[$0], words[$0]) }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var kept = 0
        for (k, p) in pairs.enumerated() where k == 0 || p != pairs[k - 1] {
            each(p.0, p.1)
            offsets[kept] = p.0
            words[kept] = p.1
            kept += 1
        }
        return kept
    }

    private static func bitWidth(_ x: UInt64) -> Int { x == 0 ? 0 : 64 - x.leadingZeroBitCount }
}

/// The buffers of one thread's sorts, kept from one partition to the next so that their
/// pages are touched once, not once per partition.
final class SortScratch {
    private var keyBuffer = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)
    private var otherBuffer = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: RadixSort.maxBuckets)

    deinit {
        keyBuffer.deallocate()
        otherBuffer.deallocate()
        counts.deallocate()
    }

    /// The first `n` words of the key buffer (grown as needed; contents undefined).
    func keys(_ n: Int) -> UnsafeMutableBufferPointer<UInt64> { SortScratch.prefix(&keyBuffer, n) }
    /// The first `n` words of the second buffer.
    func other(_ n: Int) -> UnsafeMutableBufferPointer<UInt64> { SortScratch.prefix(&otherBuffer, n) }

    private static func prefix(_ buffer: inout UnsafeMutableBufferPointer<UInt64>, _ n: Int) -> UnsafeMutableBufferPointer<UInt64> {
        if buffer.count < n {
            buffer.deallocate()
            buffer = .allocate(capacity: Swift.max(n, buffer.count * 2))
        }
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
    }
}

/// Sort buffers shared by the threads of one count: each takes one, and gives it back.
private final class ScratchPool: @unchecked Sendable {
    private let lock = PlainMutex()
    private var free: [SortScratch] = []

    func take() -> SortScratch { lock.locked { free.popLast() } ?? SortScratch() }
    func give(_ scratch: SortScratch) { lock.locked { free.append(scratch) } }
}

/// LSD radix sort of 64-bit keys on their low `bits` bits, in passes of at most 11 bits
/// (equal digits: 23 bits take three passes of 8, whose 256 buckets stay in the first-level
/// cache).
enum RadixSort {
    static let maxDigitBits = 11
    static let maxBuckets = 1 << maxDigitBits

    /// Sorts `keys`, using `other` (as long) and `counts` (`maxBuckets`) as buffers; returns
    /// whichever of `keys` and `other` holds the result.
    static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>, other: UnsafeMutableBufferPointer<UInt64>,
                     counts: UnsafeMutableBufferPointer<Int>, bits: Int) -> UnsafeMutableBufferPointer<UInt64> {
        let n = keys.count
        guard n > 1, bits > 0 else { return keys }
        if n < 256 {
            var keys = keys
            keys.sort()
            return keys
        }
        let passes = (bits + maxDigitBits - 1) / maxDigitBits
        let digitBits = (bits + passes - 1) / passes
        let buckets = 1 << digitBits
        let mask = UInt64(buckets - 1)
        var src = keys, dst = other
        var shift = 0
        while shift < bits {
            let s = UInt64(shift)
            for b in 0..<buckets { counts[b] = 0 }
            for k in src { counts[Int((k >> s) & mask)] += 1 }
            var total = 0
            for b in 0..<buckets {
                let x = counts[b]
                counts[b] = total
                total += x
            }
            for k in src {
                let b = Int((k >> s) & mask)
                dst[counts[b]] = k
                counts[b] += 1
            }
            swap(&src, &dst)
            shift += digitBits
        }
        return src
    }
}

// XXH64 (seed 0, as xxHash's xxhash_spec.md specifies it), and the two-level hash built on
// it: XXH64 of the XXH64 of each part (8 little-endian bytes each, in order), so that the
// parts can be hashed on several threads. A store's content hash is that of its sections
// (docs/file-format.md); a loaded file's, that of its 16 MiB blocks as on disk (the blocks a
// large file is read in by parallel workers). XXH64 because it is fast (8 bytes per step on
// four independent lanes, several GB/s), 64 bits wide, and specified in public, so a reader
// in another language can check a hash with a library it already has. It is implemented
// here from that specification: a few dozen lines do not justify a dependency.

import CScan

struct ContentHash {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (ContentHash.p1 &+ ContentHash.p2, ContentHash.p2, 0, 0 &- ContentHash.p1)
    private var total = 0
    /// Bytes not yet making up a whole 32-byte stripe (fewer than 32).
    private var pending: [UInt8] = []

    /// The hash of `bytes` alone.
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = ContentHash()
        h.add(bytes)
        return h.value
    }

    mutating func add(_ bytes: [UInt8]) { bytes.withUnsafeBytes { add($0) } }

    /// Adds a part's hash (`ContentHash.of` its bytes) to a two-level hash: a store section's
    /// to a store's content hash, a block's to a file's.
    mutating func add(sectionHash: UInt64) { withUnsafeBytes(of: sectionHash.littleEndian) { add($0) } }

    /// The two-level hash of `bytes` cut in blocks of `blockSize` (the last one shorter; no
    /// block for no bytes): what `add(sectionHash:)` of each block's hash gives.
    static func ofBlocks(_ bytes: UnsafeRawBufferPointer, blockSize: Int) -> UInt64 {
        var h = Blocks(blockSize: blockSize)
        h.add(bytes)
        return h.value
    }

    /// `ofBlocks` taken a piece at a time: a file is hashed as it is read, each piece while it
    /// is still in the cache.
    struct Blocks {
        private let blockSize: Int
        private var blocks = ContentHash()
        private var block = ContentHash()
        private var filled = 0

        init(blockSize: Int) { self.blockSize = max(1, blockSize) }

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var at = 0
            while at < bytes.count {
                let n = min(bytes.count - at, blockSize - filled)
                block.add(UnsafeRawBufferPointer(rebasing: bytes[at..<at + n]))
                filled += n
                at += n
                if filled == blockSize {
                    blocks.add(sectionHash: block.value)
                    block = ContentHash()
                    filled = 0
                }
            }
        }

        /// The two-level hash of everything added so far.
        var value: UInt64 {
            var h = blocks
            if filled > 0 { h.add(sectionHash: block.value) }
            return h.value
        }
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        var at = 0
        if !pending.isEmpty {
            let n = min(32 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<n])
            at = n
            guard pending.count == 32 else { return }
            pending.withUnsafeBytes { stripes($0, count: 32) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = (bytes.count - at) & ~31
        if whole > 0 { stripes(UnsafeRawBufferPointer(rebasing: bytes[at..<at + whole]), count: whole) }
        at += whole
        pending.append(contentsOf: bytes[at...])
    }

    private mutating func stripes(_ p: UnsafeRawBufferPointer, count: Int) {
        if let base = p.baseAddress, ContentHash.vectorStripes(&lanes, base, count) { return }
        ContentHash.laneStripes(&lanes, p, count: count)
    }

    /// XXH64's round over the 32-byte stripes of `p[0..<count]`, a lane at a time.
    static func laneStripes(_ lanes: inout (UInt64, UInt64, UInt64, UInt64), _ p: UnsafeRawBufferPointer, count: Int) {
        var (a, b, c, d) = lanes
        var at = 0
        while at < count {
            a = ContentHash.round(a, p.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian)
            b = ContentHash.round(b, p.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self).littleEndian)
            c = ContentHash.round(c, p.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self).littleEndian)
            d = ContentHash.round(d, p.loadUnaligned(fromByteOffset: at + 24, as: UInt64.self).littleEndian)
            at += 32
        }
        lanes = (a, b, c, d)
    }

    /// The stripes in one vector of four lanes (`aq_xxh64_stripes`), when the processor can
    /// (false: nothing done).
    static func vectorStripes(_ lanes: inout (UInt64, UInt64, UInt64, UInt64), _ p: UnsafeRawPointer,
                              _ count: Int) -> Bool {
        // Four `UInt64`s in a tuple lie in order, as the C function reads them.
        withUnsafeMutableBytes(of: &lanes) { four in
            guard let base = four.baseAddress else { return false }
            return aq_xxh64_stripes(base.assumingMemoryBound(to: UInt64.self), p, UInt64(count)) != 0
        }
    }

    /// The hash of everything added so far.
    var value: UInt64 {
        var h: UInt64
        if total >= 32 {
            let (a, b, c, d) = lanes
            h = rotate(a, 1) &+ rotate(b, 7) &+ rotate(c, 12) &+ rotate(d, 18)
            for lane in [a, b, c, d] { h = (h ^ ContentHash.round(0, lane)) &* ContentHash.p1 &+ ContentHash.p4 }
        } else {
            h = ContentHash.p5
        }
        h &+= UInt64(total)
        pending.withUnsafeBytes { p in
            var at = 0
            while p.count - at >= 8 {
                h ^= ContentHash.round(0, p.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian)
                h = rotate(h, 27) &* ContentHash.p1 &+ ContentHash.p4
                at += 8
            }
            if p.count - at >= 4 {
                h ^= UInt64(p.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) &* ContentHash.p1
                h = rotate(h, 23) &* ContentHash.p2 &+ ContentHash.p3
                at += 4
            }
            while at < p.count {
                h ^= UInt64(p[at]) &* ContentHash.p5
                h = rotate(h, 11) &* ContentHash.p1
                at += 1
            }
        }
        h ^= h >> 33
        h &*= ContentHash.p2
        h ^= h >> 29
        h &*= ContentHash.p3
        h ^= h >> 32
        return h
    }

    /// `0x` and sixteen hexadecimal digits, as aq shows a content hash.
    static func text(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    @inline(__always)
    private static func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 {
        rotate(acc &+ lane &* p2, 31) &* p1
    }
}

@inline(__always)
private func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

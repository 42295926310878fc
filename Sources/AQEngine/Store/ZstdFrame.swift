// One zstd frame: compressing a buffer at the store's level, and decompressing it into a
// buffer of a known size. The store keeps text in such frames (see `PackedText`).

import CZstd
import Synchronization

enum ZstdFrame {
    /// zstd's level 1: the fastest of the standard levels; on audit-log JSON it compresses
    /// 15–17× at several hundred MB/s a core (docs/formats.md, "How `raw` is stored").
    static let level: Int32 = 1
    /// A window of 4 MiB instead of level 1's 512 KiB, so that a chunk's records (2–3 MB of
    /// CloudTrail) match records anywhere before them in the chunk: 3% smaller and 13% faster
    /// on a chunk of CloudTrail (fewer, longer matches; fewer literals to encode). Frames
    /// decompress as before (the decoder allows windows up to 128 MiB, and a frame of known
    /// size needs no window buffer).
    static let windowLog: Int32 = 22

    /// Compression contexts kept between frames: a context's tables (a few hundred KB) are
    /// made once per packing thread, not once per chunk.
    private static let contexts = Mutex<[OpaquePointer]>([])
    private static let maxContexts = 8

    /// A frame for each of `parts` (one, for bytes that lie together), one after the other:
    /// they decompress (`decompress`) into the parts' bytes one after the other, so bytes that
    /// lie in several places are compressed where they lie instead of being copied together
    /// first. nil when zstd fails or the frames would not be smaller than the parts (the caller
    /// then keeps the bytes as they are).
    static func compress(parts: [UnsafeRawBufferPointer]) -> [UInt8]? {
        let total = parts.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        let bound = parts.reduce(0) { $0 + ZSTD_compressBound($1.count) }
        var failed = false
        guard let context = contexts.withLock({ $0.popLast() }) ?? newContext() else { return nil }
        defer {
            let kept = contexts.withLock { free in
                guard free.count < maxContexts else { return false }
                free.append(context)
                return true
            }
            if !kept { ZSTD_freeCCtx(context) }
        }
        let frames = [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
            initialized = 0
            for part in parts {
                guard let base = part.baseAddress, part.count > 0, let at = out.baseAddress?.advanced(by: initialized) else { continue }
                let n = ZSTD_compress2(context, at, bound - initialized, base, part.count)
                if ZSTD_isError(n) != 0 {
                    failed = true
                    initialized = 0
                    return
                }
                initialized += n
            }
        }
        guard !failed, frames.count < total else { return nil }
        // The bound reserved more than the frames need: keep only what they take.
        return frames.count * 2 < frames.capacity ? Array(frames) : frames
    }

    /// A compression context with the store's parameters (kept by `ZSTD_compress2` from frame
    /// to frame); nil when zstd cannot make one or refuses them.
    private static func newContext() -> OpaquePointer? {
        guard let context = ZSTD_createCCtx() else { return nil }
        let set = [ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level),
                   ZSTD_CCtx_setParameter(context, ZSTD_c_windowLog, windowLog)]
        guard !set.contains(where: { ZSTD_isError($0) != 0 }) else {
            ZSTD_freeCCtx(context)
            return nil
        }
        return context
    }

    /// Decompresses `frame` (one frame, or several one after the other) into exactly `size`
    /// bytes; nil when the frames are not that.
    static func decompress(_ frame: [UInt8], size: Int) -> [UInt8]? {
        var ok = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { out, initialized in
            frame.withUnsafeBytes { src in
                let n = ZSTD_decompress(out.baseAddress, size, src.baseAddress, src.count)
                ok = ZSTD_isError(n) == 0 && n == size
            }
            initialized = ok ? size : 0
        }
        return ok ? bytes : nil
    }

    /// The size that frames, one after the other, say they decompress to; nil when a header
    /// does not say, is not a zstd frame's, or a frame does not end inside `frames`.
    static func contentSize(_ frames: [UInt8]) -> Int? {
        frames.withUnsafeBytes { bytes -> Int? in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
            var at = 0
            var total = 0
            while at < bytes.count {
                let n = ZSTD_getFrameContentSize(base + at, bytes.count - at)
                // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR are the two largest values.
                guard n < UInt64.max - 1, n <= UInt64(Int.max - total) else { return nil }
                let length = ZSTD_findFrameCompressedSize(base + at, bytes.count - at)
                guard ZSTD_isError(length) == 0, length > 0, length <= bytes.count - at else { return nil }
                total += Int(n)
                at += length
            }
            return total
        }
    }
}

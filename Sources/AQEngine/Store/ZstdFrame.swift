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

    /// The compressed frame of `source`, or nil when zstd fails or the frame would not be
    /// smaller than the input (the caller then keeps the bytes as they are).
    static func compress(_ source: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let base = source.baseAddress, source.count > 0 else { return nil }
        let bound = ZSTD_compressBound(source.count)
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
        let frame = [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
            let n = ZSTD_compress2(context, out.baseAddress, bound, base, source.count)
            if ZSTD_isError(n) != 0 {
                failed = true
                initialized = 0
            } else {
                initialized = n
            }
        }
        guard !failed, frame.count < source.count else { return nil }
        // The bound reserved more than the frame needs: keep only what it takes.
        return frame.count * 2 < frame.capacity ? Array(frame) : frame
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

    /// Decompresses `frame` into exactly `size` bytes; nil when the frame is not that.
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

    /// The size a frame says it decompresses to; nil when its header does not say or is not
    /// a zstd frame's.
    static func contentSize(_ frame: [UInt8]) -> Int? {
        let n = frame.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR are the two largest values.
        guard n < UInt64.max - 1, n <= UInt64(Int.max) else { return nil }
        return Int(n)
    }
}

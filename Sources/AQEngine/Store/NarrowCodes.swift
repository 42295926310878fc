// Dictionary codes stored in as few bytes as the chunk's largest code needs: one byte for up
// to 256 distinct values, two up to 65,536, else four. Widened back to `UInt32` when a scan
// reads the chunk.

public enum NarrowCodes: Sendable {
    case u8([UInt8])
    case u16([UInt16])
    case u32([UInt32])

    public init(_ codes: [UInt32]) {
        let narrow = codes.withUnsafeBufferPointer { NarrowCodes.narrowed($0) }
        self = narrow ?? .u32(codes)
    }

    /// `p` in one or two bytes a code when its largest code allows, else nil. Plain loops over
    /// raw buffers, which the compiler vectorizes (`max()` and `map` it does not: they were
    /// 1.7% of a load's instructions).
    private static func narrowed(_ p: UnsafeBufferPointer<UInt32>) -> NarrowCodes? {
        var top: UInt32 = 0
        for i in 0..<p.count { top = Swift.max(top, p[i]) }
        if top <= UInt32(UInt8.max) { return .u8(narrow(p, to: UInt8.self)) }
        if top <= UInt32(UInt16.max) { return .u16(narrow(p, to: UInt16.self)) }
        return nil
    }

    private static func narrow<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeBufferPointer<UInt32>, to: T.Type) -> [T] {
        [T](unsafeUninitializedCapacity: p.count) { out, initialized in
            for i in 0..<p.count { out[i] = T(truncatingIfNeeded: p[i]) }
            initialized = p.count
        }
    }

    public var count: Int {
        switch self {
        case .u8(let a): return a.count
        case .u16(let a): return a.count
        case .u32(let a): return a.count
        }
    }

    public func widened() -> [UInt32] {
        switch self {
        case .u8(let a): return NarrowCodes.widen(a)
        case .u16(let a): return NarrowCodes.widen(a)
        case .u32(let a): return a
        }
    }

    /// The codes at `rows` (positions in this chunk), widened: a filtered scan takes only
    /// the rows it keeps.
    public func gathered(_ rows: [Int32]) -> [UInt32] {
        switch self {
        case .u8(let a): return NarrowCodes.gather(a, rows)
        case .u16(let a): return NarrowCodes.gather(a, rows)
        case .u32(let a): return NarrowCodes.gather(a, rows)
        }
    }

    private static func gather<T: FixedWidthInteger & UnsignedInteger>(_ a: [T], _ rows: [Int32]) -> [UInt32] {
        [UInt32](unsafeUninitializedCapacity: rows.count) { out, initialized in
            a.withUnsafeBufferPointer { p in
                rows.withUnsafeBufferPointer { r in
                    for k in 0..<r.count { out[k] = UInt32(truncatingIfNeeded: p[Int(r[k])]) }
                }
            }
            initialized = rows.count
        }
    }

    /// A plain loop over raw buffers, which the compiler vectorizes (`map` it does not).
    private static func widen<T: FixedWidthInteger & UnsignedInteger>(_ a: [T]) -> [UInt32] {
        [UInt32](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { p in
                for i in 0..<p.count { out[i] = UInt32(truncatingIfNeeded: p[i]) }
            }
            initialized = a.count
        }
    }

    public var byteCount: Int {
        switch self {
        case .u8(let a): return a.count
        case .u16(let a): return a.count * 2
        case .u32(let a): return a.count * 4
        }
    }
}

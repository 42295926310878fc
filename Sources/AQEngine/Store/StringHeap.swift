// Strings stored flat: all bytes in one buffer, and an offset table with one more entry
// than there are strings. String i is bytes[offsets[i] ..< offsets[i + 1]].

public struct StringHeap: Sendable {
    public private(set) var bytes: [UInt8]
    /// `count + 1` entries, starting at 0. UInt32 offsets: one heap holds at most 4 GiB.
    public private(set) var offsets: [UInt32]

    public init() {
        bytes = []
        offsets = [0]
    }

    public init(reservingCapacity strings: Int, bytes byteCapacity: Int) {
        bytes = []
        bytes.reserveCapacity(byteCapacity)
        offsets = [0]
        offsets.reserveCapacity(strings + 1)
    }

    /// A heap over prepared storage: `offsets` has one more entry than there are strings,
    /// starts at 0, never decreases and ends at `bytes.count`.
    public init(bytes: [UInt8], offsets: [UInt32]) {
        precondition(offsets.first == 0 && Int(offsets.last ?? 0) == bytes.count, "offsets do not match the bytes")
        self.bytes = bytes
        self.offsets = offsets
    }

    /// A heap over storage read from outside (a saved store): nil unless `offsets` starts at
    /// 0, never decreases and ends at `bytes.count`.
    public static func checked(bytes: [UInt8], offsets: [UInt32]) -> StringHeap? {
        guard offsets.first == 0, Int(offsets.last ?? 1) == bytes.count else { return nil }
        var previous: UInt32 = 0
        for o in offsets {
            guard o >= previous else { return nil }
            previous = o
        }
        return StringHeap(bytes: bytes, offsets: offsets)
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ p: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: p)
        offsets.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends an empty string (the stored value behind a NULL row).
    public mutating func appendEmpty() {
        offsets.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Calls `body` with the bytes of string `i`.
    public func withBytes<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let lo = Int(offsets[i]), hi = Int(offsets[i + 1])
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lo..<hi])) }
    }

    public func string(_ i: Int) -> String {
        withBytes(i) { String(decoding: $0, as: UTF8.self) }
    }
}

// Building a section's bytes: little-endian integers, strings with their length, arrays of
// fixed-size values as their bytes (a buffer as it is in memory, not value by value).

struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { data($0.count); bytes.append(contentsOf: $0) }
    }

    mutating func byteArray(_ b: [UInt8]) {
        data(b.count)
        bytes.append(contentsOf: b)
    }

    /// A count, then the elements' bytes as they lie in memory (little-endian on every
    /// platform aq builds for).
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        data(a.count)
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    private mutating func data(_ count: Int) { u64(UInt64(count)) }
}

#if _endian(big)
#error("the store file format is little-endian; a big-endian build must swap bytes in ByteWriter and ByteReader")
#endif

// Reading a section's bytes back: every read checks that the bytes are there, and every
// count that the elements it announces fit in what is left, so a damaged or crafted file
// gives a `StoreFileError` that says where, never a crash or a huge allocation.

struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int
    /// Offset in the file of `bytes[0]`, the file and the section, for errors.
    let fileOffset: Int
    let path: String
    let section: String

    init(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, fileOffset: Int, path: String, section: String) {
        self.bytes = bytes
        self.position = start
        self.end = end
        self.fileOffset = fileOffset
        self.path = path
        self.section = section
    }

    var remaining: Int { end - position }
    var offset: Int { fileOffset + position }

    func malformed(_ problem: StoreFileError.Problem) -> StoreFileError {
        .malformed(path: path, section: section, offset: offset, problem: problem)
    }

    private mutating func take(_ n: Int) throws(StoreFileError) -> Int {
        guard n >= 0, n <= remaining else { throw .truncated(path: path, section: section, offset: fileOffset + end) }
        let at = position
        position += n
        return at
    }

    mutating func u8() throws(StoreFileError) -> UInt8 { bytes[try take(1)] }

    mutating func bool() throws(StoreFileError) -> Bool {
        let b = try u8()
        guard b <= 1 else { throw malformed(.unknownTag(what: "flag", tag: b)) }
        return b == 1
    }

    mutating func u32() throws(StoreFileError) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self))
    }

    mutating func u64() throws(StoreFileError) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(8), as: UInt64.self))
    }

    mutating func i64() throws(StoreFileError) -> Int64 { Int64(bitPattern: try u64()) }

    /// A non-negative count or size, at most `limit`.
    mutating func count(limit: Int = Int(Int32.max)) throws(StoreFileError) -> Int {
        let v = try u64()
        guard v <= UInt64(limit) else { throw malformed(.mismatch(what: "count", expected: limit, found: Int(truncatingIfNeeded: v))) }
        return Int(v)
    }

    /// A position among `n` things (a dictionary, a table column).
    mutating func index(below n: Int, what: String) throws(StoreFileError) -> Int {
        let v = try u32()
        guard Int(v) < n else { throw malformed(.codeOutOfRange(what: what)) }
        return Int(v)
    }

    mutating func string() throws(StoreFileError) -> String {
        let n = try count(limit: remaining)
        let at = try take(n)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<at + n]), as: UTF8.self)
    }

    mutating func byteArray() throws(StoreFileError) -> [UInt8] {
        let n = try count(limit: remaining)
        let at = try take(n)
        return [UInt8](UnsafeRawBufferPointer(rebasing: bytes[at..<at + n]))
    }

    /// An array written by `ByteWriter.array`; `expected`, when given, is the count it must have.
    mutating func array<T: BitwiseCopyable>(_: T.Type, expected: Int? = nil, what: String = "array") throws(StoreFileError) -> [T] {
        let size = MemoryLayout<T>.stride
        let n = try count(limit: remaining / size)
        if let expected, n != expected { throw malformed(.mismatch(what: "length of \(what)", expected: expected, found: n)) }
        let at = try take(n * size)
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            if n > 0, let base = out.baseAddress, let src = bytes.baseAddress {
                UnsafeMutableRawPointer(base).copyMemory(from: src + at, byteCount: n * size)
            }
            initialized = n
        }
    }
}

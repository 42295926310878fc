// Unboxed access to a vector's storage for kernels: typed arrays by storage kind, raw views
// of string bytes, and the validity arithmetic every kernel repeats.

/// The bytes of a flat string heap as raw pointers, valid inside `StringHeap.withAccess`.
/// Row i's bytes are `self[i]`; no copy, no String.
struct StringAccess {
    let base: UnsafeRawPointer?
    let offsets: UnsafePointer<UInt32>

    @inline(__always)
    subscript(i: Int) -> UnsafeRawBufferPointer {
        let lo = Int(offsets[i]), hi = Int(offsets[i + 1])
        return UnsafeRawBufferPointer(start: base.map { $0 + lo }, count: hi - lo)
    }
}

/// Offsets of an empty heap: `[0, 0]`.
nonisolated(unsafe) private let emptyOffsets: UnsafeMutablePointer<UInt32> = {
    let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 2)
    p.initialize(repeating: 0, count: 2)
    return p
}()

extension StringHeap {
    /// Calls `body` with raw access to every string of the heap.
    @inline(__always)
    func withAccess<R>(_ body: (StringAccess) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { raw in
            try offsets.withUnsafeBufferPointer { offs in
                // The offsets table is never empty (it starts with 0); the fallback is for the type checker.
                try body(StringAccess(base: raw.baseAddress, offsets: offs.baseAddress ?? UnsafePointer(emptyOffsets)))
            }
        }
    }
}

extension StringDictionary {
    /// Calls `body` with raw access to every distinct string, indexed by code.
    @inline(__always)
    func withAccess<R>(_ body: (StringAccess) throws -> R) rethrows -> R {
        try heap.withAccess(body)
    }
}

/// A read-only bitmap view for per-row validity tests inside a loop.
struct ValidityView {
    let words: UnsafePointer<UInt64>?

    @inline(__always)
    func isValid(_ i: Int) -> Bool {
        guard let words else { return true }
        return (words[i >> 6] >> UInt64(i & 63)) & 1 != 0
    }
}

extension Optional where Wrapped == Validity {
    /// Calls `body` with a view that answers "valid?" per row (always true for nil).
    @inline(__always)
    func withView<R>(_ body: (ValidityView) throws -> R) rethrows -> R {
        guard let v = self else { return try body(ValidityView(words: nil)) }
        return try v.words.withUnsafeBufferPointer { try body(ValidityView(words: $0.baseAddress)) }
    }
}

extension Validity {
    /// A bitmap from per-row flags (true = valid); nil when every row is valid.
    static func from(_ valid: [Bool]) -> Validity? {
        var out = Validity(allValid: valid.count)
        var anyNull = false
        for (i, ok) in valid.enumerated() where !ok { out.set(i, valid: false); anyNull = true }
        return anyNull ? out : nil
    }

    /// Row-wise AND over several bitmaps (nil = all valid).
    static func and(_ list: [Validity?]) -> Validity? {
        var out: Validity?
        for v in list { out = Validity.and(out, v) }
        return out
    }

    /// Valid rows become NULL where `mask` is set.
    mutating func clear(where mask: [Bool]) {
        for (i, m) in mask.enumerated() where m { set(i, valid: false) }
    }
}

/// Internal invariant failures (a bound type that does not match a vector's storage) are
/// reported as errors rather than traps: they point at a bug, but must not crash a session.
@inline(never)
func storageMismatch(_ what: String) -> ExecutionError {
    .failed("internal error: unexpected vector storage in \(what)", range: nil)
}

extension Vector {
    /// Row values of an INTEGER/DATE/TIMESTAMP vector; a NULL-typed vector reads as zeros.
    func int64Values() throws -> [Int64] {
        switch storage {
        case .int64(let a): return a
        case .null(let n): return [Int64](repeating: 0, count: n)
        default: throw storageMismatch("int64 kernel")
        }
    }

    func doubleValues() throws -> [Double] {
        switch storage {
        case .double(let a): return a
        case .null(let n): return [Double](repeating: 0, count: n)
        default: throw storageMismatch("double kernel")
        }
    }

    func boolValues() throws -> [Bool] {
        switch storage {
        case .boolean(let a): return a
        case .null(let n): return [Bool](repeating: false, count: n)
        default: throw storageMismatch("boolean kernel")
        }
    }

    func intervalValues() throws -> [Interval] {
        switch storage {
        case .interval(let a): return a
        case .null(let n): return [Interval](repeating: Interval(), count: n)
        default: throw storageMismatch("interval kernel")
        }
    }

    /// The strings of a VARCHAR/JSON vector; a NULL-typed vector reads as empty strings.
    func stringValues() throws -> StringVector {
        switch storage {
        case .string(let s): return s
        case .null(let n):
            var heap = StringHeap()
            for _ in 0..<n { heap.appendEmpty() }
            return .flat(heap)
        default: throw storageMismatch("string kernel")
        }
    }

    /// The validity, treating a NULL-typed vector as all NULL.
    var effectiveValidity: Validity? {
        if case .null(let n) = storage { return Validity(allNull: n) }
        return validity
    }

    /// True when every row is NULL.
    var isAllNull: Bool {
        if case .null = storage { return true }
        guard let validity else { return false }
        return validity.nullCount == validity.count
    }

    /// A vector of `type` whose rows are all NULL when this one is NULL-typed; else itself.
    func typed(_ type: DataType) -> Vector {
        if case .null(let n) = storage, type != .null { return Vector.nulls(type: type, count: n) }
        return self
    }

    static func booleans(_ values: [Bool], _ validity: Validity?) -> Vector {
        Vector(type: .boolean, storage: .boolean(values), validity: validity)
    }
}

/// Builds a flat string vector row by row.
struct StringVectorWriter {
    var heap: StringHeap
    var validity: Validity
    var sawNull = false

    init(capacity: Int, bytes: Int = 0) {
        heap = StringHeap(reservingCapacity: capacity, bytes: bytes)
        validity = Validity(allValid: 0)
    }

    @inline(__always)
    mutating func append(_ p: UnsafeRawBufferPointer) {
        heap.append(p)
        validity.append(true)
    }

    mutating func append(_ s: String) {
        heap.append(s)
        validity.append(true)
    }

    mutating func append(bytes: [UInt8]) {
        bytes.withUnsafeBytes { heap.append($0) }
        validity.append(true)
    }

    @inline(__always)
    mutating func appendNull() {
        heap.appendEmpty()
        validity.append(false)
        sawNull = true
    }

    func build(_ type: DataType) -> Vector {
        Vector(type: type, storage: .string(.flat(heap)), validity: sawNull ? validity : nil)
    }
}

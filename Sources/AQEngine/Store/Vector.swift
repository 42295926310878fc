// A column of values for a batch of rows: typed, unboxed storage and a validity bitmap.
// Dispatch on the storage happens once per batch; kernels loop over the unboxed arrays.

/// Strings of a vector: flat bytes, or codes into a dictionary shared by the whole column.
public enum StringVector: Sendable {
    case flat(StringHeap)
    /// `codes[i]` is row i's code in `dictionary`.
    case dictionary(codes: [UInt32], dictionary: StringDictionary)

    public var count: Int {
        switch self {
        case .flat(let heap): return heap.count
        case .dictionary(let codes, _): return codes.count
        }
    }

    /// Calls `body` with the bytes of row i (empty for a NULL row).
    public func withBytes<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .flat(let heap): return try heap.withBytes(i, body)
        case .dictionary(let codes, let dictionary): return try dictionary.withBytes(codes[i], body)
        }
    }

    public func string(_ i: Int) -> String {
        withBytes(i) { String(decoding: $0, as: UTF8.self) }
    }
}

/// Physical storage of a vector; see `DataType` for which type uses which case.
public enum VectorStorage: Sendable {
    case boolean([Bool])
    /// INTEGER, DATE (days), TIMESTAMP (nanoseconds)
    case int64([Int64])
    case double([Double])
    /// VARCHAR, JSON
    case string(StringVector)
    case interval([Interval])
    /// LIST: offsets into one vector of elements.
    indirect case list(ListVector)
    /// Every row NULL (the type of a bare NULL).
    case null(count: Int)
}

/// A batch's worth of one column.
public struct Vector: Sendable {
    public var type: DataType
    public var storage: VectorStorage
    /// nil: no row is NULL. Otherwise a bit per row, set where the row holds a value.
    /// The storage at a NULL row holds some placeholder (0, false, empty string).
    public var validity: Validity?

    public init(type: DataType, storage: VectorStorage, validity: Validity? = nil) {
        self.type = type
        self.storage = storage
        self.validity = validity
    }

    public var count: Int {
        switch storage {
        case .boolean(let v): return v.count
        case .int64(let v): return v.count
        case .double(let v): return v.count
        case .string(let v): return v.count
        case .interval(let v): return v.count
        case .list(let l): return l.count
        case .null(let n): return n
        }
    }

    public func isNull(_ i: Int) -> Bool {
        if case .null = storage { return true }
        guard let validity else { return false }
        return !validity.isValid(i)
    }

    /// Row i as a boxed value: for results and tests, not for kernels.
    public func value(at i: Int) -> Value {
        if isNull(i) { return .null }
        switch storage {
        case .boolean(let v): return .boolean(v[i])
        case .int64(let v):
            switch type {
            case .date: return .date(v[i])
            case .timestamp: return .timestamp(v[i])
            default: return .integer(v[i])
            }
        case .double(let v): return .double(v[i])
        case .string(let v): return type == .json ? .json(v.string(i)) : .varchar(v.string(i))
        case .interval(let v): return .interval(v[i])
        case .list(let l):
            return .list(l.range(i).map { l.elements.value(at: $0) }, element: type.listElement ?? .null)
        case .null: return .null
        }
    }

    /// A vector of `count` copies of one value (a constant expression over a batch).
    public static func constant(_ value: Value, type: DataType, count: Int) -> Vector {
        switch value {
        case .null:
            return Vector.nulls(type: type, count: count)
        case .boolean(let b):
            return Vector(type: type, storage: .boolean([Bool](repeating: b, count: count)))
        case .integer(let x), .date(let x), .timestamp(let x):
            return Vector(type: type, storage: .int64([Int64](repeating: x, count: count)))
        case .double(let x):
            return Vector(type: type, storage: .double([Double](repeating: x, count: count)))
        case .varchar(let s), .json(let s):
            let dictionary = StringDictionary()
            let code = dictionary.code(for: s)
            return Vector(type: type, storage: .string(.dictionary(codes: [UInt32](repeating: code, count: count), dictionary: dictionary)))
        case .interval(let x):
            return Vector(type: type, storage: .interval([Interval](repeating: x, count: count)))
        case .list(let elements, _):
            let element = type.listElement ?? .null
            var builder = VectorBuilder(type: element)
            for _ in 0..<count { for e in elements { builder.append(e) } }
            let offsets = (0...count).map { Int32($0 * elements.count) }
            return Vector(type: type, storage: .list(ListVector(offsets: offsets, elements: builder.build())))
        }
    }

    /// A vector of `count` NULLs with the storage of `type`.
    public static func nulls(type: DataType, count: Int) -> Vector {
        let validity = Validity(allNull: count)
        switch type {
        case .null: return Vector(type: .null, storage: .null(count: count))
        case .boolean: return Vector(type: type, storage: .boolean([Bool](repeating: false, count: count)), validity: validity)
        case .integer, .date, .timestamp: return Vector(type: type, storage: .int64([Int64](repeating: 0, count: count)), validity: validity)
        case .double: return Vector(type: type, storage: .double([Double](repeating: 0, count: count)), validity: validity)
        case .varchar, .json:
            var heap = StringHeap()
            for _ in 0..<count { heap.appendEmpty() }
            return Vector(type: type, storage: .string(.flat(heap)), validity: validity)
        case .interval: return Vector(type: type, storage: .interval([Interval](repeating: Interval(), count: count)), validity: validity)
        case .list(let element): return Vector(type: type, storage: .list(.empty(element: element, count: count)), validity: validity)
        }
    }
}

/// Rows processed together: one vector per column, all of `count` rows.
/// Operators pass batches of at most `Batch.capacity` rows.
public struct Batch: Sendable {
    public static let capacity = 2048

    public var columns: [Vector]
    public var count: Int

    public init(columns: [Vector], count: Int) {
        self.columns = columns
        self.count = count
    }
}

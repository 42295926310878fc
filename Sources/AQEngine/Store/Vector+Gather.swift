// Picking rows out of a vector by position: how filters compact their output and how
// joins and sorts reorder rows.

extension Vector {
    /// The rows at `indices`, in that order. A negative index gives a NULL row (the
    /// unmatched side of a LEFT JOIN).
    public func gather(_ indices: [Int32]) -> Vector {
        let n = indices.count
        var validity: Validity?
        var hasNegative = false
        for i in indices where i < 0 { hasNegative = true; break }
        if self.validity != nil || hasNegative {
            var out = Validity(allValid: n)
            for (k, i) in indices.enumerated() where i < 0 || isNull(Int(i)) { out.set(k, valid: false) }
            validity = out
        }
        @inline(__always) func pick<T>(_ a: [T], _ zero: T) -> [T] {
            a.withUnsafeBufferPointer { src in
                indices.withUnsafeBufferPointer { ix in
                    [T](unsafeUninitializedCapacity: n) { dst, count in
                        if hasNegative {
                            for k in 0..<n {
                                let i = Int(ix[k])
                                dst.initializeElement(at: k, to: i < 0 ? zero : src[i])
                            }
                        } else {
                            for k in 0..<n { dst.initializeElement(at: k, to: src[Int(ix[k])]) }
                        }
                        count = n
                    }
                }
            }
        }
        let storage: VectorStorage
        switch self.storage {
        case .boolean(let a): storage = .boolean(pick(a, false))
        case .int64(let a): storage = .int64(pick(a, 0))
        case .double(let a): storage = .double(pick(a, 0))
        case .interval(let a): storage = .interval(pick(a, Interval()))
        case .null: storage = .null(count: n)
        case .list(let l): storage = .list(l.gather(indices))
        case .string(.dictionary(_, let d)) where d.count == 0:
            // Only NULL padding can be gathered from an empty column; code 0 would not exist.
            var out = StringHeap(reservingCapacity: n, bytes: 0)
            for _ in 0..<n { out.appendEmpty() }
            storage = .string(.flat(out))
        case .string(.dictionary(let codes, let d)):
            storage = .string(.dictionary(codes: pick(codes, 0), dictionary: d))
        case .string(.flat(let heap)):
            var out = StringHeap(reservingCapacity: n, bytes: 0)
            for i in indices {
                if i < 0 { out.appendEmpty() } else { heap.withBytes(Int(i)) { out.append($0) } }
            }
            storage = .string(.flat(out))
        }
        return Vector(type: type, storage: storage, validity: validity)
    }
}

extension Batch {
    /// The rows at `indices` of every column.
    public func gather(_ indices: [Int32]) -> Batch {
        Batch(columns: columns.map { $0.gather(indices) }, count: indices.count)
    }
}

/// Builds a vector of one type row by row from values: for results of small size
/// (aggregate outputs, VALUES, constant folding), not for per-row kernels of large scans.
public struct VectorBuilder {
    public let type: DataType
    private var bools: [Bool] = []
    private var ints: [Int64] = []
    private var doubles: [Double] = []
    private var intervals: [Interval] = []
    private var heap = StringHeap()
    /// LIST: the offsets so far and a builder of the elements.
    private var offsets: [Int32] = [0]
    private var elements: [VectorBuilder] = []
    private var validity = Validity(allValid: 0)
    private var sawNull = false
    public private(set) var count = 0

    public init(type: DataType) {
        self.type = type
        if let element = type.listElement { elements = [VectorBuilder(type: element)] }
    }

    /// Appends a value of this builder's type (or NULL). A value of another type is stored
    /// as NULL: the caller casts first.
    public mutating func append(_ value: Value) {
        var valid = true
        switch (type, value) {
        case (.boolean, .boolean(let b)): bools.append(b)
        case (.integer, .integer(let x)), (.date, .date(let x)), (.timestamp, .timestamp(let x)): ints.append(x)
        case (.double, .double(let x)): doubles.append(x)
        case (.varchar, .varchar(let s)), (.json, .json(let s)), (.varchar, .json(let s)), (.json, .varchar(let s)): heap.append(s)
        case (.interval, .interval(let x)): intervals.append(x)
        case (.list, .list(let values, _)):
            for v in values { elements[0].append(v) }
            offsets.append(Int32(elements[0].count))
        default:
            valid = false
            switch type {
            case .boolean: bools.append(false)
            case .integer, .date, .timestamp: ints.append(0)
            case .double: doubles.append(0)
            case .varchar, .json: heap.appendEmpty()
            case .interval: intervals.append(Interval())
            case .list: offsets.append(offsets[offsets.count - 1])
            case .null: break
            }
        }
        if !valid { sawNull = true }
        validity.append(valid)
        count += 1
    }

    public func build() -> Vector {
        let storage: VectorStorage
        switch type {
        case .boolean: storage = .boolean(bools)
        case .integer, .date, .timestamp: storage = .int64(ints)
        case .double: storage = .double(doubles)
        case .varchar, .json: storage = .string(.flat(heap))
        case .interval: storage = .interval(intervals)
        case .list(let element):
            storage = .list(ListVector(offsets: offsets, elements: elements.first?.build() ?? Vector.nulls(type: element, count: 0)))
        case .null: return Vector(type: .null, storage: .null(count: count))
        }
        return Vector(type: type, storage: storage, validity: sawNull ? validity : nil)
    }
}

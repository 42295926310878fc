// A vector from Swift arrays and back: how a function registered by an embedding program
// reads its argument columns and builds its result column, one call per batch.

extension Vector {
    /// An INTEGER vector (or DATE in days, TIMESTAMP in UTC nanoseconds, with `type`); nil is NULL.
    public static func integers(_ values: [Int64?], type: DataType = .integer) -> Vector {
        build(values, type: type, placeholder: 0) { .int64($0) }
    }

    /// A DOUBLE vector; nil is NULL.
    public static func doubles(_ values: [Double?]) -> Vector {
        build(values, type: .double, placeholder: 0) { .double($0) }
    }

    /// A BOOLEAN vector; nil is NULL.
    public static func booleans(_ values: [Bool?]) -> Vector {
        build(values, type: .boolean, placeholder: false) { .boolean($0) }
    }

    /// A VARCHAR (or JSON, with `type`) vector; nil is NULL.
    public static func strings(_ values: [String?], type: DataType = .varchar) -> Vector {
        var heap = StringHeap(reservingCapacity: values.count, bytes: values.count * 16)
        var validity = Validity(allValid: 0)
        var sawNull = false
        for value in values {
            if let value { heap.append(value) } else { heap.appendEmpty() }
            validity.append(value != nil)
            sawNull = sawNull || value == nil
        }
        return Vector(type: type, storage: .string(.flat(heap)), validity: sawNull ? validity : nil)
    }

    private static func build<T>(_ values: [T?], type: DataType, placeholder: T,
                                 _ storage: ([T]) -> VectorStorage) -> Vector {
        var plain: [T] = []
        plain.reserveCapacity(values.count)
        var validity = Validity(allValid: 0)
        var sawNull = false
        for value in values {
            plain.append(value ?? placeholder)
            validity.append(value != nil)
            sawNull = sawNull || value == nil
        }
        return Vector(type: type, storage: storage(plain), validity: sawNull ? validity : nil)
    }

    /// The rows as integers (INTEGER, DATE days, TIMESTAMP nanoseconds); nil for NULL, and
    /// nil for every row of a vector of another storage.
    public func integers() -> [Int64?] {
        guard case .int64(let v) = storage else { return [Int64?](repeating: nil, count: count) }
        return v.indices.map { isNull($0) ? nil : v[$0] }
    }

    /// The rows as doubles; nil for NULL (and for a vector of another storage).
    public func doubles() -> [Double?] {
        guard case .double(let v) = storage else { return [Double?](repeating: nil, count: count) }
        return v.indices.map { isNull($0) ? nil : v[$0] }
    }

    /// The rows as booleans; nil for NULL (and for a vector of another storage).
    public func booleans() -> [Bool?] {
        guard case .boolean(let v) = storage else { return [Bool?](repeating: nil, count: count) }
        return v.indices.map { isNull($0) ? nil : v[$0] }
    }

    /// The rows as strings; nil for NULL (and for a vector of another storage).
    public func strings() -> [String?] {
        guard case .string(let v) = storage else { return [String?](repeating: nil, count: count) }
        return (0..<v.count).map { isNull($0) ? nil : v.string($0) }
    }
}

// A row decoded into a Swift type: a keyed container whose keys are column names.
//
// Which values read as which types: String ← any value (VARCHAR and JSON as they are, others
// as their text); Int, Int64 (and the other integers, range-checked) ← INTEGER, and DATE as
// days or TIMESTAMP as UTC nanoseconds; Double, Float ← DOUBLE or INTEGER; Bool ← BOOLEAN;
// Value ← anything; an Optional is nil for NULL (a NULL into a non-optional is an error).

struct RowDecoder: Decoder {
    let row: Row
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw AQError.api(.decoding(column: "", expected: "a struct with a property per column", found: "an array"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw AQError.api(.decoding(column: "", expected: "a struct with a property per column", found: "a single value"))
    }
}

struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { row.columns.compactMap { Key(stringValue: $0.name) } }

    func contains(_ key: Key) -> Bool { row.names.has(key.stringValue) }

    private func value(_ key: Key) throws -> Value { try row[key.stringValue] }

    private func mismatch(_ key: Key, _ expected: String, _ value: Value) -> AQError {
        AQError.api(.decoding(column: key.stringValue, expected: expected,
                              found: value.isNull ? "NULL" : "\(value.type) \(value.text ?? "")"))
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let v = try value(key)
        guard case .boolean(let b) = v else { throw mismatch(key, "Bool", v) }
        return b
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let v = try value(key)
        switch v {
        case .varchar(let s), .json(let s): return s
        default:
            guard !v.isNull, let text = v.text else { throw mismatch(key, "String", v) }
            return text
        }
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        let v = try value(key)
        switch v {
        case .double(let d): return d
        case .integer(let i): return Double(i)
        default: throw mismatch(key, "Double", v)
        }
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decode(Double.self, forKey: key)) }

    private func integer<T: FixedWidthInteger>(_ key: Key, _ type: T.Type) throws -> T {
        let v = try value(key)
        switch v {
        case .integer(let i), .date(let i), .timestamp(let i):
            guard let out = T(exactly: i) else { throw mismatch(key, "\(T.self)", v) }
            return out
        default: throw mismatch(key, "\(T.self)", v)
        }
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key, type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key, type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key, type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key, type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key, type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key, type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key, type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key, type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key, type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key, type) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let v = try value(key)
        if let out = v as? T { return out }
        throw mismatch(key, "\(T.self)", v)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw AQError.api(.decoding(column: key.stringValue, expected: "a column value", found: "a nested struct"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw AQError.api(.decoding(column: key.stringValue, expected: "a column value", found: "a nested array"))
    }

    func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
}

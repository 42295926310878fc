// A chunk as the table keeps it: each column either a vector as scans see it, or in a compact
// form that a scan turns back into a vector only when it reads that column of that chunk —
// dictionary codes in one or two bytes, text compressed (with the JSON sub-columns beside it).

public enum StoredColumn: Sendable {
    case vector(Vector)
    /// Dictionary codes narrowed (see `NarrowCodes`).
    case codes(NarrowCodes, dictionary: StringDictionary, type: DataType, validity: Validity?)
    /// Strings compressed; for a JSON column, the sub-columns of its paths (may be empty).
    case text(PackedText, type: DataType, paths: [JSONKeyPath: PathColumn])

    public var type: DataType {
        switch self {
        case .vector(let v): return v.type
        case .codes(_, _, let type, _), .text(_, let type, _): return type
        }
    }

    /// The column as a vector; nil when compressed text is damaged.
    public func vector() -> Vector? {
        switch self {
        case .vector(let v):
            return v
        case .codes(let codes, let dictionary, let type, let validity):
            return Vector(type: type, storage: .string(.dictionary(codes: codes.widened(), dictionary: dictionary)),
                          validity: validity)
        case .text(let packed, let type, _):
            guard let strings = packed.strings() else { return nil }
            return Vector(type: type, storage: .string(strings), validity: packed.validity)
        }
    }

    /// Rows `rows` of the column (positions in the chunk), as `vector()?.gather(rows)` gives
    /// them, without widening the codes of the rows left out; nil as `vector()`.
    public func vector(rows: [Int32]) -> Vector? {
        guard case .codes(let codes, let dictionary, let type, let validity) = self, dictionary.count > 0 else {
            return vector()?.gather(rows)
        }
        return Vector(type: type, storage: .string(.dictionary(codes: codes.gathered(rows), dictionary: dictionary)),
                      validity: validity?.gathered(rows))
    }

    /// Bytes kept in memory (dictionaries are counted once per table, not here).
    public var storedBytes: Int {
        switch self {
        case .vector(let vector): return vector.byteSize
        case .codes(let codes, _, _, let validity): return codes.byteCount + (validity?.words.count ?? 0) * 8
        case .text(let packed, _, let paths): return packed.storedBytes + paths.values.reduce(0) { $0 + $1.storedBytes }
        }
    }
}

public struct StoredChunk: Sendable {
    public let count: Int
    public var columns: [StoredColumn]

    public init(count: Int, columns: [StoredColumn]) {
        self.count = count
        self.columns = columns
    }

    /// A chunk kept as its vectors are.
    public init(_ batch: Batch) {
        self.init(count: batch.count, columns: batch.columns.map { .vector($0) })
    }
}

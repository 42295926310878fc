// A table: a schema and the chunks of rows appended to it. Chunks are immutable once
// appended (scans share them without copying); string columns may share one dictionary
// across chunks.

public struct ColumnSchema: Sendable, Hashable {
    public var name: String
    public var type: DataType

    public init(name: String, type: DataType) {
        self.name = name
        self.type = type
    }
}

public final class Table: @unchecked Sendable {
    /// The name as created (lookups fold case; see `Catalog`).
    public let name: String
    public private(set) var columns: [ColumnSchema]
    /// Appended row chunks; each has one vector per column, of at most `Batch.capacity` rows.
    public private(set) var chunks: [Batch] = []
    public private(set) var rowCount: Int = 0
    /// Per-column dictionaries that chunks of string columns use, when the writer shares one.
    public var dictionaries: [StringDictionary?]
    /// Positions of columns declared NOT NULL (checked by INSERT).
    public var notNullColumns: Set<Int> = []
    /// PRIMARY KEY / UNIQUE keys and column defaults (checked and applied by INSERT).
    public var constraints = TableConstraints()
    /// Per-chunk value ranges, computed on first use (see `ZoneMaps`).
    let zoneMaps = ZoneMaps()

    public init(name: String, columns: [ColumnSchema]) {
        self.name = name
        self.columns = columns
        self.dictionaries = [StringDictionary?](repeating: nil, count: columns.count)
    }

    /// Index of a column by case-insensitive name.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    /// Appends a chunk. Its vectors must match the schema's types; a chunk larger than
    /// `Batch.capacity` rows is split.
    public func append(_ batch: Batch) {
        precondition(batch.columns.count == columns.count, "chunk width does not match the table")
        guard batch.count > 0 else { return }
        if batch.count <= Batch.capacity {
            chunks.append(batch)
        } else {
            var start = 0
            while start < batch.count {
                let end = min(start + Batch.capacity, batch.count)
                chunks.append(batch.slice(start..<end))
                start = end
            }
        }
        rowCount += batch.count
    }

    /// Keeps the first `count` chunks and drops the rest: undoes the appends of a statement
    /// that failed after them (a load past the memory budget).
    public func keepChunks(_ count: Int) {
        guard count < chunks.count else { return }
        chunks.removeLast(chunks.count - count)
        rowCount = chunks.reduce(0) { $0 + $1.count }
        zoneMaps.reset()
        constraints.indexes.reset()
    }

    /// Removes every row (keeps the schema).
    public func truncate() {
        chunks = []
        zoneMaps.reset()
        constraints.indexes.reset()
        rowCount = 0
    }
}

extension Batch {
    /// Rows `range` of this batch, copied.
    public func slice(_ range: Range<Int>) -> Batch {
        Batch(columns: columns.map { $0.slice(range) }, count: range.count)
    }
}

extension Vector {
    /// Rows `range` of this vector, copied (dictionary vectors keep their dictionary).
    public func slice(_ range: Range<Int>) -> Vector {
        var validity: Validity?
        if let v = self.validity {
            var out = Validity(allValid: 0)
            for i in range { out.append(v.isValid(i)) }
            validity = out
        }
        let storage: VectorStorage
        switch self.storage {
        case .boolean(let a): storage = .boolean(Array(a[range]))
        case .int64(let a): storage = .int64(Array(a[range]))
        case .double(let a): storage = .double(Array(a[range]))
        case .interval(let a): storage = .interval(Array(a[range]))
        case .null: storage = .null(count: range.count)
        case .list(let l): storage = .list(l.gather(range.map { Int32($0) }))
        case .string(.dictionary(let codes, let d)): storage = .string(.dictionary(codes: Array(codes[range]), dictionary: d))
        case .string(.flat(let heap)):
            var out = StringHeap()
            for i in range { heap.withBytes(i) { out.append($0) } }
            storage = .string(.flat(out))
        }
        return Vector(type: type, storage: storage, validity: validity)
    }
}

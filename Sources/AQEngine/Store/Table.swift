// A table: a schema and the chunks of rows appended to it. Chunks are immutable once
// appended (scans share them without copying); string columns may share one dictionary
// across chunks. A loaded chunk may keep columns in a compact form (`StoredChunk`): scans ask
// for a column of a chunk (`vector(chunk:column:)`), so only what a query reads is unpacked.
// A table opened from a store may have its chunks still in the file (`DeferredChunks`): they
// are checked and decoded when a statement first reads its rows (`materialize()`).

import Synchronization

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
    /// Appended row chunks, as kept: one column per schema column, at most `Batch.capacity` rows.
    /// Reading them decodes chunks still in a store file first (`materialize()`; if the file
    /// turns out damaged, there are none: statements that read rows call `materialize()`
    /// beforehand, which throws what is wrong).
    public var storedChunks: [StoredChunk] {
        settle()
        return kept
    }
    private var kept: [StoredChunk] = []
    /// Where the chunks are while they are still in a store file; nil once decoded. Written
    /// only before the table is shared and under the source's lock, with `pending`.
    private var deferred: (any DeferredChunks)?
    /// The rows of each chunk while `deferred` (known from the table section).
    private var deferredRows: [Int] = []
    /// Whether the chunks are still in the store file.
    private let pending = Atomic<Bool>(false)
    /// Per JSON column that has sub-columns: what is known of each of its paths.
    public private(set) var paths: [Int: [JSONKeyPath: PathSummary]] = [:]
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
        settle()
        if batch.count <= Batch.capacity {
            kept.append(StoredChunk(batch))
        } else {
            var start = 0
            while start < batch.count {
                let end = min(start + Batch.capacity, batch.count)
                kept.append(StoredChunk(batch.slice(start..<end)))
                start = end
            }
        }
        rowCount += batch.count
    }

    /// Keeps the first `count` chunks and drops the rest: undoes the appends of a statement
    /// that failed after them (a load past the memory budget).
    public func keepChunks(_ count: Int) {
        settle()
        guard count < kept.count else { return }
        kept.removeLast(kept.count - count)
        rowCount = kept.reduce(0) { $0 + $1.count }
        zoneMaps.reset()
        constraints.indexes.reset()
    }

    /// Appends a chunk already in its kept form (at most `Batch.capacity` rows). The string
    /// values of its path sub-columns are codes into `pathDictionaries` (per column and path),
    /// which the table keeps as a path's dictionary when it has none yet.
    public func append(packed chunk: StoredChunk, pathDictionaries: [Int: [JSONKeyPath: StringDictionary]] = [:]) {
        precondition(chunk.columns.count == columns.count, "chunk width does not match the table")
        guard chunk.count > 0 else { return }
        settle()
        var chunk = chunk
        for c in 0..<chunk.columns.count {
            guard case .text(let packed, let type, var columnPaths) = chunk.columns[c], !columnPaths.isEmpty else { continue }
            var summaries = paths[c] ?? [:]
            for (path, var column) in columnPaths {
                let summary = summaries[path]
                    ?? PathSummary(path: path, dictionary: pathDictionaries[c]?[path] ?? StringDictionary())
                summaries[path] = summary
                summary.chunks += 1
                summary.rows += chunk.count - (column.present?.nullCount ?? 0)
                switch column.values {
                case .strings(let codes):
                    summary.kinds.insert("VARCHAR")
                    if let other = pathDictionaries[c]?[path], other !== summary.dictionary {
                        let target = summary.dictionary
                        column.values = .strings(NarrowCodes(codes.widened().map { code in
                            other.withBytes(code) { target.code(for: $0) }
                        }))
                        columnPaths[path] = column
                    }
                case .integers: summary.kinds.insert("INTEGER")
                case .booleans: summary.kinds.insert("BOOLEAN")
                case .nulls: summary.kinds.insert("NULL")
                }
                if column.nulls != nil { summary.kinds.insert("NULL") }
            }
            paths[c] = summaries
            chunk.columns[c] = .text(packed, type: type, paths: columnPaths)
        }
        kept.append(chunk)
        rowCount += chunk.count
    }

    /// Puts back chunks and path summaries as a saved store kept them (the table is new and
    /// empty; the caller has checked the chunks against the schema).
    func restore(chunks: [StoredChunk], paths: [Int: [JSONKeyPath: PathSummary]]) {
        kept = chunks
        self.paths = paths
        rowCount = chunks.reduce(0) { $0 + $1.count }
        zoneMaps.reset()
        constraints.indexes.reset()
    }

    /// Leaves the chunks in a store file until first read: `rows` is how many rows each has
    /// (the table is new and empty, not yet shared).
    func leaveInFile(_ source: any DeferredChunks, rows: [Int], paths: [Int: [JSONKeyPath: PathSummary]]) {
        deferred = source
        deferredRows = rows
        self.paths = paths
        rowCount = rows.reduce(0, +)
        pending.store(true, ordering: .releasing)
    }

    /// Puts in the chunks that `leaveInFile` left in the file, once its source has decoded and
    /// checked them (called by the source, under its lock).
    func fill(_ chunks: [StoredChunk]) {
        kept = chunks
        deferred = nil
        deferredRows = []
        pending.store(false, ordering: .releasing)
    }

    /// Whether the chunks are still in a store file.
    public var isDeferred: Bool { pending.load(ordering: .acquiring) }

    /// Decodes the chunks still in a store file, checking them first; throws what is wrong
    /// with the file (every time it is called, once it has failed). Nothing to do otherwise.
    public func materialize() throws {
        guard pending.load(ordering: .acquiring), let deferred else { return }
        try deferred.load()
    }

    /// `materialize()` where nothing can be thrown: a damaged file leaves the table without
    /// chunks (the statement's own `materialize()` has reported it).
    private func settle() {
        if pending.load(ordering: .acquiring) { try? materialize() }
    }

    /// How many chunks the table has.
    public var chunkCount: Int { pending.load(ordering: .acquiring) ? deferredRows.count : kept.count }

    /// How many rows chunk `chunk` has (without decoding chunks still in a store file).
    public func rows(ofChunk chunk: Int) -> Int {
        pending.load(ordering: .acquiring) ? deferredRows[chunk] : kept[chunk].count
    }

    /// Column `column` of chunk `chunk` as a vector (unpacked if kept compact); nil when its
    /// compressed text is damaged, or its store file was.
    public func vector(chunk: Int, column: Int) -> Vector? {
        settle()
        // A store file found damaged when read leaves no chunk (the statement's own
        // `materialize()` has said why).
        guard chunk < kept.count else { return nil }
        return kept[chunk].columns[column].vector()
    }

    /// Rows `rows` of column `column` of chunk `chunk` (see `StoredColumn.vector(rows:)`);
    /// nil as `vector(chunk:column:)`.
    public func vector(chunk: Int, column: Int, rows: [Int32]) -> Vector? {
        settle()
        guard chunk < kept.count else { return nil }
        return kept[chunk].columns[column].vector(rows: rows)
    }

    /// The stored form of column `column` of chunk `chunk`, or nil when the chunk is gone
    /// (a damaged store file). For scans that test dictionary codes in place.
    public func storedColumn(chunk: Int, column: Int) -> StoredColumn? {
        settle()
        guard chunk < kept.count else { return nil }
        return kept[chunk].columns[column]
    }

    /// Every chunk with every column unpacked. Scans read `vector(chunk:column:)` instead, so
    /// that columns a query does not read stay packed; a damaged column reads as NULLs.
    public var chunks: [Batch] {
        storedChunks.map { chunk in
            Batch(columns: chunk.columns.map { $0.vector() ?? Vector.nulls(type: $0.type, count: chunk.count) },
                  count: chunk.count)
        }
    }

    /// Removes every row (keeps the schema).
    public func truncate() {
        settle()
        kept = []
        paths = [:]
        zoneMaps.reset()
        constraints.indexes.reset()
        rowCount = 0
    }
}

/// Where a table's chunks are while they are still in a store file (Persist's lazy open).
public protocol DeferredChunks: AnyObject, Sendable {
    /// Checks and decodes the chunks of every table that defers to it, handing each its own
    /// (`Table.fill`). Runs once; throws what is wrong with the file, then and every time after.
    func load() throws
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

// The sections of a store file back into tables, views and loaded files (the inverse of
// StoreEncoder). Nothing here touches a catalog: the caller swaps the result in only when
// the whole file has been read.

import AQSyntax

struct StoreDecoder {
    /// The file's format version (version 3 added the rows of each chunk to the table section).
    let version: UInt32
    private(set) var tables: [Table] = []
    private var chunks: [[StoredChunk]] = []
    private(set) var dictionaries: [[StringDictionary]] = []
    private(set) var expected: [(chunks: Int, rows: Int)] = []
    /// Per table, the rows of each chunk as its table section records them (version 3 on).
    private(set) var chunkRows: [[Int]?] = []
    private(set) var views: [View] = []
    private(set) var files: [FileLoadReport] = []
    private var sawViews = false
    private var sawSources = false

    mutating func read(_ kind: StoreFormat.Section, _ r: inout ByteReader) throws(StoreFileError) {
        switch kind {
        case .table: try readTable(&r)
        case .chunks: try readChunks(&r)
        case .views: try readViews(&r)
        case .sources: try readSources(&r)
        case .end: break
        }
        guard r.remaining == 0 else { throw r.malformed(.extraBytes(r.remaining)) }
    }

    init(version: UInt32) { self.version = version }

    /// The contents, once every section has been read.
    func finish(_ r: ByteReader) throws(StoreFileError) -> StoreContents {
        for (t, table) in tables.enumerated() {
            try StoreDecoder.check(chunks[t], of: table, expected: expected[t], rows: chunkRows[t], r)
            table.restore(chunks: chunks[t], paths: table.paths)
        }
        return try finishDeferred(r)
    }

    /// The contents with the tables' chunks not read (the caller leaves them in the file).
    func finishDeferred(_ r: ByteReader) throws(StoreFileError) -> StoreContents {
        guard sawViews else { throw r.malformed(.missingSection("the views section")) }
        guard sawSources else { throw r.malformed(.missingSection("the sources section")) }
        return StoreContents(tables: tables, views: views, files: version >= 4 ? files : numbered(files))
    }

    /// The files of a store written before version 4 with the rows of each numbered: loads
    /// append their files' rows in the order recorded, so when the files' rows add up to
    /// `events`' rows (no INSERT added any), the file recorded k-th begins where the rows of
    /// those before it end. Otherwise they stay unknown (a changed file is then not read again).
    private func numbered(_ files: [FileLoadReport]) -> [FileLoadReport] {
        guard let t = tables.firstIndex(where: { $0.name.lowercased() == Table.eventsName }),
              files.reduce(0, { $0 + $1.rows }) == expected[t].rows else { return files }
        var row = 0
        return files.map { f in
            var f = f
            f.firstRow = row
            row += f.rows
            return f
        }
    }

    /// Checks a table's chunks against what its table section says: how many, their rows.
    static func check(_ chunks: [StoredChunk], of table: Table, expected: (chunks: Int, rows: Int), rows: [Int]?,
                      _ r: ByteReader) throws(StoreFileError) {
        let total = chunks.reduce(0) { $0 + $1.count }
        guard chunks.count == expected.chunks else {
            throw r.malformed(.mismatch(what: "chunks of table '\(table.name)'", expected: expected.chunks, found: chunks.count))
        }
        guard total == expected.rows else {
            throw r.malformed(.mismatch(what: "rows of table '\(table.name)'", expected: expected.rows, found: total))
        }
        if let rows {
            for (k, chunk) in chunks.enumerated() where chunk.count != rows[k] {
                throw r.malformed(.mismatch(what: "rows of chunk \(k) of table '\(table.name)'", expected: rows[k], found: chunk.count))
            }
        }
    }

    private mutating func readTable(_ r: inout ByteReader) throws(StoreFileError) {
        let name = try r.string()
        guard !tables.contains(where: { $0.name.lowercased() == name.lowercased() }) else { throw r.malformed(.duplicateTable(name)) }
        let columnCount = try r.count(limit: r.remaining)
        var columns: [ColumnSchema] = []
        for _ in 0..<columnCount { columns.append(ColumnSchema(name: try r.string(), type: try r.type())) }
        let table = Table(name: name, columns: columns)
        for c in try r.array(UInt32.self, what: "NOT NULL columns") {
            guard Int(c) < columnCount else { throw r.malformed(.codeOutOfRange(what: "the NOT NULL columns of '\(name)'")) }
            table.notNullColumns.insert(Int(c))
        }
        let keyCount = try r.count(limit: r.remaining)
        for _ in 0..<keyCount {
            let primary = try r.bool()
            let keyColumns = try r.array(UInt32.self, what: "key columns").map { Int($0) }
            guard keyColumns.allSatisfy({ $0 < columnCount }) else { throw r.malformed(.codeOutOfRange(what: "the keys of '\(name)'")) }
            table.constraints.keys.append(UniqueKey(columns: keyColumns, primary: primary))
        }
        let defaultCount = try r.count(limit: r.remaining)
        for _ in 0..<defaultCount {
            let column = try r.index(below: columnCount, what: "the defaults of '\(name)'")
            let text = try r.string()
            guard let d = StoreDecoder.parseDefault(text) else { throw r.malformed(.badDefault(table: name, column: column)) }
            table.constraints.defaults[column] = d
        }
        let dictionaryCount = try r.count(limit: r.remaining)
        var pool: [StringDictionary] = []
        for k in 0..<dictionaryCount {
            let heap = try r.heap(what: "dictionary \(k) of '\(name)'")
            guard let d = StringDictionary.rebuilt(from: heap) else { throw r.malformed(.badStrings(what: "dictionary \(k) of '\(name)' (a repeated string)")) }
            pool.append(d)
        }
        for c in 0..<columnCount {
            let n = try r.u32()
            if n == UInt32.max { continue }
            guard Int(n) < pool.count else { throw r.malformed(.codeOutOfRange(what: "the dictionaries of '\(name)'")) }
            table.dictionaries[c] = pool[Int(n)]
        }
        var paths: [Int: [JSONKeyPath: PathSummary]] = [:]
        let pathColumns = try r.count(limit: r.remaining)
        for _ in 0..<pathColumns {
            let column = try r.index(below: columnCount, what: "the JSON columns of '\(name)'")
            let n = try r.count(limit: r.remaining)
            var summaries: [JSONKeyPath: PathSummary] = [:]
            for _ in 0..<n {
                let path = try r.keyPath()
                let heap = try r.heap(what: "the dictionary of \(path.text)")
                guard let d = StringDictionary.rebuilt(from: heap) else { throw r.malformed(.badStrings(what: "the dictionary of \(path.text)")) }
                let chunkCount = try r.count(limit: Int.max)
                let rows = try r.count(limit: Int.max)
                let kindCount = try r.count(limit: r.remaining)
                var kinds: Set<String> = []
                for _ in 0..<kindCount { kinds.insert(try r.string()) }
                summaries[path] = PathSummary(path: path, dictionary: d, chunks: chunkCount, rows: rows, kinds: kinds)
            }
            paths[column] = summaries
        }
        table.restore(chunks: [], paths: paths)
        let chunkCount = try r.count(limit: Int.max)
        let rowCount = try r.count(limit: Int.max)
        if version >= 3 {
            let rows = try r.array(UInt32.self, expected: chunkCount, what: "rows of the chunks of '\(name)'").map { Int($0) }
            guard rows.allSatisfy({ $0 > 0 && $0 <= Batch.capacity }), rows.reduce(0, +) == rowCount else {
                throw r.malformed(.mismatch(what: "rows of the chunks of '\(name)'", expected: rowCount, found: rows.reduce(0, +)))
            }
            chunkRows.append(rows)
        } else {
            chunkRows.append(nil)
        }
        tables.append(table)
        chunks.append([])
        dictionaries.append(pool)
        expected.append((chunkCount, rowCount))
    }

    private mutating func readChunks(_ r: inout ByteReader) throws(StoreFileError) {
        let t = tables.count - 1
        guard t >= 0 else { throw r.malformed(.codeOutOfRange(what: "the tables")) }
        let (first, read) = try StoreDecoder.chunkSection(&r, tableCount: tables.count, index: t, table: tables[t],
                                                          dictionaries: dictionaries[t])
        guard first == chunks[t].count else { throw r.malformed(.mismatch(what: "first chunk", expected: chunks[t].count, found: first)) }
        chunks[t] += read
    }

    /// A chunk section of `table`, number `t` of `tableCount` (the table section just before
    /// it): the number of its first chunk, and its chunks.
    static func chunkSection(_ r: inout ByteReader, tableCount: Int, index t: Int, table: Table,
                             dictionaries: [StringDictionary]) throws(StoreFileError) -> (first: Int, chunks: [StoredChunk]) {
        let index = try r.index(below: tableCount, what: "the tables")
        guard index == t else { throw r.malformed(.mismatch(what: "table of the chunks", expected: t, found: index)) }
        let first = try r.count(limit: Int.max)
        let n = try r.u32()
        var chunks: [StoredChunk] = []
        for k in 0..<Int(n) {
            let rows = try r.count(limit: Batch.capacity)
            var columns: [StoredColumn] = []
            for (c, schema) in table.columns.enumerated() {
                let what = "column '\(schema.name)' of chunk \(first + k) of '\(table.name)'"
                columns.append(try r.storedColumn(rows: rows, type: schema.type, dictionaries: dictionaries,
                                                  paths: table.paths[c] ?? [:], what: what))
            }
            chunks.append(StoredChunk(count: rows, columns: columns))
        }
        guard r.remaining == 0 else { throw r.malformed(.extraBytes(r.remaining)) }
        return (first, chunks)
    }

    private mutating func readViews(_ r: inout ByteReader) throws(StoreFileError) {
        sawViews = true
        let n = try r.count(limit: r.remaining)
        for _ in 0..<n {
            let name = try r.string()
            let nameCount = try r.count(limit: r.remaining)
            var names: [String] = []
            for _ in 0..<nameCount { names.append(try r.string()) }
            let columnCount = try r.count(limit: r.remaining)
            var columns: [ColumnSchema] = []
            for _ in 0..<columnCount { columns.append(ColumnSchema(name: try r.string(), type: try r.type())) }
            let text = try r.string()
            let source = Source(text)
            guard let query = StoreDecoder.parseQuery(source) else { throw r.malformed(.badQuery(view: name)) }
            views.append(View(name: name, query: query, source: source, columnNames: names, columns: columns))
        }
    }

    private mutating func readSources(_ r: inout ByteReader) throws(StoreFileError) {
        sawSources = true
        let n = try r.count(limit: r.remaining)
        for _ in 0..<n {
            var f = FileLoadReport(path: try r.string(), format: try r.string(), rows: try r.count(limit: Int.max),
                                   skipped: try r.count(limit: Int.max))
            if try r.bool() { f.warning = try r.string() }
            if try r.bool() {
                f.identity = FileIdentity(canonicalPath: try r.string(), size: try r.count(limit: Int.max),
                                          modified: try r.i64(), contentHash: try r.u64())
            }
            if version >= 4 {
                let first = try r.count(limit: Int.max)
                f.firstRow = first == 0 ? nil : first - 1
            }
            files.append(f)
        }
    }

    /// The query of a view, from its text.
    static func parseQuery(_ source: Source) -> Query? {
        let parsed = Parser.parseScript(source)
        guard parsed.count == 1, case .statement(let s) = parsed[0], case .query(let q) = s.kind else { return nil }
        return q
    }

    /// A column default, from the text of its expression.
    static func parseDefault(_ text: String) -> ColumnDefault? {
        let source = Source("SELECT " + text)
        guard let q = parseQuery(source), case .select(let select) = q.body, select.items.count == 1,
              case .expression(let expr, nil) = select.items[0] else { return nil }
        return ColumnDefault(expr: expr, source: source)
    }
}

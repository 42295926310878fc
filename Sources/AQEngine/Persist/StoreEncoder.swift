// A database's contents into the sections of a store file: per table a table section
// (schema, constraints, dictionaries, JSON path summaries) and its chunks in sections of
// `StoreFormat.chunksPerSection`, then the views, the loaded files, and the end.

import AQSyntax

/// What a store file holds: the catalog's tables and views and the files loaded.
public struct StoreContents: Sendable {
    public var tables: [Table]
    public var views: [View]
    public var files: [FileLoadReport]
    /// The content hash recorded in the file it was read from (nil for a version 1 file,
    /// which has none; not used when writing).
    public var contentHash: UInt64?

    public init(tables: [Table], views: [View], files: [FileLoadReport]) {
        self.tables = tables
        self.views = views
        self.files = files
    }
}

enum StoreEncoder {
    /// Calls `emit` with each section in file order (kind and payload), so that only one
    /// section is held in memory at a time.
    static func sections(_ contents: StoreContents, emit: (StoreFormat.Section, [UInt8]) throws -> Void) throws {
        for (t, table) in contents.tables.enumerated() {
            var pool = DictionaryPool(table)
            try emit(.table, tableSection(table, pool: pool))
            var first = 0
            while first < table.chunkCount {
                let last = min(first + StoreFormat.chunksPerSection, table.chunkCount)
                var w = ByteWriter()
                w.u32(UInt32(t))
                w.int(first)
                w.u32(UInt32(last - first))
                for chunk in table.storedChunks[first..<last] {
                    w.int(chunk.count)
                    for column in chunk.columns { w.storedColumn(column, pool: &pool) }
                }
                try emit(.chunks, w.bytes)
                first = last
            }
        }
        try emit(.views, viewsSection(contents.views))
        try emit(.sources, sourcesSection(contents.files))
    }

    private static func tableSection(_ table: Table, pool: DictionaryPool) -> [UInt8] {
        var w = ByteWriter()
        w.string(table.name)
        w.int(table.columns.count)
        for c in table.columns {
            w.string(c.name)
            w.type(c.type)
        }
        w.array(table.notNullColumns.sorted().map { UInt32($0) })
        w.int(table.constraints.keys.count)
        for key in table.constraints.keys {
            w.bool(key.primary)
            w.array(key.columns.map { UInt32($0) })
        }
        w.int(table.constraints.defaults.count)
        for (column, d) in table.constraints.defaults.sorted(by: { $0.key < $1.key }) {
            w.u32(UInt32(column))
            w.string(d.source.text(d.expr.range))
        }
        w.int(pool.dictionaries.count)
        for d in pool.dictionaries { w.heap(d.heap) }
        var pool = pool
        for d in table.dictionaries {
            if let d { w.u32(UInt32(pool.number(d))) } else { w.u32(UInt32.max) }
        }
        w.int(table.paths.count)
        for (column, summaries) in table.paths.sorted(by: { $0.key < $1.key }) {
            w.u32(UInt32(column))
            w.int(summaries.count)
            for (path, s) in summaries.sorted(by: { $0.key < $1.key }) {
                w.keyPath(path)
                w.heap(s.dictionary.heap)
                w.int(s.chunks)
                w.int(s.rows)
                w.int(s.kinds.count)
                for k in s.kinds.sorted() { w.string(k) }
            }
        }
        w.int(table.chunkCount)
        w.int(table.rowCount)
        w.array((0..<table.chunkCount).map { UInt32(table.rows(ofChunk: $0)) })
        return w.bytes
    }

    private static func viewsSection(_ views: [View]) -> [UInt8] {
        var w = ByteWriter()
        w.int(views.count)
        for v in views {
            w.string(v.name)
            w.int(v.columnNames.count)
            for n in v.columnNames { w.string(n) }
            w.int(v.columns.count)
            for c in v.columns {
                w.string(c.name)
                w.type(c.type)
            }
            w.string(v.source.text(v.query.range))
        }
        return w.bytes
    }

    private static func sourcesSection(_ files: [FileLoadReport]) -> [UInt8] {
        var w = ByteWriter()
        w.int(files.count)
        for f in files {
            w.string(f.path)
            w.string(f.format)
            w.int(f.rows)
            w.int(f.skipped)
            if let warning = f.warning { w.u8(1); w.string(warning) } else { w.u8(0) }
            if let id = f.identity {
                w.u8(1)
                w.string(id.canonicalPath)
                w.int(id.size)
                w.i64(id.modified)
                w.u64(id.contentHash)
            } else {
                w.u8(0)
            }
            w.int(f.firstRow.map { $0 + 1 } ?? 0)
        }
        return w.bytes
    }
}

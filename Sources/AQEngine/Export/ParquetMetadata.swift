// The parts of Parquet's metadata aq writes (parquet.thrift): the file footer, row groups,
// column chunks with their statistics, and page headers, each serialized with its field ids.

enum ParquetPhysicalType: Int32 {
    case boolean = 0, int32 = 1, int64 = 2, double = 5, byteArray = 6
}

enum ParquetEncoding: Int32 {
    case plain = 0, rle = 3, rleDictionary = 8
}

/// How a column's values are annotated: the LogicalType union, with the legacy converted
/// type where one exists.
enum ParquetLogicalType {
    case none
    case string
    case integer64
    case date
    case timestampNanosUTC

    var convertedType: Int32? {
        switch self {
        case .string: return 0          // UTF8
        case .integer64: return 18      // INT_64
        case .date: return 6            // DATE
        case .none, .timestampNanosUTC: return nil
        }
    }

    func write(_ w: inout ThriftCompactWriter) {
        switch self {
        case .none: return
        case .string: w.structure(10) { u in u.structure(1) { _ in } }
        case .integer64:
            w.structure(10) { u in u.structure(10) { i in i.byte(1, 64); i.bool(2, true) } }
        case .date: w.structure(10) { u in u.structure(6) { _ in } }
        case .timestampNanosUTC:
            w.structure(10) { u in
                u.structure(8) { t in
                    t.bool(1, true)
                    t.structure(2) { unit in unit.structure(3) { _ in } }
                }
            }
        }
    }
}

struct ParquetColumnSchema {
    var name: String
    var physical: ParquetPhysicalType
    var logical: ParquetLogicalType
}

/// Min, max (plain-encoded) and the number of NULLs of a column chunk.
struct ParquetStatistics {
    var nullCount: Int64
    var min: [UInt8]?
    var max: [UInt8]?

    func write(_ w: inout ThriftCompactWriter, field: Int16) {
        w.structure(field) { s in
            s.i64(3, nullCount)
            if let max { s.binary(5, max) }
            if let min { s.binary(6, min) }
        }
    }
}

struct ParquetColumnChunkMetadata {
    var column: ParquetColumnSchema
    var encodings: [ParquetEncoding]
    var codec: Int32
    var valueCount: Int64
    var uncompressedSize: Int64
    var compressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: ParquetStatistics

    func write(_ w: inout ThriftCompactWriter) {
        w.structBody { c in
            c.i64(2, dictionaryPageOffset ?? dataPageOffset)
            c.structure(3) { m in
                m.i32(1, column.physical.rawValue)
                m.list(2, .i32, count: encodings.count) { l in for e in encodings { l.listI32(e.rawValue) } }
                m.list(3, .binary, count: 1) { l in l.listString(column.name) }
                m.i32(4, codec)
                m.i64(5, valueCount)
                m.i64(6, uncompressedSize)
                m.i64(7, compressedSize)
                m.i64(9, dataPageOffset)
                if let dictionaryPageOffset { m.i64(11, dictionaryPageOffset) }
                statistics.write(&m, field: 12)
            }
        }
    }
}

struct ParquetRowGroupMetadata {
    var columns: [ParquetColumnChunkMetadata]
    var rowCount: Int64
    var fileOffset: Int64
    var ordinal: Int16

    func write(_ w: inout ThriftCompactWriter) {
        let uncompressed = columns.reduce(0) { $0 + $1.uncompressedSize }
        let compressed = columns.reduce(0) { $0 + $1.compressedSize }
        w.structBody { g in
            g.list(1, .structure, count: columns.count) { l in for c in columns { c.write(&l) } }
            g.i64(2, uncompressed)
            g.i64(3, rowCount)
            g.i64(5, fileOffset)
            g.i64(6, compressed)
            g.fieldHeader(7, .i16)
            g.varint(g.zigzag(Int64(ordinal)))
        }
    }
}

enum ParquetFooter {
    /// FileMetaData: version, the flat schema (a root group, then one OPTIONAL leaf per
    /// column), the row count, the row groups, and who wrote it.
    static func serialize(columns: [ParquetColumnSchema], rowCount: Int64,
                          rowGroups: [ParquetRowGroupMetadata]) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.structBody { f in
            f.i32(1, 2)
            f.list(2, .structure, count: columns.count + 1) { l in
                l.structBody { root in
                    root.string(4, "schema")
                    root.i32(5, Int32(columns.count))
                }
                for c in columns {
                    l.structBody { e in
                        e.i32(1, c.physical.rawValue)
                        e.i32(3, 1)   // OPTIONAL
                        e.string(4, c.name)
                        if let converted = c.logical.convertedType { e.i32(6, converted) }
                        c.logical.write(&e)
                    }
                }
            }
            f.i64(3, rowCount)
            f.list(4, .structure, count: rowGroups.count) { l in for g in rowGroups { g.write(&l) } }
            f.string(6, "aq")
            // Type-defined order for every column: readers then trust min_value / max_value.
            f.list(7, .structure, count: columns.count) { l in
                for _ in columns { l.structBody { o in o.structure(1) { _ in } } }
            }
        }
        return w.bytes
    }
}

enum ParquetPageHeader {
    static func data(valueCount: Int, encoding: ParquetEncoding, uncompressed: Int, compressed: Int) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.structBody { h in
            h.i32(1, 0)
            h.i32(2, Int32(uncompressed))
            h.i32(3, Int32(compressed))
            h.structure(5) { d in
                d.i32(1, Int32(valueCount))
                d.i32(2, encoding.rawValue)
                d.i32(3, ParquetEncoding.rle.rawValue)
                d.i32(4, ParquetEncoding.rle.rawValue)
            }
        }
        return w.bytes
    }

    static func dictionary(valueCount: Int, uncompressed: Int, compressed: Int) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.structBody { h in
            h.i32(1, 2)
            h.i32(2, Int32(uncompressed))
            h.i32(3, Int32(compressed))
            h.structure(7) { d in
                d.i32(1, Int32(valueCount))
                d.i32(2, ParquetEncoding.plain.rawValue)
            }
        }
        return w.bytes
    }
}

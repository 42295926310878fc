// Columns into bytes, as they are in memory: types, validity words, typed buffers, narrowed
// dictionary codes, zstd frames and JSON sub-columns are written as they lie, never
// re-encoded (docs/file-format.md, "Columns").

extension ByteWriter {
    mutating func type(_ t: DataType) {
        switch t {
        case .null: u8(0)
        case .boolean: u8(1)
        case .integer: u8(2)
        case .double: u8(3)
        case .varchar: u8(4)
        case .date: u8(5)
        case .timestamp: u8(6)
        case .interval: u8(7)
        case .json: u8(8)
        case .list(let element):
            u8(9)
            type(element)
        }
    }

    mutating func validity(_ v: Validity?) {
        guard let v else { return u8(0) }
        u8(1)
        int(v.count)
        array(v.words)
    }

    mutating func heap(_ h: StringHeap) {
        array(h.offsets)
        byteArray(h.bytes)
    }

    mutating func narrowCodes(_ codes: NarrowCodes) {
        switch codes {
        case .u8(let a): u8(1); array(a)
        case .u16(let a): u8(2); array(a)
        case .u32(let a): u8(4); array(a)
        }
    }

    mutating func keyPath(_ path: JSONKeyPath) {
        int(path.keys.count)
        for key in path.keys { byteArray(key) }
    }

    mutating func vector(_ v: Vector, pool: inout DictionaryPool) {
        type(v.type)
        validity(v.validity)
        switch v.storage {
        case .boolean(let a): u8(0); array(a.map { $0 ? UInt8(1) : 0 })
        case .int64(let a): u8(1); array(a)
        case .double(let a): u8(2); array(a)
        case .string(.flat(let h)): u8(3); heap(h)
        case .string(.dictionary(let codes, let d)):
            u8(4)
            u32(UInt32(pool.number(d)))
            array(codes)
        case .interval(let a):
            u8(5)
            array(a.map(\.months))
            array(a.map(\.days))
            array(a.map(\.nanoseconds))
        case .list(let l):
            u8(6)
            array(l.offsets)
            vector(l.elements, pool: &pool)
        case .null(let n):
            u8(7)
            int(n)
        }
    }

    mutating func storedColumn(_ column: StoredColumn, pool: inout DictionaryPool) {
        switch column {
        case .vector(let v):
            u8(0)
            vector(v, pool: &pool)
        case .codes(let codes, let d, _, let validity):
            u8(1)
            u32(UInt32(pool.number(d)))
            narrowCodes(codes)
            self.validity(validity)
        case .text(let packed, _, let paths):
            switch packed.layout {
            case .contiguous: u8(2)
            case .gapped: u8(3)
            case .uuids: u8(4)
            }
            int(packed.rowCount)
            int(packed.recordCount)
            bool(packed.compressed)
            int(packed.size)
            switch packed.layout {
            case .contiguous: break
            case .gapped(let gaps): int(gaps)
            case .uuids(let upper): bool(upper)
            }
            byteArray(packed.frame)
            if let rows = packed.rowRecords { u8(1); array(rows) } else { u8(0) }
            validity(packed.validity)
            int(paths.count)
            for (path, column) in paths.sorted(by: { $0.key < $1.key }) {
                keyPath(path)
                pathColumn(column)
            }
        }
    }

    mutating func pathColumn(_ column: PathColumn) {
        switch column.values {
        case .strings(let codes): u8(0); narrowCodes(codes)
        case .integers(let a): u8(1); array(a)
        case .booleans(let a): u8(2); array(a.map { $0 ? UInt8(1) : 0 })
        case .nulls: u8(3)
        }
        validity(column.present)
        validity(column.nulls)
    }
}

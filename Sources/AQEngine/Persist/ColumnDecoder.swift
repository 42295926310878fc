// Columns back from bytes (the inverse of ColumnEncoder). Every length is checked against
// the rows it must describe, every code against its dictionary, every offset against its
// buffer, and each storage against its type, so what comes out is as safe to scan as what
// a load builds.

extension ByteReader {
    mutating func type(depth: Int = 0) throws(StoreFileError) -> DataType {
        let tag = try u8()
        switch tag {
        case 0: return .null
        case 1: return .boolean
        case 2: return .integer
        case 3: return .double
        case 4: return .varchar
        case 5: return .date
        case 6: return .timestamp
        case 7: return .interval
        case 8: return .json
        case 9 where depth < 32: return .list(try type(depth: depth + 1))
        default: throw malformed(.unknownType(tag: tag))
        }
    }

    mutating func validity(rows: Int, what: String) throws(StoreFileError) -> Validity? {
        guard try bool() else { return nil }
        let n = try count()
        guard n == rows else { throw malformed(.mismatch(what: "rows of the validity of \(what)", expected: rows, found: n)) }
        let words = try array(UInt64.self, expected: (rows + 63) >> 6, what: "validity of \(what)")
        guard let v = Validity(words: words, count: rows) else {
            throw malformed(.mismatch(what: "validity of \(what)", expected: rows, found: words.count * 64))
        }
        return v
    }

    mutating func heap(what: String) throws(StoreFileError) -> StringHeap {
        let offsets = try array(UInt32.self, what: "string offsets of \(what)")
        let bytes = try byteArray()
        guard let heap = StringHeap.checked(bytes: bytes, offsets: offsets) else { throw malformed(.badStrings(what: what)) }
        return heap
    }

    mutating func narrowCodes(rows: Int, below limit: Int, what: String) throws(StoreFileError) -> NarrowCodes {
        let width = try u8()
        let codes: NarrowCodes
        switch width {
        case 1: codes = .u8(try array(UInt8.self, expected: rows, what: what))
        case 2: codes = .u16(try array(UInt16.self, expected: rows, what: what))
        case 4: codes = .u32(try array(UInt32.self, expected: rows, what: what))
        default: throw malformed(.unknownTag(what: "code width", tag: width))
        }
        let top: Int
        switch codes {
        case .u8(let a): top = Int(a.max() ?? 0)
        case .u16(let a): top = Int(a.max() ?? 0)
        case .u32(let a): top = Int(a.max() ?? 0)
        }
        guard rows == 0 || top < limit else { throw malformed(.codeOutOfRange(what: what)) }
        return codes
    }

    mutating func keyPath() throws(StoreFileError) -> JSONKeyPath {
        let n = try count(limit: remaining)
        var keys: [[UInt8]] = []
        for _ in 0..<n { keys.append(try byteArray()) }
        return JSONKeyPath(keys: keys)
    }

    mutating func booleans(rows: Int, what: String) throws(StoreFileError) -> [Bool] {
        let bytes = try array(UInt8.self, expected: rows, what: what)
        guard bytes.allSatisfy({ $0 <= 1 }) else { throw malformed(.unknownTag(what: "boolean in \(what)", tag: 2)) }
        return bytes.map { $0 == 1 }
    }

    mutating func vector(rows: Int, type expected: DataType, dictionaries: [StringDictionary], what: String,
                         depth: Int = 0) throws(StoreFileError) -> Vector {
        let type = try self.type()
        guard type == expected else {
            throw malformed(.mismatch(what: "type of \(what) (\(expected) vs \(type))", expected: 0, found: 1))
        }
        let validity = try self.validity(rows: rows, what: what)
        let tag = try u8()
        let storage: VectorStorage
        switch (tag, type) {
        case (0, .boolean):
            storage = .boolean(try booleans(rows: rows, what: what))
        case (1, .integer), (1, .date), (1, .timestamp):
            storage = .int64(try array(Int64.self, expected: rows, what: what))
        case (2, .double):
            storage = .double(try array(Double.self, expected: rows, what: what))
        case (3, .varchar), (3, .json):
            let h = try heap(what: what)
            guard h.count == rows else { throw malformed(.mismatch(what: "strings of \(what)", expected: rows, found: h.count)) }
            storage = .string(.flat(h))
        case (4, .varchar), (4, .json):
            let d = dictionaries[try index(below: dictionaries.count, what: "dictionaries")]
            let codes = try array(UInt32.self, expected: rows, what: what)
            guard rows == 0 || Int(codes.max() ?? 0) < d.count else { throw malformed(.codeOutOfRange(what: what)) }
            storage = .string(.dictionary(codes: codes, dictionary: d))
        case (5, .interval):
            let months = try array(Int32.self, expected: rows, what: what)
            let days = try array(Int32.self, expected: rows, what: what)
            let nanos = try array(Int64.self, expected: rows, what: what)
            storage = .interval((0..<rows).map { Interval(months: months[$0], days: days[$0], nanoseconds: nanos[$0]) })
        case (6, .list(let element)) where depth < 32:
            let offsets = try array(Int32.self, expected: rows + 1, what: "list offsets of \(what)")
            var previous: Int32 = 0
            for (k, o) in offsets.enumerated() {
                guard o >= previous, k > 0 || o == 0 else { throw malformed(.badStrings(what: "list offsets of \(what)")) }
                previous = o
            }
            let elements = try vector(rows: Int(previous), type: element, dictionaries: dictionaries,
                                      what: "elements of \(what)", depth: depth + 1)
            storage = .list(ListVector(offsets: offsets, elements: elements))
        case (7, .null):
            let n = try count()
            guard n == rows else { throw malformed(.mismatch(what: "rows of \(what)", expected: rows, found: n)) }
            storage = .null(count: n)
        default:
            throw malformed(.unknownTag(what: "storage of \(type) in \(what)", tag: tag))
        }
        return Vector(type: type, storage: storage, validity: validity)
    }

    mutating func storedColumn(rows: Int, type: DataType, dictionaries: [StringDictionary],
                               paths: [JSONKeyPath: PathSummary], what: String) throws(StoreFileError) -> StoredColumn {
        let tag = try u8()
        switch tag {
        case 0:
            return .vector(try vector(rows: rows, type: type, dictionaries: dictionaries, what: what))
        case 1 where type == .varchar || type == .json:
            let d = dictionaries[try index(below: dictionaries.count, what: "dictionaries")]
            let codes = try narrowCodes(rows: rows, below: d.count, what: what)
            return .codes(codes, dictionary: d, type: type, validity: try validity(rows: rows, what: what))
        case 2...4 where type == .varchar || type == .json:
            // 3: the records kept with the gaps between them; 4: UUIDs (format version 5 on).
            let rowCount = try count()
            let recordCount = try count()
            let compressed = try bool()
            let size = try count(limit: Int(UInt32.max))
            let layout: PackedText.Layout
            switch tag {
            case 3: layout = .gapped(gapBytes: try count(limit: Int(UInt32.max)))
            case 4: layout = .uuids(upper: try bool())
            default: layout = .contiguous
            }
            let frame = try byteArray()
            let rowRecords = try bool() ? try array(UInt32.self, expected: rowCount, what: "records of \(what)") : nil
            let validity = try validity(rows: rowCount, what: what)
            guard rowCount == rows, !compressed || ZstdFrame.contentSize(frame) == size,
                  let packed = PackedText(rowCount: rowCount, recordCount: recordCount, layout: layout, frame: frame,
                                          compressed: compressed, size: size, rowRecords: rowRecords, validity: validity) else {
                throw malformed(.badText(what: what))
            }
            let n = try count(limit: remaining)
            var columns: [JSONKeyPath: PathColumn] = [:]
            for _ in 0..<n {
                let path = try keyPath()
                guard let summary = paths[path] else { throw malformed(.codeOutOfRange(what: "the JSON paths of \(what)")) }
                columns[path] = try pathColumn(rows: rows, dictionary: summary.dictionary, what: "\(what) at \(path.text)")
            }
            return .text(packed, type: type, paths: columns)
        default:
            throw malformed(.unknownTag(what: "column form of \(what)", tag: tag))
        }
    }

    mutating func pathColumn(rows: Int, dictionary: StringDictionary, what: String) throws(StoreFileError) -> PathColumn {
        let tag = try u8()
        let values: PathColumn.Values
        switch tag {
        case 0: values = .strings(try narrowCodes(rows: rows, below: dictionary.count, what: what))
        case 1: values = .integers(try array(Int64.self, expected: rows, what: what))
        case 2: values = .booleans(try booleans(rows: rows, what: what))
        case 3: values = .nulls
        default: throw malformed(.unknownTag(what: "sub-column of \(what)", tag: tag))
        }
        return PathColumn(values: values, present: try validity(rows: rows, what: what), nulls: try validity(rows: rows, what: what))
    }
}

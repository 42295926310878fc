// How a scan gets the vectors of one chunk: the table's columns it reads (unpacked only
// then), and the JSON paths it reads from sub-columns — or, in a chunk without the path's
// sub-column, from the chunk's text, the way json_extract_string / json_extract read it.

struct ScanColumnReader {
    let table: Table
    let columns: [Int]
    let paths: [ScanPath]
    private let jsonPaths: [JSONPath]

    /// Output columns: the table's columns read, then the paths.
    var width: Int { columns.count + paths.count }

    init(table: Table, columns: [Int], paths: [ScanPath]) {
        self.table = table
        self.columns = columns
        self.paths = paths
        jsonPaths = paths.map { JSONPath(steps: $0.path.keys.map { .key($0) }, fallback: nil) }
    }

    /// The scan's output vectors for chunk `index`; those at `deferred` positions are left as
    /// placeholders of no storage (for the caller to read once it knows some row is kept).
    func vectors(chunk index: Int, deferring deferred: Set<Int> = []) throws -> [Vector] {
        var unpacked: [Int: Vector] = [:]
        func column(_ c: Int) throws -> Vector {
            if let v = unpacked[c] { return v }
            guard let v = table.vector(chunk: index, column: c) else {
                throw ExecutionError.damagedChunk(table: table.name, column: table.columns[c].name, chunk: index)
            }
            unpacked[c] = v
            return v
        }
        let chunk = table.storedChunks[index]
        var out: [Vector] = []
        for (k, c) in columns.enumerated() {
            out.append(deferred.contains(k) ? Vector(type: table.columns[c].type, storage: .null(count: chunk.count))
                                            : try column(c))
        }
        for (k, path) in paths.enumerated() {
            if deferred.contains(columns.count + k) {
                out.append(Vector(type: path.type, storage: .null(count: chunk.count)))
            } else if case .text(_, _, let sub) = chunk.columns[path.column], let values = sub[path.path] {
                out.append(ScanColumnReader.vector(values, count: chunk.count, asString: path.asString,
                                                   dictionary: table.paths[path.column]?[path.path]?.dictionary))
            } else {
                out.append(ScanColumnReader.extract(try column(path.column), jsonPaths[k], count: chunk.count,
                                                    asString: path.asString))
            }
        }
        return out
    }

    /// A path's values from its sub-column.
    static func vector(_ column: PathColumn, count: Int, asString: Bool, dictionary: StringDictionary?) -> Vector {
        let type: DataType = asString ? .varchar : .json
        if asString, case .strings(let codes) = column.values, let dictionary {
            return Vector(type: type, storage: .string(.dictionary(codes: codes.widened(), dictionary: dictionary)),
                          validity: column.present)
        }
        // Text per row: the JSON text for json_extract, the string for json_extract_string.
        var heap = StringHeap(reservingCapacity: count, bytes: count * 8)
        var validity = Validity(allValid: count)
        var scratch: [UInt8] = []
        let isPresent = { (i: Int) in column.present?.isValid(i) ?? true }
        let isNull = { (i: Int) in column.nulls?.isValid(i) ?? false }
        for i in 0..<count {
            scratch.removeAll(keepingCapacity: true)
            if isPresent(i) {
                switch column.values {
                case .strings(let codes):
                    let code: UInt32
                    switch codes {
                    case .u8(let a): code = UInt32(a[i])
                    case .u16(let a): code = UInt32(a[i])
                    case .u32(let a): code = a[i]
                    }
                    dictionary?.withBytes(code) { bytes in
                        if asString { scratch.append(contentsOf: bytes) } else { JSONReader.appendQuoted(bytes, into: &scratch) }
                    }
                case .integers(let a): scratch.append(contentsOf: String(a[i]).utf8)
                case .booleans(let a): scratch.append(contentsOf: (a[i] ? "true" : "false").utf8)
                case .nulls: break
                }
            } else if !asString && isNull(i) {
                scratch.append(contentsOf: "null".utf8)
            } else {
                validity.set(i, valid: false)
                heap.appendEmpty()
                continue
            }
            scratch.withUnsafeBytes { heap.append($0) }
        }
        return Vector(type: type, storage: .string(.flat(heap)), validity: validity.nullCount == 0 ? nil : validity)
    }

    /// A path's values read from the text of each row (as `JSONFunctions.extract` does).
    static func extract(_ text: Vector, _ path: JSONPath, count: Int, asString: Bool) -> Vector {
        guard case .string(let strings) = text.storage else { return Vector.nulls(type: asString ? .varchar : .json, count: count) }
        var heap = StringHeap(reservingCapacity: count, bytes: count * 16)
        var validity = Validity(allValid: count)
        var scratch: [UInt8] = []
        for i in 0..<count {
            scratch.removeAll(keepingCapacity: true)
            var found = false
            if !text.isNull(i) {
                found = strings.withBytes(i) { document in
                    guard let r = path.find(in: document) else { return false }
                    let value = UnsafeRawBufferPointer(rebasing: document[r])
                    return asString ? JSONFunctions.appendString(value, into: &scratch) : JSONFunctions.appendJSON(value, into: &scratch)
                }
            }
            if found {
                scratch.withUnsafeBytes { heap.append($0) }
            } else {
                validity.set(i, valid: false)
                heap.appendEmpty()
            }
        }
        return Vector(type: asString ? .varchar : .json, storage: .string(.flat(heap)),
                      validity: validity.nullCount == 0 ? nil : validity)
    }
}

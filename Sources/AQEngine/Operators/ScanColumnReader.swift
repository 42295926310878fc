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
    /// With `rows`, only those rows (ascending positions in the chunk): dictionary codes are
    /// taken from the stored ones for those rows alone.
    func vectors(chunk index: Int, deferring deferred: Set<Int> = [], rows: [Int32]? = nil) throws -> [Vector] {
        // Rows still in a store file (a scan the planner saw no reader above): read them now,
        // so that a damaged file is reported as such.
        if table.isDeferred, deferred.count < width { try table.materialize() }
        var unpacked: [Int: Vector] = [:]
        func column(_ c: Int) throws -> Vector {
            if let v = unpacked[c] { return v }
            guard let v = table.vector(chunk: index, column: c) else {
                throw ExecutionError.damagedChunk(table: table.name, column: table.columns[c].name, chunk: index)
            }
            unpacked[c] = v
            return v
        }
        func selected(_ c: Int) throws -> Vector {
            guard let rows else { return try column(c) }
            guard let v = table.vector(chunk: index, column: c, rows: rows) else {
                throw ExecutionError.damagedChunk(table: table.name, column: table.columns[c].name, chunk: index)
            }
            return v
        }
        let count = rows?.count ?? table.rows(ofChunk: index)
        var out: [Vector] = []
        for (k, c) in columns.enumerated() {
            out.append(deferred.contains(k) ? Vector(type: table.columns[c].type, storage: .null(count: count))
                                            : try selected(c))
        }
        guard !paths.isEmpty else { return out }
        let chunks = table.storedChunks
        guard index < chunks.count else {
            throw ExecutionError.damagedChunk(table: table.name, column: table.columns[paths[0].column].name, chunk: index)
        }
        let chunk = chunks[index]
        for (k, path) in paths.enumerated() {
            let v: Vector
            if deferred.contains(columns.count + k) {
                out.append(Vector(type: path.type, storage: .null(count: count)))
                continue
            } else if case .text(_, _, let sub) = chunk.columns[path.column], let values = sub[path.path] {
                v = ScanColumnReader.vector(values, count: chunk.count, asString: path.asString,
                                            dictionary: table.paths[path.column]?[path.path]?.dictionary)
            } else if case .text(let packed, _, _) = chunk.columns[path.column] {
                guard let values = ScanColumnReader.extract(packed, jsonPaths[k], asString: path.asString) else {
                    throw ExecutionError.damagedChunk(table: table.name, column: table.columns[path.column].name, chunk: index)
                }
                v = values
            } else {
                v = ScanColumnReader.extract(try column(path.column), jsonPaths[k], count: chunk.count, asString: path.asString)
            }
            out.append(rows.map { v.gather($0) } ?? v)
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
            let found = !text.isNull(i) && strings.withBytes(i) { extract($0, path, asString: asString, into: &scratch) }
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

    /// A path's values read from a chunk's compressed text: decompressed once, the path
    /// found in each record once (rows sharing a record share its value), no vector of the
    /// text built. nil when the frame is damaged.
    static func extract(_ packed: PackedText, _ path: JSONPath, asString: Bool) -> Vector? {
        guard let records = packed.records() else { return nil }
        let count = packed.rowCount
        var validity = Validity(allValid: count)
        var scratch: [UInt8] = []
        // The value of each record (found or not), in record order.
        var values = StringHeap(reservingCapacity: records.count, bytes: records.count * 16)
        var found = [Bool](repeating: false, count: records.count)
        for r in 0..<records.count {
            found[r] = records.withBytes(r) { extract($0, path, asString: asString, into: &scratch) }
            if found[r] { scratch.withUnsafeBytes { values.append($0) } } else { values.appendEmpty() }
        }
        if packed.rowRecords == nil && packed.validity == nil && !found.contains(false) {
            return Vector(type: asString ? .varchar : .json, storage: .string(.flat(values)), validity: nil)
        }
        var heap = packed.rowRecords == nil ? values : StringHeap(reservingCapacity: count, bytes: values.bytes.count)
        for row in 0..<count {
            let r = packed.rowRecords.map { Int($0[row]) } ?? row
            let valid = found[r] && (packed.validity?.isValid(row) ?? true)
            if !valid { validity.set(row, valid: false) }
            if packed.rowRecords != nil {
                if valid { values.withBytes(r) { heap.append($0) } } else { heap.appendEmpty() }
            }
        }
        return Vector(type: asString ? .varchar : .json, storage: .string(.flat(heap)),
                      validity: validity.nullCount == 0 ? nil : validity)
    }

    /// The value at `path` in `document` into `out` (emptied first), as json_extract_string
    /// (`asString`) or json_extract give it; false when there is none.
    @inline(__always)
    static func extract(_ document: UnsafeRawBufferPointer, _ path: JSONPath, asString: Bool, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        guard let r = path.find(in: document) else { return false }
        let value = UnsafeRawBufferPointer(rebasing: document[r])
        return asString ? JSONFunctions.appendString(value, into: &out) : JSONFunctions.appendJSON(value, into: &out)
    }
}

// The cells of a table file (spans into its buffer), the type each column gets from all its
// values, and the table built from them in chunks of `Batch.capacity` rows.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a cell's span holds.
enum CellKind: UInt8 {
    case null
    /// CSV text as written; a quoted CSV cell with doubled quotes.
    case text, csvQuoted
    /// A JSON string body (without or with escapes).
    case jsonString, jsonEscaped
    case number, boolean
    /// A JSON object or array: kept as its text.
    case json
}

/// Cells in row-major order, with the column names.
struct CellTable {
    let names: [String]
    var rowCount = 0
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var kinds: [CellKind] = []

    init(names: [String]) { self.names = CellTable.uniqueNames(names) }

    mutating func append(start: Int, end: Int, kind: CellKind) {
        starts.append(start)
        ends.append(end)
        kinds.append(kind)
    }

    /// Names as given, with an empty one named `columnN` and a repeated one suffixed `_2`, `_3`.
    static func uniqueNames(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.enumerated().map { i, name in
            var base = name.isEmpty ? "column\(i + 1)" : name
            if seen.contains(base.lowercased()) {
                var k = 2
                while seen.contains("\(base)_\(k)".lowercased()) { k += 1 }
                base = "\(base)_\(k)"
            }
            seen.insert(base.lowercased())
            return base
        }
    }

    /// The text of a cell (decoded), valid until the arena is reset.
    private func text(_ i: Int, _ base: UnsafePointer<UInt8>, _ arena: ScratchArena) -> Bytes {
        let span = Bytes(start: base + starts[i], count: ends[i] - starts[i])
        switch kinds[i] {
        case .csvQuoted: return CSVText.undouble(span, into: arena)
        case .jsonEscaped: return JSONText.unescape(span, into: arena)
        default: return span
        }
    }

    /// Whether every value of column `c` that is not NULL is a JSON object (nested in a JSON
    /// record, or text starting with `{` in a CSV cell), and there is one.
    func holdsObjects(_ c: Int, _ base: UnsafePointer<UInt8>) -> Bool {
        var seen = false
        let arena = ScratchArena()
        var i = c
        while i < kinds.count {
            defer { i += names.count }
            if kinds[i] == .null { continue }
            arena.reset()
            let t = text(i, base, arena)
            guard t.first == UInt8(ascii: "{") else { return false }
            seen = true
        }
        return seen
    }

    /// The type of column `c`: BOOLEAN, INTEGER, DOUBLE or TIMESTAMP when every value reads as
    /// one, else VARCHAR (also when every value is NULL). JSON strings are never numbers.
    func inferType(_ c: Int, _ base: UnsafePointer<UInt8>) -> DataType {
        var canBool = true, canInt = true, canDouble = true, canTime = true
        var seen = false
        let arena = ScratchArena()
        var i = c
        while i < kinds.count {
            defer { i += names.count }
            let kind = kinds[i]
            if kind == .null { continue }
            seen = true
            arena.reset()
            switch kind {
            case .null: continue
            case .boolean: canInt = false; canDouble = false; canTime = false
            case .number:
                canBool = false; canTime = false
                if canInt, ValueParsing.integer(text(i, base, arena)) == nil { canInt = false }
            case .json: return .varchar
            case .jsonString, .jsonEscaped:
                canBool = false; canInt = false; canDouble = false
                if canTime, TimeMath.parseTimestamp(text(i, base, arena)) == nil { canTime = false }
            case .text, .csvQuoted:
                let t = text(i, base, arena)
                if canBool, ValueParsing.boolean(t) == nil { canBool = false }
                if canInt, ValueParsing.integer(t) == nil { canInt = false }
                if canDouble, !canInt, ValueParsing.double(t) == nil { canDouble = false }
                if canTime, TimeMath.parseTimestamp(t) == nil { canTime = false }
            }
            if !(canBool || canInt || canDouble || canTime) { return .varchar }
        }
        if !seen { return .varchar }
        if canBool { return .boolean }
        if canInt { return .integer }
        if canDouble { return .double }
        if canTime { return .timestamp }
        return .varchar
    }

    /// The table of these cells.
    func build(name: String, base: UnsafePointer<UInt8>) -> Table {
        let types = (0..<names.count).map { inferType($0, base) }
        let holdsJSON = (0..<names.count).map { types[$0] == .varchar && holdsObjects($0, base) }
        let table = Table(name: name, columns: zip(names, types).map { ColumnSchema(name: $0, type: $1) })
        let arena = ScratchArena()
        let walker = RecordPaths()
        let shredders = (0..<names.count).map { holdsJSON[$0] ? ChunkPaths(table: table, column: $0) : nil }
        var row = 0
        while row < rowCount {
            let n = min(Batch.capacity, rowCount - row)
            var columns: [StoredColumn] = []
            var pathDictionaries: [Int: [JSONKeyPath: StringDictionary]] = [:]
            for (c, type) in types.enumerated() {
                var validity = Validity(allValid: n)
                var nulls = 0
                @inline(__always) func cell(_ r: Int) -> Int { (row + r) * names.count + c }
                func markNull(_ r: Int) { validity.set(r, valid: false); nulls += 1 }
                let storage: VectorStorage
                switch type {
                case .boolean:
                    storage = .boolean((0..<n).map { r in
                        arena.reset()
                        guard kinds[cell(r)] != .null, let b = ValueParsing.boolean(text(cell(r), base, arena)) else { markNull(r); return false }
                        return b
                    })
                case .integer, .timestamp:
                    storage = .int64((0..<n).map { r in
                        arena.reset()
                        let t = kinds[cell(r)] == .null ? nil : text(cell(r), base, arena)
                        let v = t.flatMap { type == .integer ? ValueParsing.integer($0) : TimeMath.parseTimestamp($0) }
                        if v == nil { markNull(r) }
                        return v ?? 0
                    })
                case .double:
                    storage = .double((0..<n).map { r in
                        arena.reset()
                        guard kinds[cell(r)] != .null, let d = ValueParsing.double(text(cell(r), base, arena)) else { markNull(r); return 0 }
                        return d
                    })
                default:
                    var heap = StringHeap(reservingCapacity: n, bytes: 0)
                    for r in 0..<n {
                        arena.reset()
                        if kinds[cell(r)] == .null { markNull(r); heap.appendEmpty() } else { heap.append(text(cell(r), base, arena)) }
                    }
                    if let shredder = shredders[c] {
                        // JSON objects: kept compressed, their paths shredded (as `raw` is).
                        let valid = nulls > 0 ? validity : nil
                        let sub = shredder.shred(heap, valid: valid, walker: walker)
                        columns.append(.text(PackedText(records: heap, rowRecords: nil, validity: valid), type: type,
                                             paths: sub.paths))
                        if !sub.dictionaries.isEmpty { pathDictionaries[c] = sub.dictionaries }
                        continue
                    }
                    storage = .string(.flat(heap))
                }
                columns.append(.vector(Vector(type: type, storage: storage, validity: nulls > 0 ? validity : nil)))
            }
            table.append(packed: StoredChunk(count: n, columns: columns), pathDictionaries: pathDictionaries)
            row += n
        }
        return table
    }
}

/// Reading typed values from text, for inferred columns.
enum ValueParsing {
    static func integer(_ p: Bytes) -> Int64? {
        guard p.count > 0, p[0] != 0x20, p[p.count - 1] != 0x20 else { return nil }
        return ByteText.integer(p)
    }

    static func boolean(_ p: Bytes) -> Bool? {
        if ByteText.equalsFolded(p, "true") { return true }
        if ByteText.equalsFolded(p, "false") { return false }
        return nil
    }

    /// A decimal number: `[+-]digits[.digits][(e|E)[+-]digits]` (a fraction alone too).
    static func double(_ p: Bytes) -> Double? { NumberText.double(p) }
}

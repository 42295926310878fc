// `LOAD 'file' AS t`: a CSV file (header row) or a JSON-lines file (or a JSON array of
// objects) into a new table `t`, each column's type inferred from all of its values.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum TableFileLoader {
    /// How many JSON records' keys make the columns (a key first seen later is not a column).
    static let keyScanLimit = 1000

    /// Loads a CSV or JSON-lines file into a new table `table` with inferred column types.
    /// Throws when the file cannot be read, has no header or keys, or `table` exists.
    public static func load(path: String, table: String, into catalog: Catalog,
                            cancellation: CancellationToken? = nil) throws -> LoadReport {
        let started = Clock.now
        guard catalog.table(named: table) == nil else {
            throw ExecutionError.failed("table '\(table)' already exists", range: nil)
        }
        let buffers = ReadBuffers()
        let file = try InputFile.read(path: path, into: buffers)
        let start = FormatDetector.textStart(file.base, file.count)
        guard start < file.count else { throw ExecutionError.io(path: path, message: "file is empty", range: nil) }
        let skips = SkipLog(file: path)
        var cells: CellTable
        let format: String
        if FormatDetector.shape(file.base, file.count, at: start) == .json {
            cells = try readJSON(file, from: start, skips: skips, cancellation: cancellation)
            format = "json"
        } else {
            cells = try readCSV(file, from: start, skips: skips, cancellation: cancellation)
            format = "csv"
        }
        guard !cells.names.isEmpty else {
            throw ExecutionError.io(path: path, message: format == "csv" ? "no header row" : "no JSON objects", range: nil)
        }
        if let broken = file.broken {
            throw LoadStopped(cause: .io(path: path, message: broken, range: nil), kept: [], filesNotRead: 0)
        }
        let result = cells.build(name: table, base: file.base)
        catalog.add(result)
        let report = FileLoadReport(path: path, format: format, rows: cells.rowCount, skipped: skips.count)
        return LoadReport(table: result.name, files: [report], firstSkipped: skips.samples,
                          seconds: Clock.seconds(since: started))
    }

    private static func readCSV(_ file: InputFile, from start: Int, skips: SkipLog,
                                cancellation: CancellationToken?) throws -> CellTable {
        guard let (names, first) = CSVRecordReader.header(file.base, file.count, from: start) else {
            return CellTable(names: [])
        }
        var cells = CellTable(names: names)
        var lines = LineCounter(base: file.base)
        let row = CSVRow()
        var pos = first
        var n = 0
        while pos < file.count {
            let rowStart = pos
            pos = row.read(file.base, pos, file.count)
            if row.isBlank { continue }
            n += 1
            if n & 4095 == 0 { try cancellation?.check() }
            if let failure = row.failure {
                skips.add(line: lines.line(at: rowStart), reason: failure)
                continue
            }
            guard row.count == names.count else {
                skips.add(line: lines.line(at: rowStart), reason: "expected \(names.count) fields, found \(row.count)")
                continue
            }
            for i in 0..<row.count {
                // An empty cell is NULL; a quoted empty cell is the empty string.
                let kind: CellKind = row.quoted[i] ? .csvQuoted : (row.ends[i] == row.starts[i] ? .null : .text)
                cells.append(start: row.starts[i], end: row.ends[i], kind: kind)
            }
            cells.rowCount += 1
        }
        return cells
    }

    private static func readJSON(_ file: InputFile, from start: Int, skips: SkipLog,
                                 cancellation: CancellationToken?) throws -> CellTable {
        let scanner = JSONScanner()
        scanner.reset(base: file.base, count: file.count)
        var lines = LineCounter(base: file.base)
        // The objects: (start, end) of each, in order; a top-level array contributes its elements.
        var objects: [(Int, Int)] = []
        var pos = start
        var n = 0
        func object(at i: Int, limit: Int) -> Int {
            let e = scanner.skipValue(i, limit)
            if e >= 0, file.base[i] == 0x7B { objects.append((i, e)) }
            return e
        }
        while true {
            pos = scanner.skipSpace(pos, file.count)
            if pos >= file.count { break }
            n += 1
            if n & 4095 == 0 { try cancellation?.check() }
            let lineEnd = memchr(file.base + pos, 0x0A, file.count - pos).map { UnsafeRawPointer($0) - UnsafeRawPointer(file.base) } ?? file.count
            if file.base[pos] == 0x5B {
                let e = scanner.forEachElement(pos, file.count) { i in
                    let e = object(at: i, limit: file.count)
                    if e >= 0, file.base[i] != 0x7B { skips.add(line: lines.line(at: i), reason: "not a JSON object") }
                    return e
                }
                if e < 0 {
                    skips.add(line: lines.line(at: pos), reason: "broken JSON; the rest of the file is not read")
                    break
                }
                pos = e
            } else if file.base[pos] == 0x7B {
                var e = object(at: pos, limit: lineEnd)
                if e < 0 { e = object(at: pos, limit: JSONRecordReader.nextObjectLine(file.base, after: lineEnd, file.count)) }
                if e < 0 {
                    skips.add(line: lines.line(at: pos), reason: "broken JSON")
                    pos = lineEnd + 1
                } else {
                    pos = e
                }
            } else {
                skips.add(line: lines.line(at: pos), reason: "not a JSON object")
                pos = lineEnd + 1
            }
        }
        // Columns: the keys of the first objects, in order of first appearance.
        var names: [String] = []
        var index: [String: Int] = [:]
        for (s, e) in objects.prefix(keyScanLimit) {
            forEachMember(scanner, s, e) { key, _, _ in
                let name = ByteText.string(key)
                if index[name] == nil { index[name] = names.count; names.append(name) }
            }
        }
        let trie = FieldTrie(names.enumerated().map { ([$0.element], $0.offset) })
        var cells = CellTable(names: names)
        let slots = FieldSlots(count: names.count)
        for (s, e) in objects {
            slots.clear()
            _ = scanner.walkObject(s, e, trie: trie, node: 0, slots: slots)
            for c in 0..<names.count {
                let kind: CellKind
                switch slots.kindOf(c) {
                case .absent, .null: kind = .null
                case .string: kind = .jsonString
                case .escapedString: kind = .jsonEscaped
                case .number: kind = .number
                case .trueLiteral, .falseLiteral: kind = .boolean
                case .object, .array, .csvQuoted: kind = .json
                }
                cells.append(start: slots.start[c], end: slots.end[c], kind: kind)
            }
            cells.rowCount += 1
        }
        return cells
    }

    /// Calls `body` with each key of the object at `s` and its value's span.
    private static func forEachMember(_ scanner: JSONScanner, _ s: Int, _ e: Int, _ body: (Bytes, Int, Int) -> Void) {
        let base = scanner.base
        var j = scanner.skipSpace(s + 1, e)
        while j < e, base[j] == 0x22 {
            let keyEnd = scanner.stringEnd(j + 1, e)
            guard keyEnd >= 0 else { return }
            let key = Bytes(start: base + j + 1, count: keyEnd - j - 1)
            j = scanner.skipSpace(keyEnd + 1, e)
            guard j < e, base[j] == 0x3A else { return }
            j = scanner.skipSpace(j + 1, e)
            let valueEnd = scanner.skipValue(j, e)
            guard valueEnd >= 0 else { return }
            body(key, j, valueEnd)
            j = scanner.skipSpace(valueEnd, e)
            guard j < e, base[j] == 0x2C else { return }
            j = scanner.skipSpace(j + 1, e)
        }
    }
}

// CSV per RFC 4180 (quoted cells with commas, doubled quotes and newlines; CRLF or LF): a
// header row of field names, then one record a row. Each header name that the format knows
// fills its slot; `raw` is a JSON object of header → cell text.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cells of one CSV row: spans into the buffer.
// Used by its reader's thread alone, per cell of every row: no run-time exclusivity checks
// (see `RecordPaths`).
final class CSVRow {
    @exclusivity(unchecked) var starts: [Int] = []
    @exclusivity(unchecked) var ends: [Int] = []
    @exclusivity(unchecked) var quoted: [Bool] = []
    var count: Int { starts.count }

    /// Why the row could not be read, when it could not.
    @exclusivity(unchecked) var failure: String?

    func removeAll() {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        failure = nil
    }

    /// Reads the row at `p`; returns where the next row starts. A quoted cell that never ends
    /// sets `failure`, and reading goes on at the next line (so the rows after it are read).
    func read(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
        removeAll()
        let rowStart = p
        var p = p
        while true {
            if p - rowStart > RecordSize.maximum {
                // So many cells that the row passes the maximum: skipped without keeping them.
                failure = RecordSize.tooLong
                guard let newline = memchr(base + p, 0x0A, end - p) else { return end }
                return UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
            }
            if p < end, base[p] == 0x22 {
                var q = p + 1
                var doubled = false
                var close = -1
                while q < end {
                    guard let r = memchr(base + q, 0x22, end - q) else { break }
                    let i = UnsafeRawPointer(r) - UnsafeRawPointer(base)
                    if i + 1 < end, base[i + 1] == 0x22 { doubled = true; q = i + 2; continue }
                    close = i
                    break
                }
                if close < 0 {
                    failure = "a quoted field does not end"
                    guard let newline = memchr(base + rowStart, 0x0A, end - rowStart) else { return end }
                    return UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
                }
                starts.append(p + 1)
                ends.append(close)
                quoted.append(doubled)
                p = close + 1
                if p < end, base[p] != 0x2C, base[p] != 0x0A, base[p] != 0x0D {
                    failure = "text after a quoted field"
                    while p < end, base[p] != 0x2C, base[p] != 0x0A { p += 1 }
                }
            } else {
                var q = p
                while q < end {
                    let c = base[q]
                    if c == 0x2C || c == 0x0A { break }
                    q += 1
                }
                var cellEnd = q
                if cellEnd > p, base[cellEnd - 1] == 0x0D { cellEnd -= 1 }
                starts.append(p)
                ends.append(cellEnd)
                quoted.append(false)
                p = q
            }
            if p < end, base[p] == 0x2C { p += 1; continue }
            if p < end, base[p] == 0x0D { p += 1 }
            if p < end, base[p] == 0x0A { p += 1 }
            return p
        }
    }

    /// True for a row with no text at all (a blank line).
    var isBlank: Bool { count == 1 && ends[0] == starts[0] && !quoted[0] }

    func text(_ i: Int, _ base: UnsafePointer<UInt8>, arena: ScratchArena) -> Bytes {
        let s = Bytes(start: base + starts[i], count: ends[i] - starts[i])
        return quoted[i] ? CSVText.undouble(s, into: arena) : s
    }
}

enum CSVRecordReader {
    /// The header names of the CSV at `start` and where the data rows begin.
    static func header(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> (names: [String], next: Int)? {
        let row = CSVRow()
        let arena = ScratchArena()
        let next = row.read(base, start, count)
        guard row.failure == nil, !row.isBlank else { return nil }
        let names = (0..<row.count).map { ByteText.string(ByteText.trimmed(row.text($0, base, arena: arena))) }
        return (names, next)
    }

    /// The slot of a header name in `trie`: as written, else lower-cased, else with spaces as `_`.
    static func slot(of name: String, in trie: FieldTrie) -> Int {
        for candidate in [name, name.lowercased(), name.lowercased().replacingSpaces()] {
            var key = candidate
            let entry = key.withUTF8 { trie.find(node: 0, key: UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!), length: $0.count) }
            if entry >= 0, trie.slot(entry) >= 0 { return trie.slot(entry) }
        }
        return -1
    }

    /// Reads every row after the header.
    static func read<M: EventMapper>(_ mapper: inout M, _ c: inout ReaderContext, from start: Int) throws {
        let base = c.base
        let end = c.count
        guard let (names, first) = header(base, end, from: start) else { return }
        let slots = names.map { slot(of: $0, in: M.trie) }
        // `"name":"` for each column, escaped once; `raw` is assembled from these and the cells.
        let keys: [[UInt8]] = names.enumerated().map { i, name in
            var out: [UInt8] = [i == 0 ? 0x7B : 0x2C, 0x22]
            var name = name
            name.withUTF8 { JSONText.appendEscaped(Bytes($0), to: &out) }
            out += [0x22, 0x3A, 0x22]
            return out
        }
        let row = CSVRow()
        var raw: [UInt8] = []
        c.fields.base = base
        var pos = first
        while pos < end {
            let rowStart = pos
            pos = row.read(base, pos, end)
            if row.isBlank { continue }
            try c.tick(rowStart)
            if pos - rowStart > RecordSize.maximum {
                c.skips.add(line: c.lines.line(at: rowStart), reason: RecordSize.tooLong)
                continue
            }
            if let failure = row.failure {
                c.skips.add(line: c.lines.line(at: rowStart), reason: failure)
                continue
            }
            guard row.count == names.count else {
                c.skips.add(line: c.lines.line(at: rowStart), reason: "expected \(names.count) fields, found \(row.count)")
                continue
            }
            c.fields.slots.clear()
            c.fields.arena.reset()
            raw.removeAll(keepingCapacity: true)
            for i in 0..<row.count {
                let kind: FieldKind = row.quoted[i] ? .csvQuoted : .string
                if slots[i] >= 0 { c.fields.slots.set(slots[i], start: row.starts[i], end: row.ends[i], kind: kind) }
                raw += keys[i]
                JSONText.appendEscaped(row.text(i, base, arena: c.fields.arena), to: &raw)
                raw.append(0x22)
            }
            raw.append(0x7D)
            let reason = raw.withUnsafeBytes { mapper.map(c.fields, raw: $0, into: c.builder) }
            if let reason { c.skips.add(line: c.lines.line(at: rowStart), reason: reason) }
        }
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
}

// The records of a JSON file in any of the shapes the formats use: `{"Records":[…]}`, a JSON
// array, JSON lines (one object a line; pretty-printed or concatenated objects too). Every
// record goes to a mapping; a record that cannot be read is skipped and logged. Each record's
// bytes are read once, for the mapping's slots and its paths' notes together
// (`EventSegmentBuilder.walkRecord`).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Skipped records of one file: the count and the first few with line and reason.
final class SkipLog {
    /// How many skipped records a report lists (the rest are counted).
    static let sampleLimit = 10
    let file: String
    private(set) var count = 0
    private(set) var samples: [SkippedRecord] = []

    init(file: String) { self.file = file }

    func add(line: Int, reason: String) {
        count += 1
        if samples.count < SkipLog.sampleLimit { samples.append(SkippedRecord(file: file, line: line, reason: reason)) }
    }
}

/// Line numbers of byte offsets, counted forward as a reader advances (offsets asked for
/// only grow, so a file's newlines are counted at most once).
struct LineCounter {
    let base: UnsafePointer<UInt8>
    private var position = 0
    private var line = 1

    init(base: UnsafePointer<UInt8>) { self.base = base }

    /// The lines of `count` bytes: the line breaks, plus one for text after the last.
    static func lines(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var lines = 0
        var i = 0
        while i < count, let q = memchr(base + i, 0x0A, count - i) {
            lines += 1
            i = UnsafeRawPointer(q) - UnsafeRawPointer(base) + 1
        }
        return i < count ? lines + 1 : lines
    }

    mutating func line(at offset: Int) -> Int {
        if offset < position { position = 0; line = 1 }
        var i = position
        while i < offset, let q = memchr(base + i, 0x0A, offset - i) {
            line += 1
            i = UnsafeRawPointer(q) - UnsafeRawPointer(base) + 1
        }
        position = offset
        return line
    }
}

/// What drives a mapping over a buffer: the shared scanner, slots, builder and logs.
struct ReaderContext {
    let base: UnsafePointer<UInt8>
    let count: Int
    let scanner: JSONScanner
    let fields: RecordFields
    let builder: EventSegmentBuilder
    let skips: SkipLog
    let cancellation: CancellationToken?
    /// Called now and then with the bytes read so far.
    let progress: (Int) -> Void
    var lines: LineCounter
    var records = 0

    /// Every 1024 records: cancellation and progress.
    @inline(__always)
    mutating func tick(_ position: Int) throws {
        records += 1
        if records & 1023 == 0 {
            try cancellation?.check()
            progress(position)
        }
    }
}

enum JSONRecordReader {
    /// Reads every record from `start` to the end of the buffer.
    static func read<M: EventMapper>(_ mapper: inout M, _ c: inout ReaderContext, from start: Int) throws {
        let base = c.base
        let end = c.count
        let scanner = c.scanner
        scanner.reset(base: base, count: end)
        c.fields.base = base
        // Made once: every reader shares the format's trie, and a retain of it per record
        // from each thread makes the cores contend for its reference count.
        let fill = SlotFill(trie: M.trie, slots: c.fields.slots, scanner: scanner)
        var pos = start
        while true {
            pos = scanner.skipSpace(pos, end)
            if pos >= end { break }
            try c.tick(pos)
            if base[pos] == 0x7B, scanner.firstKey(of: pos, end, is: "Records") {
                // (Before the line's end is looked for: a CloudTrail file is one line.)
                let e = try readWrapper(&mapper, &c, pos)
                if e < 0 { return }
                pos = e
                continue
            }
            let lineEnd = memchr(base + pos, 0x0A, end - pos).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? end
            switch base[pos] {
            case 0x7B:
                c.fields.slots.clear()
                c.fields.arena.reset()
                // No record is read past `RecordSize.maximum` bytes from its start.
                let longest = pos &+ RecordSize.maximum
                var bound = lineEnd
                var e = c.builder.walkRecord(pos, min(bound, longest), fill: fill)
                if e < 0, lineEnd < end {
                    // An object over several lines (pretty-printed): it ends before the next
                    // line that starts with '{', which bounds the retry of a broken line.
                    c.fields.slots.clear()
                    bound = JSONRecordReader.nextObjectLine(base, after: lineEnd, end)
                    e = c.builder.walkRecord(pos, min(bound, longest), fill: fill)
                }
                if e < 0 {
                    c.skips.add(line: c.lines.line(at: pos), reason: bound > longest ? RecordSize.tooLong : "broken JSON")
                    pos = lineEnd + 1
                    continue
                }
                // `{…}xyz`: text after the object on its line makes the line one broken record,
                // neither loaded nor reported twice. Another object may follow (`{…}{…}`).
                let after = JSONRecordReader.restOfLine(base, from: e, end)
                if after.text {
                    c.skips.add(line: c.lines.line(at: pos), reason: "text after the JSON object")
                    pos = after.end + 1
                    continue
                }
                map(&mapper, &c, pos, e)
                pos = e
            case 0x5B:
                let e = try readArray(&mapper, &c, pos)
                if e < 0 { return }
                pos = e
            default:
                c.skips.add(line: c.lines.line(at: pos), reason: "not a JSON object")
                pos = lineEnd + 1
            }
        }
    }

    /// From `i` to the end of its line: whether anything but blanks (or the `{` of another
    /// object) is there, and where the line ends.
    static func restOfLine(_ base: UnsafePointer<UInt8>, from i: Int, _ end: Int) -> (text: Bool, end: Int) {
        var k = i
        while k < end, base[k] == 0x20 || base[k] == 0x09 || base[k] == 0x0D { k += 1 }
        if k >= end || base[k] == 0x0A || base[k] == 0x7B { return (false, k) }
        let lineEnd = memchr(base + k, 0x0A, end - k).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? end
        return (true, lineEnd)
    }

    /// The start of the first line after `lineEnd` that begins with `{` (or `end`).
    static func nextObjectLine(_ base: UnsafePointer<UInt8>, after lineEnd: Int, _ end: Int) -> Int {
        var i = lineEnd
        while i < end, let p = memchr(base + i, 0x0A, end - i) {
            let next = UnsafeRawPointer(p) - UnsafeRawPointer(base) + 1
            if next < end, base[next] == 0x7B { return next }
            i = next
        }
        return end
    }

    @inline(__always)
    private static func map<M: EventMapper>(_ mapper: inout M, _ c: inout ReaderContext, _ start: Int, _ end: Int) {
        let raw = Bytes(start: c.base + start, count: end - start)
        if let reason = mapper.map(c.fields, raw: raw, into: c.builder) {
            c.skips.add(line: c.lines.line(at: start), reason: reason)
        }
    }

    /// `{"Records":[…], …}`: the records of the array; other keys are skipped. Returns the end,
    /// or -1 when the file breaks off inside (what came before is kept).
    private static func readWrapper<M: EventMapper>(_ mapper: inout M, _ c: inout ReaderContext, _ start: Int) throws -> Int {
        let scanner = c.scanner
        let end = c.count
        var j = scanner.skipSpace(start + 1, end)
        while j < end {
            guard c.base[j] == 0x22 else { break }
            let keyEnd = scanner.stringEnd(j + 1, end)
            if keyEnd < 0 { break }
            let isRecords = keyEnd - j - 1 == 7 && memcmp(c.base + j + 1, "Records", 7) == 0
            j = scanner.skipSpace(keyEnd + 1, end)
            guard j < end, c.base[j] == 0x3A else { break }
            j = scanner.skipSpace(j + 1, end)
            guard j < end else { break }
            if isRecords, c.base[j] == 0x5B {
                j = try readArray(&mapper, &c, j)
                if j < 0 { return -1 }
            } else {
                let e = scanner.skipValue(j, end)
                if e < 0 { break }
                j = e
            }
            j = scanner.skipSpace(j, end)
            guard j < end else { break }
            if c.base[j] == 0x2C { j = scanner.skipSpace(j + 1, end); continue }
            if c.base[j] == 0x7D { return j + 1 }
            break
        }
        c.skips.add(line: c.lines.line(at: min(j, end)), reason: "broken JSON; the rest of the file is not read")
        return -1
    }

    /// A JSON array of records. Returns the end, or -1 when it breaks off (a skipped record is
    /// logged; the records before it are kept).
    private static func readArray<M: EventMapper>(_ mapper: inout M, _ c: inout ReaderContext, _ start: Int) throws -> Int {
        let scanner = c.scanner
        let end = c.count
        let fill = SlotFill(trie: M.trie, slots: c.fields.slots, scanner: scanner)
        var j = scanner.skipSpace(start + 1, end)
        if j < end, c.base[j] == 0x5D { return j + 1 }
        while j < end {
            try c.tick(j)
            let element = j
            if c.base[j] == 0x7B {
                c.fields.slots.clear()
                c.fields.arena.reset()
                let e = c.builder.walkRecord(j, min(end, j &+ RecordSize.maximum), fill: fill)
                if e < 0 {
                    if end - j > RecordSize.maximum {
                        c.skips.add(line: c.lines.line(at: j), reason: RecordSize.tooLong + "; the rest of the file is not read")
                        return -1
                    }
                    j = element
                    break
                }
                map(&mapper, &c, j, e)
                j = e
            } else {
                let e = scanner.skipValue(j, end)
                if e < 0 { break }
                c.skips.add(line: c.lines.line(at: j), reason: "not a JSON object")
                j = e
            }
            j = scanner.skipSpace(j, end)
            guard j < end else { break }
            if c.base[j] == 0x2C { j = scanner.skipSpace(j + 1, end); continue }
            if c.base[j] == 0x5D { return j + 1 }
            break
        }
        c.skips.add(line: c.lines.line(at: min(j, end)), reason: "broken JSON; the rest of the file is not read")
        return -1
    }
}

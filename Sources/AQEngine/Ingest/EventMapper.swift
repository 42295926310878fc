// What every format's mapping shares: the protocol the record readers drive, and the time
// column, which is read the same way for every format.

/// Turns the records of one format into rows of `events`. A reader (JSON or CSV) fills the
/// slots of `trie` for a record and calls `map`; the mapping sets the columns of the current
/// row and commits one row, or one per image for the batch calls.
protocol EventMapper {
    static var format: AuditLogFormat { get }
    static var trie: FieldTrie { get }
    init(builder: EventSegmentBuilder, scanner: JSONScanner, arena: ScratchArena)
    /// Maps the record in `f`, whose source text is `raw`. Returns why the record is skipped
    /// (nothing was committed then), or nil.
    mutating func map(_ f: RecordFields, raw: Bytes, into b: EventSegmentBuilder) -> String?
}

enum EventMapping {
    /// Sets `time` from `slot`: NULL when absent or empty; a reason to skip the record when
    /// present but not a time.
    @inline(__always)
    static func time(_ f: RecordFields, _ slot: Int, _ b: EventSegmentBuilder) -> String? {
        guard let text = f.text(slot) else { b.setTime(nil); return nil }
        guard let ns = TimeMath.parseTimestamp(text) else {
            return "time \(ByteText.quoted(text)) does not parse"
        }
        b.setTime(ns)
        return nil
    }

    /// The first element of the JSON array `array` when it is a string (its text), else nil.
    static func firstString(of array: Bytes, scanner: JSONScanner, fields: RecordFields) -> Bytes? {
        let base = UnsafeRawPointer(scanner.base)
        let start = array.baseAddress! - base
        var j = scanner.skipSpace(start + 1, start + array.count)
        guard j < start + array.count, scanner.base[j] == 0x22 else { return nil }
        j += 1
        let e = scanner.stringEnd(j, start + array.count)
        guard e > j else { return nil }
        let text = Bytes(start: base + j, count: e - j)
        return scanner.hasBackslash(j, e) ? JSONText.unescape(text, into: fields.arena) : text
    }
}

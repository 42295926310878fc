// The rows that one reader produces from one input, before they join the table: string
// columns as codes into dictionaries local to the reader (so readers run in parallel
// without sharing anything), flat bytes for the nearly unique columns, and NULL sentinels.

import Synchronization

/// Rows read from one input. NULL is code 0 (the empty string) in a dictionary column, an
/// empty string in a flat column, `Int64.min` in `time` and `status`, 2 in `success`.
struct EventSegment {
    var rowCount = 0
    /// Row-major: `codes[row * DictColumn.count + column]`.
    var codes: [UInt32] = []
    var dictionaries: [InternTable]
    var times: [Int64] = []
    var statuses: [Int64] = []
    var successes: [UInt8] = []
    /// Per flat column: all bytes, and the end offset of each row's string. For `raw` the
    /// ends count the rows' lengths, and a row's bytes are where `rawInText` says.
    var flatBytes: [[UInt8]]
    var flatEnds: [[Int]]
    /// The texts of the files whose records are rows' `raw` (`text[0..<textCount]`): a file
    /// is read straight into it, so a record is `raw` where it lies, not copied.
    var text: ReadBuffer?
    var textCount = 0
    /// Per row, where its `raw` starts: in `text`, or in `flatBytes` (a `raw` built from other
    /// text, a CSV row's, or read from a gzip file).
    var rawInText: [Bool] = []
    var rawStarts: [Int] = []
    /// Rows that are a further row of the previous row's record (a CloudTrail batch record
    /// gives one row per image): their flat values are the previous row's and are not stored
    /// again, so a record naming N images costs its text once, not N times.
    var repeats: [Bool] = []
    /// The JSON paths of the records' `raw` (noted as they are read), and per row the end of
    /// its notes (a record's further rows add none).
    var paths = RecordPaths()
    var pathEnds: [Int] = []

    init() {
        self.init(dictionaries: DictColumn.allCases.map { _ in InternTable() })
    }

    init(dictionaries: [InternTable]) {
        self.dictionaries = dictionaries
        flatBytes = Array(repeating: [], count: FlatColumn.count)
        flatEnds = Array(repeating: [], count: FlatColumn.count)
    }

    /// Empties the segment, keeping the memory of its arrays and dictionaries (pages already
    /// mapped: new ones of that size would fault fresh zeroed pages in again).
    mutating func reset() {
        rowCount = 0
        for dictionary in dictionaries { dictionary.clear() }
        codes.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
        statuses.removeAll(keepingCapacity: true)
        successes.removeAll(keepingCapacity: true)
        repeats.removeAll(keepingCapacity: true)
        paths.reset()
        pathEnds.removeAll(keepingCapacity: true)
        for k in 0..<FlatColumn.count {
            flatBytes[k].removeAll(keepingCapacity: true)
            flatEnds[k].removeAll(keepingCapacity: true)
        }
        textCount = 0
        rawInText.removeAll(keepingCapacity: true)
        rawStarts.removeAll(keepingCapacity: true)
    }
}

/// Segments whose rows are in the table, kept for their memory: workers take them back, so a
/// load touches fresh pages only for the table itself.
final class SegmentPool: @unchecked Sendable {
    private let lock = Mutex<[EventSegment]>([])
    /// At most this many are kept.
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func give(_ segment: EventSegment) {
        lock.withLock { if $0.count < limit { $0.append(segment) } }
    }

    /// A recycled segment, emptied, or a new one.
    func take() -> EventSegment {
        guard var recycled = lock.withLock({ $0.popLast() }) else { return EventSegment() }
        recycled.reset()
        return recycled
    }
}

/// A segment that chunks still read (`raw` is packed from the files' text where it lies):
/// given back to its pool once the writer and every chunk that holds it are done with it.
final class SegmentLease: @unchecked Sendable {
    let segment: EventSegment
    private let pool: SegmentPool?

    init(_ segment: EventSegment, pool: SegmentPool?) {
        self.segment = segment
        self.pool = pool
    }

    deinit { pool?.give(segment) }
}

/// Builds an `EventSegment` a row at a time: a mapping sets the current row's columns and
/// commits it (several times for a record that names several images).
// Used by its reader's thread alone, per value of every record: no run-time exclusivity checks
// on the segment it fills (see `RecordPaths`).
final class EventSegmentBuilder {
    @exclusivity(unchecked) private(set) var segment: EventSegment
    /// The current row's dictionary codes.
    private let row: UnsafeMutablePointer<UInt32>
    @exclusivity(unchecked) private var time = Int64.min
    @exclusivity(unchecked) private var status = Int64.min
    @exclusivity(unchecked) private var success: UInt8 = 2
    @exclusivity(unchecked) private var flat: [UnsafeRawBufferPointer]
    /// Rows committed since `beginRow` (the record's rows).
    @exclusivity(unchecked) private var commits = 0
    /// The record whose paths the reader noted while reading it (`walkRecord`): set as `raw`,
    /// its notes are kept instead of walked again. Nil once it is committed or another is set.
    @exclusivity(unchecked) private var walked: UnsafeRawPointer?
    @exclusivity(unchecked) private var walkedCount = 0
    /// Whether the current row's `raw` was set (the notes since the last row are its).
    @exclusivity(unchecked) private var rawNoted = false
    /// The text of the file being read when it lies in `segment.text` (`beginText`, at
    /// `segment.textCount`): a `raw` inside it is kept as a range of `segment.text`.
    @exclusivity(unchecked) private var textStart: UnsafeRawPointer?
    @exclusivity(unchecked) private var textEnd: UnsafeRawPointer?
    @exclusivity(unchecked) private var textUsed = false
    private let dictionaries: [InternTable]
    /// For `set(_:_:_:)` of a string the record's path walk interned (`FieldSlots.memo`): per
    /// dictionary column, the one path whose codes it maps (path + 1; 0: none yet), and the
    /// column's code of each of that path's codes (`UInt32.max`: not mapped yet), so that a
    /// value the walk has seen costs an array load instead of a hash and a probe.
    private let memoPath: UnsafeMutablePointer<UInt64>
    private let memoCodes: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>>
    private let memoCapacity: UnsafeMutablePointer<Int>

    /// Codes of the fixed values, interned once.
    let actionCodes: [UInt32]
    let actorTypeCodes: [UInt32]
    let credentialCodes: [UInt32]
    let networkCodes: [UInt32]

    init(segment: EventSegment = EventSegment()) {
        self.segment = segment
        row = .allocate(capacity: DictColumn.count)
        row.initialize(repeating: 0, count: DictColumn.count)
        memoPath = .allocate(capacity: DictColumn.count)
        memoPath.initialize(repeating: 0, count: DictColumn.count)
        memoCapacity = .allocate(capacity: DictColumn.count)
        memoCapacity.initialize(repeating: 64, count: DictColumn.count)
        memoCodes = .allocate(capacity: DictColumn.count)
        for c in 0..<DictColumn.count {
            let codes = UnsafeMutablePointer<UInt32>.allocate(capacity: 64)
            codes.initialize(repeating: .max, count: 64)
            (memoCodes + c).initialize(to: codes)
        }
        flat = Array(repeating: UnsafeRawBufferPointer(start: nil, count: 0), count: FlatColumn.count)
        dictionaries = segment.dictionaries
        let d = segment.dictionaries
        func intern(_ column: DictColumn, _ name: String) -> UInt32 {
            var name = name
            return name.withUTF8 { d[column.rawValue].code(for: Bytes($0)) }
        }
        actionCodes = EventAction.allCases.map { intern(.action, $0.name) }
        actorTypeCodes = ActorType.allCases.map { intern(.actorType, $0.name) }
        credentialCodes = CredentialKind.allCases.map { intern(.credential, $0.name) }
        networkCodes = NetworkKind.allCases.map { intern(.network, $0.name) }
    }

    deinit {
        row.deallocate()
        for c in 0..<DictColumn.count { memoCodes[c].deallocate() }
        memoCodes.deallocate()
        memoCapacity.deallocate()
        memoPath.deallocate()
    }

    /// Reserves room for the rows of an input of `bytes` bytes (records of a few hundred
    /// bytes or more; a JSON record's `raw` stays in its file's text).
    func reserve(bytes: Int) {
        let rows = bytes / 256 + 16
        segment.codes.reserveCapacity(rows * DictColumn.count)
        segment.times.reserveCapacity(rows)
        segment.statuses.reserveCapacity(rows)
        segment.successes.reserveCapacity(rows)
        segment.repeats.reserveCapacity(rows)
        segment.pathEnds.reserveCapacity(rows)
        for k in 0..<FlatColumn.count { segment.flatEnds[k].reserveCapacity(rows) }
        segment.rawInText.reserveCapacity(rows)
        segment.rawStarts.reserveCapacity(rows)
        segment.flatBytes[FlatColumn.requestID.rawValue].reserveCapacity(rows * 40)
        segment.flatBytes[FlatColumn.eventID.rawValue].reserveCapacity(rows * 40)
    }

    /// The code of `text` in `column`'s dictionary (for values set on every row).
    func code(_ column: DictColumn, _ text: String) -> UInt32 {
        var text = text
        return text.withUTF8 { dictionaries[column.rawValue].code(for: Bytes($0)) }
    }

    /// Clears the current row: every column NULL.
    @inline(__always)
    func beginRow() {
        row.update(repeating: 0, count: DictColumn.count)
        time = Int64.min
        status = Int64.min
        success = 2
        commits = 0
        rawNoted = false
        for i in 0..<FlatColumn.count { flat[i] = UnsafeRawBufferPointer(start: nil, count: 0) }
        // Notes of a record that gave no row go (those of the record being read stay).
        if walked == nil { segment.paths.truncate(segment.pathEnds.last ?? 0) }
    }

    /// Reads the JSON record at `start` of `fill`'s text (a `{`, not read past `limit`) once
    /// for both of what the reader takes from it: the slots of `fill`'s trie (as
    /// `JSONScanner.walkObject`) and the notes of its paths, kept for when the mapping sets
    /// the same bytes as `raw`. Returns the end of the record, or -1 when it is broken.
    @inline(__always)
    func walkRecord(_ start: Int, _ limit: Int, fill: SlotFill) -> Int {
        let paths = segment.paths
        paths.truncate(segment.pathEnds.last ?? 0)
        let base = fill.base
        let end = paths.walk(Bytes(start: UnsafeRawPointer(base), count: limit), at: start, fill: fill)
        walked = end >= 0 ? UnsafeRawPointer(base + start) : nil
        walkedCount = end - start
        return end
    }

    @inline(__always)
    func set(_ column: DictColumn, _ text: UnsafeRawBufferPointer?) {
        guard let text, text.count > 0 else { row[column.rawValue] = 0; return }
        row[column.rawValue] = dictionaries[column.rawValue].code(for: text)
    }

    @inline(__always)
    func set(_ column: DictColumn, code: UInt32) { row[column.rawValue] = code }

    /// Sets `column` to the text of `f`'s `slot` (as `set(column, f.text(slot))`), through the
    /// code the record's path walk interned it under when there is one.
    @inline(__always)
    func set(_ column: DictColumn, _ f: RecordFields, _ slot: Int) {
        let memo = f.memo(slot)
        let c = column.rawValue
        let path = memo >> 32
        guard memo != 0, memoPath[c] == path || memoPath[c] == 0 else {
            set(column, f.text(slot))
            return
        }
        memoPath[c] = path
        let code = Int(truncatingIfNeeded: memo & 0xFFFF_FFFF)
        if code >= memoCapacity[c] { growMemo(c, to: code + 1) }
        let known = memoCodes[c][code]
        if known != .max {
            row[c] = known
            return
        }
        let mapped: UInt32
        if code == 0 {
            // The path's code 0 is the empty string, which loads as NULL.
            mapped = 0
        } else if let table = segment.paths.strings[Int(path) - 1] {
            mapped = dictionaries[c].code(for: table.bytes(of: UInt32(code)), hash: table.hash(of: UInt32(code)))
        } else {
            set(column, f.text(slot))
            return
        }
        memoCodes[c][code] = mapped
        row[c] = mapped
    }

    private func growMemo(_ c: Int, to needed: Int) {
        var size = memoCapacity[c] * 2
        while size < needed { size *= 2 }
        let bigger = UnsafeMutablePointer<UInt32>.allocate(capacity: size)
        bigger.moveInitialize(from: memoCodes[c], count: memoCapacity[c])
        (bigger + memoCapacity[c]).initialize(repeating: .max, count: size - memoCapacity[c])
        memoCodes[c].deallocate()
        memoCodes[c] = bigger
        memoCapacity[c] = size
    }

    /// Sets a flat value; setting `raw` notes its JSON paths (`RecordPaths`) while its text is
    /// in cache.
    @inline(__always)
    func set(_ column: FlatColumn, _ text: UnsafeRawBufferPointer?) {
        flat[column.rawValue] = text ?? UnsafeRawBufferPointer(start: nil, count: 0)
        if column == .raw, commits == 0 {
            rawNoted = true
            if let text, let start = walked, text.baseAddress == start, text.count == walkedCount { return }
            walked = nil
            segment.paths.truncate(segment.pathEnds.last ?? 0)
            if let text, text.count > 0, text.count <= EventSegmentBuilder.maxFlatValue { segment.paths.walk(text) }
        }
    }

    @inline(__always) func setAction(_ a: EventAction) { row[DictColumn.action.rawValue] = actionCodes[Int(a.rawValue)] }
    @inline(__always) func setActorType(_ a: ActorType?) {
        row[DictColumn.actorType.rawValue] = a.map { actorTypeCodes[Int($0.rawValue)] } ?? 0
    }
    @inline(__always) func setCredential(_ c: CredentialKind?) {
        row[DictColumn.credential.rawValue] = c.map { credentialCodes[Int($0.rawValue)] } ?? 0
    }
    @inline(__always) func setNetwork(_ n: NetworkKind?) {
        row[DictColumn.network.rawValue] = n.map { networkCodes[Int($0.rawValue)] } ?? 0
    }
    @inline(__always) func setTime(_ t: Int64?) { time = t ?? Int64.min }
    @inline(__always) func setStatus(_ s: Int64?) { status = s ?? Int64.min }
    @inline(__always) func setSuccess(_ s: Bool?) { success = s.map { $0 ? 1 : 0 } ?? 2 }

    /// The longest flat value kept (1 GiB); a longer one is stored as NULL, so that a chunk's
    /// strings always fit 32-bit offsets.
    static let maxFlatValue = 1 << 30

    /// Appends the current row to the segment (the row keeps its values for another commit;
    /// the flat values of a record's further rows are the first row's, stored once).
    @inline(__always)
    func commit() {
        segment.codes.append(contentsOf: UnsafeBufferPointer(start: row, count: DictColumn.count))
        segment.times.append(time)
        segment.statuses.append(status)
        segment.successes.append(success)
        segment.repeats.append(commits > 0)
        if commits == 0 {
            // A row whose `raw` was not set has no notes.
            if !rawNoted { segment.paths.truncate(segment.pathEnds.last ?? 0) }
            walked = nil
        }
        segment.pathEnds.append(commits == 0 ? segment.paths.noteCount : segment.pathEnds.last ?? 0)
        for i in 0..<FlatColumn.count {
            let t = flat[i]
            let kept = commits == 0 && t.count > 0 && t.count <= EventSegmentBuilder.maxFlatValue
            if i == FlatColumn.raw.rawValue {
                commitRaw(t, kept: kept)
                continue
            }
            if kept { segment.flatBytes[i].append(contentsOf: t) }
            segment.flatEnds[i].append(segment.flatBytes[i].count)
        }
        commits += 1
        segment.rowCount += 1
    }

    /// The row's `raw`: a range of the file's text when it lies there (no copy), else a copy
    /// in the segment's own bytes.
    @inline(__always)
    private func commitRaw(_ t: UnsafeRawBufferPointer, kept: Bool) {
        let k = FlatColumn.raw.rawValue
        let before = segment.flatEnds[k].last ?? 0
        guard kept, let p = t.baseAddress else {
            segment.rawInText.append(false)
            segment.rawStarts.append(0)
            segment.flatEnds[k].append(before)
            return
        }
        if let start = textStart, let end = textEnd, p >= start, p + t.count <= end {
            segment.rawInText.append(true)
            segment.rawStarts.append(segment.textCount + (p - start))
            textUsed = true
        } else {
            segment.rawInText.append(false)
            segment.rawStarts.append(segment.flatBytes[k].count)
            segment.flatBytes[k].append(contentsOf: t)
        }
        segment.flatEnds[k].append(before + t.count)
    }

    /// Where the next file is read: after the texts the segment keeps.
    func textTarget() -> (buffer: ReadBuffer, offset: Int) {
        let text = segment.text ?? ReadBuffer()
        segment.text = text
        return (text, segment.textCount)
    }

    /// Starts mapping a file read at `textTarget()`, whose text is `base..<base + count`: when
    /// it lies there (not inflated elsewhere), rows whose `raw` lies in it keep ranges of it.
    func beginText(_ base: UnsafeRawPointer, count: Int) {
        textStart = nil
        textEnd = nil
        textUsed = false
        guard let text = segment.text, UnsafeRawPointer(text.base + segment.textCount) == base else { return }
        textStart = base
        textEnd = base + count
    }

    /// Ends the file begun by `beginText`: the segment keeps its text when rows' `raw` lie in it
    /// (else the next file is read over it).
    func endText() {
        if textUsed, let start = textStart, let end = textEnd { segment.textCount += end - start }
        textStart = nil
        textEnd = nil
        textUsed = false
    }

    /// The rows built; the builder must not be used afterwards.
    func finish() -> EventSegment {
        var out = EventSegment(dictionaries: dictionaries)
        swap(&out, &segment)
        return out
    }
}

// The JSON sub-columns of the chunk being filled, made from the notes the readers took of
// each record's paths (`RecordPaths`): each note's path is found once per segment, its string
// codes are mapped once per segment to the table's dictionary of that path (as the
// normalized columns' codes are), and the chunk's values gather per path (`PathValues`).
// `events` gathers the notes its readers took; a table loaded from a file walks each chunk
// of a JSON column here (`shred`), with the same walk and the same gathering.

// Used by one thread at a time, per value of every record: no run-time exclusivity checks
// on its arrays (see `RecordPaths`).
final class ChunkPaths {
    let table: Table
    let column: Int
    /// The paths met in this load, and the table's dictionary of each.
    @exclusivity(unchecked) private var ids: [JSONKeyPath: Int] = [:]
    @exclusivity(unchecked) private var keyPaths: [JSONKeyPath] = []
    @exclusivity(unchecked) private var dictionaries: [StringDictionary] = []
    /// The segment being read, per path (`segment[path]`, in a buffer this class owns so that a
    /// note costs no bounds or uniqueness check): its id, whether the segment gave it up, where
    /// its strings' table codes start in `codeMap`, and the chunk's values of its id.
    private struct SegmentPath {
        /// The chunk's values of the path's id, unretained (`values` keeps them); nil until
        /// its first note in this chunk.
        var values: Unmanaged<PathValues>?
        /// Local code `c` of the path maps at `codeMap[codeStart + c]` (`UInt32.max`: not
        /// mapped yet).
        var codeStart = 0
        /// -1: not looked up yet.
        var id = -1
        var capped = false
    }
    @exclusivity(unchecked) private var segment: UnsafeMutablePointer<SegmentPath>
    @exclusivity(unchecked) private var segmentCount = 0
    @exclusivity(unchecked) private var segmentCapacity = 0
    @exclusivity(unchecked) private var codeMap: UnsafeMutablePointer<UInt32>
    @exclusivity(unchecked) private var codeCount = 0
    @exclusivity(unchecked) private var codeCapacity = 0
    /// The chunk's values per path id, and the ids with values.
    @exclusivity(unchecked) private var values: [PathValues?] = []
    @exclusivity(unchecked) private var used: [Int] = []

    init(table: Table, column: Int) {
        self.table = table
        self.column = column
        segment = .allocate(capacity: 1)
        codeMap = .allocate(capacity: 1)
    }

    deinit {
        segment.deinitialize(count: segmentCount)
        segment.deallocate()
        codeMap.deallocate()
    }

    /// Starts reading notes of `paths` (a new segment, all read).
    func begin(_ paths: RecordPaths) {
        segment.deinitialize(count: segmentCount)
        let count = paths.parents.count
        if count > segmentCapacity {
            segment.deallocate()
            segmentCapacity = max(count, segmentCapacity * 2)
            segment = .allocate(capacity: segmentCapacity)
        }
        var codes = 0
        for p in 0..<count {
            var entry = SegmentPath()
            entry.capped = paths.capped[p]
            entry.codeStart = codes
            codes += paths.strings[p]?.count ?? 0
            (segment + p).initialize(to: entry)
        }
        segmentCount = count
        if codes > codeCapacity {
            codeMap.deallocate()
            codeCapacity = max(codes, codeCapacity * 2)
            codeMap = .allocate(capacity: codeCapacity)
        }
        codeMap.initialize(repeating: .max, count: codes)
        codeCount = codes
    }

    /// Adds the notes `range` of `paths` as chunk record `record`.
    func add(record: Int, notes range: Range<Int>, from paths: RecordPaths) {
        guard !range.isEmpty else { return }
        // Held once for the record, not loaded (and retained) from `paths` per note.
        let integers = paths.integers
        let notes = paths.notes
        for k in range {
            let note = notes[k]
            let path = RecordPaths.path(of: note)
            guard path < segmentCount else { continue }
            let entry = segment + path
            let handle = entry.pointee.values ?? values(ofPath: path, paths: paths)
            // `values` keeps it alive; used without a retain and release per note.
            handle._withUnsafeGuaranteedRef { v in
                switch RecordPaths.kind(of: note) {
                case RecordPaths.Kind.string.rawValue:
                    if entry.pointee.capped {
                        v.unfit(.other)
                    } else {
                        v.string(code(RecordPaths.value(of: note), path: path, paths: paths), record: record)
                    }
                case RecordPaths.Kind.integer.rawValue: v.integer(integers[Int(RecordPaths.value(of: note))], record: record)
                case RecordPaths.Kind.boolean.rawValue: v.boolean(RecordPaths.value(of: note) != 0, record: record)
                case RecordPaths.Kind.null.rawValue: v.null(record: record)
                case RecordPaths.Kind.object.rawValue: v.unfit(.object)
                default: v.unfit(.other)
                }
            }
        }
    }

    /// The chunk's values of segment path `path` at its first note in the chunk: its id
    /// looked up once per segment, its values made once per chunk.
    private func values(ofPath path: Int, paths: RecordPaths) -> Unmanaged<PathValues> {
        var id = segment[path].id
        if id < 0 {
            id = lookup(paths.keyPath(path))
            segment[path].id = id
        }
        let made: PathValues
        if let existing = values[id] {
            made = existing
        } else {
            made = PathValues(capacity: Batch.capacity)
            values[id] = made
            used.append(id)
        }
        let handle = Unmanaged.passUnretained(made)
        segment[path].values = handle
        return handle
    }

    private func lookup(_ path: JSONKeyPath) -> Int {
        if let id = ids[path] { return id }
        let id = keyPaths.count
        ids[path] = id
        keyPaths.append(path)
        dictionaries.append(table.paths[column]?[path]?.dictionary ?? StringDictionary())
        values.append(nil)
        return id
    }

    @inline(__always)
    private func code(_ local: UInt32, path: Int, paths: RecordPaths) -> UInt32 {
        // `begin` made room for every string the path's table holds (all the segment's).
        let end = path + 1 < segmentCount ? segment[path + 1].codeStart : codeCount
        let at = segment[path].codeStart + Int(local)
        guard at < end else { return 0 }
        let mapped = codeMap[at]
        if mapped != .max { return mapped }
        // `!`-free: a string note's path always has its table (see `RecordPaths.string`).
        guard let strings = paths.strings[path] else { return 0 }
        let global = dictionaries[segment[path].id].code(for: strings.bytes(of: local), hash: strings.hash(of: local))
        codeMap[at] = global
        return global
    }

    /// The chunk's values per path, with the dictionary its string codes refer to; the next
    /// chunk starts empty.
    func take() -> [(path: JSONKeyPath, values: PathValues, dictionary: StringDictionary)] {
        let out = used.compactMap { id in values[id].map { (keyPaths[id], $0, dictionaries[id]) } }
        for id in used { values[id] = nil }
        used.removeAll(keepingCapacity: true)
        for p in 0..<segmentCount { segment[p].values = nil }
        return out
    }

    /// The sub-columns that `taken` (what `take` gave for a chunk of `records` records and
    /// `rows` rows; `rowRecords`: the record of each row, nil for one row per record; `valid`:
    /// rows that are not NULL) make, with the dictionary of each string sub-column.
    static func subColumns(_ taken: [(path: JSONKeyPath, values: PathValues, dictionary: StringDictionary)],
                           records: Int, rows: Int, rowRecords: [UInt32]?, valid: Validity?)
        -> (paths: [JSONKeyPath: PathColumn], dictionaries: [JSONKeyPath: StringDictionary]) {
        var paths: [JSONKeyPath: PathColumn] = [:]
        var dictionaries: [JSONKeyPath: StringDictionary] = [:]
        for (path, values, dictionary) in taken {
            guard let made = values.column(records: records, rows: rows, rowRecords: rowRecords, valid: valid) else { continue }
            paths[path] = made
            if case .strings = made.values { dictionaries[path] = dictionary }
        }
        return (paths, dictionaries)
    }

    /// The sub-columns of one chunk of a table file's JSON column, one record a row (`valid`:
    /// rows that are not NULL): each record walked by `walker`, its notes gathered here. Chunks
    /// go in the order they join the table.
    func shred(_ records: StringHeap, valid: Validity?, walker: RecordPaths)
        -> (paths: [JSONKeyPath: PathColumn], dictionaries: [JSONKeyPath: StringDictionary]) {
        walker.reset()
        var ends = [Int](repeating: 0, count: records.count)
        for r in 0..<records.count {
            if valid?.isValid(r) ?? true { records.withBytes(r) { walker.walk($0) } }
            ends[r] = walker.noteCount
        }
        begin(walker)
        for r in 0..<records.count { add(record: r, notes: (r == 0 ? 0 : ends[r - 1])..<ends[r], from: walker) }
        return ChunkPaths.subColumns(take(), records: records.count, rows: records.count, rowRecords: nil, valid: valid)
    }
}

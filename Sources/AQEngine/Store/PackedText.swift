// The strings of one chunk of a column, kept compressed: the distinct consecutive values
// ("records") in zstd frames, their bytes followed by their lengths, and, when rows repeat
// a record (a CloudTrail batch record gives one row per image, all with the record's text),
// the record of each row, so the text is stored once however many rows share it.
// A loader's records can also be kept as they lay in the files (`Layout.gapped`): the bytes
// between them (a comma, a line's end) are compressed with them, so the records need not be
// copied together first, and the gap before each record follows the lengths. A chunk of UUIDs
// keeps 16 bytes for each (`Layout.uuids`, `UUIDText`).

public struct PackedText: Sendable {
    public let rowCount: Int
    let recordCount: Int
    /// How the bytes behind `frame` hold the records.
    enum Layout: Equatable, Sendable {
        /// The records' bytes, then `recordCount` little-endian UInt32 lengths.
        case contiguous
        /// Each record after a gap of bytes that are not its own (`gapBytes` in all), then the
        /// lengths, then each record's gap.
        case gapped(gapBytes: Int)
        /// Every record empty or a UUID whose letters are all of one case: `UUIDText`'s bytes.
        case uuids(upper: Bool)
    }
    let layout: Layout
    /// The bytes as `layout` says: zstd frames one after the other, or the bytes as they are
    /// when compression did not make them smaller (and for UUIDs).
    let frame: [UInt8]
    let compressed: Bool
    /// Size of the bytes behind `frame`, lengths (and gaps) included.
    let size: Int
    /// nil: row i is record i. Otherwise the record of each row.
    let rowRecords: [UInt32]?
    /// nil: no row is NULL.
    public let validity: Validity?

    /// Packs `records` (each record once), `rowRecords` naming the record of each row (nil:
    /// one row per record).
    public init(records: StringHeap, rowRecords: [UInt32]?, validity: Validity?) {
        var plain = records.bytes
        plain.reserveCapacity(plain.count + 4 * records.count)
        for i in 0..<records.count {
            let n = records.offsets[i + 1] - records.offsets[i]
            withUnsafeBytes(of: n.littleEndian) { plain.append(contentsOf: $0) }
        }
        self.init(laidOut: plain, recordCount: records.count, rowRecords: rowRecords, validity: validity)
    }

    /// Packs `recordCount` records already laid out as the frame keeps them: their bytes, then
    /// their lengths as little-endian UInt32 (a loader that copies the records once lays them
    /// out so, and no second copy is made here).
    init(laidOut plain: [UInt8], recordCount: Int, rowRecords: [UInt32]?, validity: Validity?) {
        rowCount = rowRecords?.count ?? recordCount
        self.recordCount = recordCount
        self.rowRecords = rowRecords
        self.validity = validity
        if let (bytes, upper) = plain.withUnsafeBytes({ UUIDText.encode($0, recordCount: recordCount) }) {
            layout = .uuids(upper: upper)
            frame = bytes
            size = bytes.count
            compressed = false
            return
        }
        layout = .contiguous
        size = plain.count
        if let frame = plain.withUnsafeBytes({ ZstdFrame.compress(parts: [$0]) }) {
            self.frame = frame
            compressed = true
        } else {
            frame = plain
            compressed = false
        }
    }

    /// Packs `recordCount` records where they lie, without copying them together: `spans`
    /// are runs of bytes, each from a record's first byte to a record's last, that hold the
    /// records in order; `layout` is their lengths, then the gap before each (the bytes before
    /// it in its span that are no record's; 0 for a span's first), as little-endian UInt32.
    /// Each span is a frame of its own, and the layout one more.
    init(spans: [UnsafeRawBufferPointer], layout: [UInt8], recordCount: Int, rowRecords: [UInt32]?,
         validity: Validity?) {
        rowCount = rowRecords?.count ?? recordCount
        self.recordCount = recordCount
        self.rowRecords = rowRecords
        self.validity = validity
        // The gaps' total, for `textBytes`: the layout's second half.
        let gaps = layout.withUnsafeBytes { p in
            stride(from: 4 * recordCount, to: p.count - 3, by: 4).reduce(0) {
                $0 + Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: $1, as: UInt32.self)))
            }
        }
        self.layout = .gapped(gapBytes: gaps)
        size = spans.reduce(layout.count) { $0 + $1.count }
        if let frame = layout.withUnsafeBytes({ ZstdFrame.compress(parts: spans + [$0]) }) {
            self.frame = frame
            compressed = true
        } else {
            var plain: [UInt8] = []
            plain.reserveCapacity(size)
            for span in spans { plain.append(contentsOf: span) }
            plain.append(contentsOf: layout)
            frame = plain
            compressed = false
        }
    }

    /// Packed text as a saved store keeps it; nil when the parts do not fit together (the
    /// frame itself is checked when it is read: a damaged one reads as nil).
    init?(rowCount: Int, recordCount: Int, layout: Layout, frame: [UInt8], compressed: Bool, size: Int,
          rowRecords: [UInt32]?, validity: Validity?) {
        guard rowCount >= 0, recordCount >= 0, validity.map({ $0.count == rowCount }) ?? true,
              compressed || frame.count == size else { return nil }
        switch layout {
        case .contiguous: guard size >= 4 * recordCount else { return nil }
        case .gapped(let gaps): guard gaps >= 0, size >= 8 * recordCount + gaps else { return nil }
        case .uuids: guard !compressed, UUIDText.count(frame, recordCount: recordCount) != nil else { return nil }
        }
        if let rowRecords {
            guard rowRecords.count == rowCount, rowRecords.allSatisfy({ Int($0) < recordCount }) else { return nil }
        } else {
            guard recordCount == rowCount else { return nil }
        }
        self.rowCount = rowCount
        self.recordCount = recordCount
        self.frame = frame
        self.compressed = compressed
        self.size = size
        self.layout = layout
        self.rowRecords = rowRecords
        self.validity = validity
    }

    /// Packs the strings of a vector: runs of equal consecutive rows share one record.
    public init(_ strings: StringVector, validity: Validity?) {
        var records = StringHeap()
        var rows: [UInt32] = []
        var repeats = false
        rows.reserveCapacity(strings.count)
        for i in 0..<strings.count {
            let same = i > 0 && strings.withBytes(i) { a in
                records.withBytes(records.count - 1) { b in StringDictionary.equal(a, b) }
            }
            if same {
                repeats = true
            } else {
                strings.withBytes(i) { records.append($0) }
            }
            rows.append(UInt32(records.count - 1))
        }
        self.init(records: records, rowRecords: repeats ? rows : nil, validity: validity)
    }

    /// Bytes kept in memory for this chunk.
    public var storedBytes: Int {
        frame.count + (rowRecords?.count ?? 0) * 4 + (validity?.words.count ?? 0) * 8
    }

    /// Bytes of the text as loaded (every row's string, repeats counted once).
    public var textBytes: Int {
        switch layout {
        case .contiguous: return size - 4 * recordCount
        case .gapped(let gaps): return size - 8 * recordCount - gaps
        case .uuids: return UUIDText.length * (UUIDText.count(frame, recordCount: recordCount) ?? 0)
        }
    }

    /// The records, decompressed; nil when the frame is damaged.
    public func records() -> StringHeap? {
        let gapped: Bool
        switch layout {
        case .contiguous: gapped = false
        case .gapped: gapped = true
        case .uuids(let upper): return UUIDText.decode(frame, recordCount: recordCount, upper: upper)
        }
        let tail = (gapped ? 8 : 4) * recordCount
        guard var plain = compressed ? ZstdFrame.decompress(frame, size: size) : frame,
              plain.count >= tail else { return nil }
        let textEnd = plain.count - tail
        var offsets = [UInt32](repeating: 0, count: recordCount + 1)
        // `at`: where the next record goes; `from`: where it is (past its gap).
        var at = 0
        var from = 0
        let fits = plain.withUnsafeMutableBytes { p -> Bool in
            guard let base = p.baseAddress else { return recordCount == 0 }
            for i in 0..<recordCount {
                let n = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: textEnd + 4 * i, as: UInt32.self)))
                if gapped {
                    from += Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: textEnd + 4 * (recordCount + i),
                                                                      as: UInt32.self)))
                    guard from <= textEnd, n <= textEnd - from else { return false }
                    // The records close up over the gaps (the bytes move down, in place).
                    if from != at { (base + at).copyMemory(from: base + from, byteCount: n) }
                    from += n
                }
                at += n
                guard at <= textEnd else { return false }
                offsets[i + 1] = UInt32(truncatingIfNeeded: at)
            }
            return true
        }
        guard fits, at <= Int(UInt32.max), (gapped ? from : at) == textEnd else { return nil }
        plain.removeLast(plain.count - at)
        return StringHeap(bytes: plain, offsets: offsets)
    }

    /// The rows' strings: flat when each row has its own record; dictionary codes when rows
    /// share records (so a record named by many rows is not copied for each). nil when the
    /// frame is damaged.
    public func strings() -> StringVector? {
        guard let records = records() else { return nil }
        guard let rowRecords else { return .flat(records) }
        let dictionary = StringDictionary()
        var map = [UInt32](repeating: 0, count: records.count)
        for r in 0..<records.count { map[r] = records.withBytes(r) { dictionary.code(for: $0) } }
        return .dictionary(codes: rowRecords.map { map[Int($0)] }, dictionary: dictionary)
    }
}

// The strings of one chunk of a column, kept compressed: the distinct consecutive values
// ("records") in one zstd frame, their bytes followed by their lengths, and, when rows repeat
// a record (a CloudTrail batch record gives one row per image, all with the record's text),
// the record of each row, so the text is stored once however many rows share it.

public struct PackedText: Sendable {
    public let rowCount: Int
    let recordCount: Int
    /// The records' bytes, then `recordCount` little-endian UInt32 lengths: a zstd frame,
    /// or the bytes as they are when compression did not make them smaller.
    let frame: [UInt8]
    let compressed: Bool
    /// Size of the bytes behind `frame`, lengths included.
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
        size = plain.count
        if let frame = plain.withUnsafeBytes({ ZstdFrame.compress($0) }) {
            self.frame = frame
            compressed = true
        } else {
            frame = plain
            compressed = false
        }
    }

    /// Packed text as a saved store keeps it; nil when the parts do not fit together (the
    /// frame itself is checked when it is read: a damaged one reads as nil).
    init?(rowCount: Int, recordCount: Int, frame: [UInt8], compressed: Bool, size: Int,
          rowRecords: [UInt32]?, validity: Validity?) {
        guard rowCount >= 0, recordCount >= 0, size >= 4 * recordCount, validity.map({ $0.count == rowCount }) ?? true,
              compressed || frame.count == size else { return nil }
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
    public var textBytes: Int { size - 4 * recordCount }

    /// The records, decompressed; nil when the frame is damaged.
    public func records() -> StringHeap? {
        guard var plain = compressed ? ZstdFrame.decompress(frame, size: size) : frame,
              plain.count >= 4 * recordCount else { return nil }
        let textEnd = plain.count - 4 * recordCount
        var offsets = [UInt32](repeating: 0, count: recordCount + 1)
        var at = 0
        plain.withUnsafeBytes { p in
            for i in 0..<recordCount {
                let n = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: textEnd + 4 * i, as: UInt32.self)))
                at += n
                offsets[i + 1] = UInt32(truncatingIfNeeded: at)
            }
        }
        guard at == textEnd else { return nil }
        plain.removeLast(4 * recordCount)
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

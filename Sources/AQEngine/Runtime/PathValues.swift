// The values one JSON path holds in the records of one chunk, gathered record by record, and
// the sub-column they make when the path qualifies: at least half of the chunk's records
// carry it, with values of one kind (nulls aside), never an object, an array or a value the
// text functions would read back differently (`Ingest/RecordPaths` notes them).

// Used by one thread at a time, per value of every record: no run-time exclusivity checks
// on its arrays (see `RecordPaths`).
final class PathValues: @unchecked Sendable {
    /// A path becomes a sub-column of a chunk when at least this share of its records carry it.
    static let minimumShare = 0.5

    /// The kinds of value a path held in a chunk.
    struct Kinds: OptionSet {
        let rawValue: UInt8
        static let string = Kinds(rawValue: 1)
        static let integer = Kinds(rawValue: 2)
        static let boolean = Kinds(rawValue: 4)
        static let null = Kinds(rawValue: 8)
        static let object = Kinds(rawValue: 16)
        /// Arrays, floats, values the text functions read differently: not shredded.
        static let other = Kinds(rawValue: 32)
    }

    /// The kinds seen.
    @exclusivity(unchecked) private(set) var kinds: Kinds = []
    /// Records holding a value (null included).
    @exclusivity(unchecked) private(set) var count = 0
    /// Per record (made when the first value of its kind comes): whether it holds a value,
    /// whether that is null, and the value. Unsafe buffers the class owns, so that a value
    /// costs no uniqueness or bounds check (the loading thread adds one per note).
    private let present: UnsafeMutablePointer<Bool>
    @exclusivity(unchecked) private var nullRecords: UnsafeMutablePointer<Bool>?
    @exclusivity(unchecked) private var codes: UnsafeMutablePointer<UInt32>?
    @exclusivity(unchecked) private var integers: UnsafeMutablePointer<Int64>?
    @exclusivity(unchecked) private var booleans: UnsafeMutablePointer<Bool>?
    private let capacity: Int

    /// For at most `capacity` records (a value of a record past them is not kept).
    init(capacity: Int) {
        self.capacity = capacity
        present = .allocate(capacity: max(1, capacity))
        present.initialize(repeating: false, count: max(1, capacity))
    }

    deinit {
        present.deallocate()
        nullRecords?.deallocate()
        codes?.deallocate()
        integers?.deallocate()
        booleans?.deallocate()
    }

    /// A zeroed buffer of one value a record.
    private func zeroed<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let made = UnsafeMutablePointer<T>.allocate(capacity: max(1, capacity))
        made.initialize(repeating: value, count: max(1, capacity))
        return made
    }

    @inline(__always)
    func string(_ code: UInt32, record: Int) {
        guard record < capacity else { return }
        let values = codes ?? zeroed(UInt32(0))
        codes = values
        values[record] = code
        kinds.insert(.string)
        present[record] = true
        count += 1
    }

    @inline(__always)
    func integer(_ x: Int64, record: Int) {
        guard record < capacity else { return }
        let values = integers ?? zeroed(Int64(0))
        integers = values
        values[record] = x
        kinds.insert(.integer)
        present[record] = true
        count += 1
    }

    @inline(__always)
    func boolean(_ b: Bool, record: Int) {
        guard record < capacity else { return }
        let values = booleans ?? zeroed(false)
        booleans = values
        values[record] = b
        kinds.insert(.boolean)
        present[record] = true
        count += 1
    }

    @inline(__always)
    func null(record: Int) {
        guard record < capacity else { return }
        let values = nullRecords ?? zeroed(false)
        nullRecords = values
        values[record] = true
        kinds.insert(.null)
        count += 1
    }

    /// An object, an array, or a value the text functions read differently: the path is no
    /// sub-column of this chunk.
    func unfit(_ kind: Kinds) { kinds.insert(kind) }

    /// The sub-column over the chunk's `rows` rows (`records` records; `rowRecords`: the
    /// record of each row, nil for one row per record; `valid`: rows that are not NULL), when
    /// the path qualifies.
    func column(records: Int, rows: Int, rowRecords: [UInt32]?, valid: Validity?) -> PathColumn? {
        guard !kinds.isEmpty, kinds.isDisjoint(with: [.object, .other]) else { return nil }
        let scalar = kinds.subtracting(.null)
        guard scalar.rawValue.nonzeroBitCount <= 1, Double(count) >= PathValues.minimumShare * Double(records) else {
            return nil
        }
        // The record of each row: `rowRecords`, or the row itself (read within `capacity`).
        let recordOf = rowRecords ?? []
        return recordOf.withUnsafeBufferPointer { recordOf -> PathColumn? in
            @inline(__always) func record(_ row: Int) -> Int {
                let r = rowRecords == nil ? row : Int(recordOf[row])
                return r < capacity ? r : 0
            }
            /// Each row's value: its record's (the records' copied as they are for one row a record).
            func gathered<T>(_ values: UnsafeMutablePointer<T>) -> [T] {
                if rowRecords == nil, rows <= capacity { return Array(UnsafeBufferPointer(start: values, count: rows)) }
                return [T](unsafeUninitializedCapacity: rows) { out, initialized in
                    for row in 0..<rows { out[row] = values[record(row)] }
                    initialized = rows
                }
            }
            // The rows without a value, and the NULL ones: none when every record holds a value
            // and none is NULL (the common case, with batch records' further rows or without).
            var presentRows: Validity?
            var nullRows: Validity?
            if !(count == records && valid == nil && nullRecords == nil) {
                var present = Validity(allValid: rows)
                var nulls = Validity(allNull: rows)
                var anyNull = false
                for row in 0..<rows {
                    let r = record(row)
                    let rowValid = valid?.isValid(row) ?? true
                    if !(rowValid && self.present[r]) { present.set(row, valid: false) }
                    if rowValid, let nullRecords, nullRecords[r] {
                        nulls.set(row, valid: true)
                        anyNull = true
                    }
                }
                presentRows = present.nullCount == 0 ? nil : present
                nullRows = anyNull ? nulls : nil
            }
            let values: PathColumn.Values
            switch scalar {
            case .string:
                guard let codes else { return nil }
                values = .strings(NarrowCodes(gathered(codes)))
            case .integer:
                guard let integers else { return nil }
                values = .integers(gathered(integers))
            case .boolean:
                guard let booleans else { return nil }
                values = .booleans(gathered(booleans))
            default: values = .nulls
            }
            return PathColumn(values: values, present: presentRows, nulls: nullRows)
        }
    }
}

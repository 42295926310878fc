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
    private(set) var kinds: Kinds = []
    /// Records holding a value (null included).
    private(set) var count = 0
    @exclusivity(unchecked) private var present: [Bool]
    @exclusivity(unchecked) private var nullRecords: [Bool] = []
    @exclusivity(unchecked) private var codes: [UInt32] = []
    @exclusivity(unchecked) private var integers: [Int64] = []
    @exclusivity(unchecked) private var booleans: [Bool] = []
    private let capacity: Int

    /// For at most `capacity` records.
    init(capacity: Int) {
        self.capacity = capacity
        present = [Bool](repeating: false, count: capacity)
    }

    func string(_ code: UInt32, record: Int) {
        if codes.isEmpty { codes = [UInt32](repeating: 0, count: capacity) }
        codes[record] = code
        kinds.insert(.string)
        present[record] = true
        count += 1
    }

    func integer(_ x: Int64, record: Int) {
        if integers.isEmpty { integers = [Int64](repeating: 0, count: capacity) }
        integers[record] = x
        kinds.insert(.integer)
        present[record] = true
        count += 1
    }

    func boolean(_ b: Bool, record: Int) {
        if booleans.isEmpty { booleans = [Bool](repeating: false, count: capacity) }
        booleans[record] = b
        kinds.insert(.boolean)
        present[record] = true
        count += 1
    }

    func null(record: Int) {
        if nullRecords.isEmpty { nullRecords = [Bool](repeating: false, count: capacity) }
        nullRecords[record] = true
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
        let recordOf: (Int) -> Int = { row in rowRecords.map { Int($0[row]) } ?? row }
        var presentRows = Validity(allValid: rows)
        var nullRows = Validity(allNull: rows)
        var anyNull = false
        for row in 0..<rows {
            let r = recordOf(row)
            let rowValid = valid?.isValid(row) ?? true
            if !(rowValid && present[r]) { presentRows.set(row, valid: false) }
            if rowValid && r < nullRecords.count && nullRecords[r] {
                nullRows.set(row, valid: true)
                anyNull = true
            }
        }
        let values: PathColumn.Values
        switch scalar {
        case .string: values = .strings(NarrowCodes((0..<rows).map { codes[recordOf($0)] }))
        case .integer: values = .integers((0..<rows).map { integers[recordOf($0)] })
        case .boolean: values = .booleans((0..<rows).map { booleans[recordOf($0)] })
        default: values = .nulls
        }
        return PathColumn(values: values, present: presentRows.nullCount == 0 ? nil : presentRows,
                          nulls: anyNull ? nullRows : nil)
    }
}

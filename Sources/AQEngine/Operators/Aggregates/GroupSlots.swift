// One value per group, of any type: what first, any_value and arg_min/arg_max keep.

/// A growable column of per-group values; `valid[g]` is false for a group that holds NULL
/// (or nothing yet).
struct GroupSlots {
    let type: DataType
    private(set) var ints: [Int64] = []
    private(set) var doubles: [Double] = []
    private(set) var bools: [Bool] = []
    private(set) var intervals: [Interval] = []
    private(set) var strings: [[UInt8]] = []
    /// LIST values, boxed: lists are kept per group only by first, last, any_value, arg_min.
    private(set) var lists: [Value] = []
    private(set) var valid: [Bool] = []

    init(type: DataType) { self.type = type }

    var count: Int { valid.count }

    mutating func grow(to n: Int) {
        guard n > valid.count else { return }
        let extra = n - valid.count
        valid.append(contentsOf: repeatElement(false, count: extra))
        switch type {
        case .integer, .date, .timestamp: ints.append(contentsOf: repeatElement(0, count: extra))
        case .double: doubles.append(contentsOf: repeatElement(0, count: extra))
        case .boolean: bools.append(contentsOf: repeatElement(false, count: extra))
        case .interval: intervals.append(contentsOf: repeatElement(Interval(), count: extra))
        case .varchar, .json: strings.append(contentsOf: repeatElement([], count: extra))
        case .list: lists.append(contentsOf: repeatElement(.null, count: extra))
        case .null: break
        }
    }

    /// Sets group `g` to row `row` of `vector` (NULL if the row is NULL).
    mutating func set(_ g: Int, from vector: Vector, row: Int) {
        if vector.isNull(row) { valid[g] = false; return }
        valid[g] = true
        switch vector.storage {
        case .int64(let a) where type.isInt64Backed: ints[g] = a[row]
        case .double(let a) where type == .double: doubles[g] = a[row]
        case .boolean(let a) where type == .boolean: bools[g] = a[row]
        case .interval(let a) where type == .interval: intervals[g] = a[row]
        case .string(let s) where type.isString: strings[g] = s.withBytes(row) { [UInt8]($0) }
        case .list where type.listElement != nil: lists[g] = vector.value(at: row)
        default: valid[g] = false
        }
    }

    mutating func setInt(_ g: Int, _ x: Int64) { ints[g] = x; valid[g] = true }
    mutating func setDouble(_ g: Int, _ x: Double) { doubles[g] = x; valid[g] = true }
    mutating func setBool(_ g: Int, _ x: Bool) { bools[g] = x; valid[g] = true }
    mutating func setInterval(_ g: Int, _ x: Interval) { intervals[g] = x; valid[g] = true }
    mutating func setString(_ g: Int, _ p: UnsafeRawBufferPointer) {
        strings[g].removeAll(keepingCapacity: true)
        strings[g].append(contentsOf: p)
        valid[g] = true
    }

    /// min (or max) of integers per group: row i of `a` into group `groups[i]`, rows that
    /// `validity` marks NULL skipped; ties keep the value already there. One loop over raw
    /// buffers, for min/max without a value argument (the common case).
    mutating func foldExtreme(_ a: [Int64], validity: Validity?, groups: UnsafeBufferPointer<Int32>, max isMax: Bool) {
        let n = groups.count
        a.withUnsafeBufferPointer { a in
            ints.withUnsafeMutableBufferPointer { best in
                valid.withUnsafeMutableBufferPointer { seen in
                    if seen.count == 1, validity == nil, n > 0 {
                        // One group (no GROUP BY): the extreme in a register.
                        var x = seen[0] ? best[0] : a[0]
                        for i in 0..<n { x = isMax ? Swift.max(x, a[i]) : Swift.min(x, a[i]) }
                        best[0] = x
                        seen[0] = true
                        return
                    }
                    for i in 0..<n {
                        if let validity, !validity.isValid(i) { continue }
                        let g = Int(groups[i]), x = a[i]
                        if !seen[g] || (isMax ? x > best[g] : x < best[g]) {
                            best[g] = x
                            seen[g] = true
                        }
                    }
                }
            }
        }
    }

    /// The values of groups `0..<n` as a vector.
    func build(count n: Int) -> Vector {
        var validity: Validity?
        if valid.prefix(n).contains(false) {
            var v = Validity(allValid: n)
            for g in 0..<n where !valid[g] { v.set(g, valid: false) }
            validity = v
        }
        let storage: VectorStorage
        switch type {
        case .null: return Vector(type: .null, storage: .null(count: n))
        case .integer, .date, .timestamp: storage = .int64(Array(ints.prefix(n)))
        case .double: storage = .double(Array(doubles.prefix(n)))
        case .boolean: storage = .boolean(Array(bools.prefix(n)))
        case .interval: storage = .interval(Array(intervals.prefix(n)))
        case .varchar, .json:
            var heap = StringHeap(reservingCapacity: n, bytes: 0)
            for g in 0..<n { strings[g].withUnsafeBytes { heap.append($0) } }
            storage = .string(.flat(heap))
        case .list:
            var builder = VectorBuilder(type: type)
            for g in 0..<n { builder.append(valid[g] ? lists[g] : .null) }
            return builder.build()
        }
        return Vector(type: type, storage: storage, validity: validity)
    }
}

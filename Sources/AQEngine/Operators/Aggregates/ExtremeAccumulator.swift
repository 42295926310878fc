// min, max, arg_min and arg_max: the smallest or largest key per group (and, for the arg
// forms, the value on the row that has it). Ties keep the first row seen.

final class ExtremeAccumulator: AggregateAccumulator {
    private let isMax: Bool
    private var keys: GroupSlots
    /// For arg_min / arg_max: the value argument of the best row.
    private var values: GroupSlots?

    init(keyType: DataType, valueType: DataType?, max: Bool) {
        self.isMax = max
        self.keys = GroupSlots(type: keyType)
        self.values = valueType.map(GroupSlots.init)
    }

    func grow(to count: Int) {
        keys.grow(to: count)
        values?.grow(to: count)
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        // arg_min(x, y): arguments are (x, y); the key is y. Rows with a NULL x or y are skipped.
        let key = values == nil ? arguments[0] : arguments[1]
        let value: Vector? = values == nil ? nil : arguments[0]
        if key.isNullStorage || value?.isNullStorage == true { return }
        guard key.storageMatches(keys.type) else {
            throw ExecutionError.failed("internal error: \(keys.type) values stored unlike their type", range: nil)
        }
        let keyValidity = key.validity
        let valueValidity = value?.validity
        @inline(__always) func skip(_ i: Int) -> Bool {
            if let v = keyValidity, !v.isValid(i) { return true }
            if let v = valueValidity, !v.isValid(i) { return true }
            return false
        }
        @inline(__always) func take(_ g: Int, _ i: Int) {
            if let value { values!.set(g, from: value, row: i) }
        }
        let n = groups.count
        let isMax = self.isMax
        switch key.storage {
        case .int64(let a) where value == nil:
            keys.foldExtreme(a, validity: keyValidity, groups: groups, max: isMax)
        case .int64(let a):
            for i in 0..<n where !skip(i) {
                let g = Int(groups[i]), x = a[i]
                if !keys.valid[g] || (isMax ? x > keys.ints[g] : x < keys.ints[g]) {
                    keys.setInt(g, x)
                    take(g, i)
                }
            }
        case .double(let a):
            for i in 0..<n where !skip(i) {
                let g = Int(groups[i]), x = a[i]
                if !keys.valid[g] || (isMax ? ValueOrder.less(keys.doubles[g], x) : ValueOrder.less(x, keys.doubles[g])) {
                    keys.setDouble(g, x)
                    take(g, i)
                }
            }
        case .boolean(let a):
            for i in 0..<n where !skip(i) {
                let g = Int(groups[i]), x = a[i]
                if !keys.valid[g] || (isMax ? (x && !keys.bools[g]) : (!x && keys.bools[g])) {
                    keys.setBool(g, x)
                    take(g, i)
                }
            }
        case .interval(let a):
            for i in 0..<n where !skip(i) {
                let g = Int(groups[i]), x = a[i]
                if !keys.valid[g] || (isMax ? ValueOrder.less(keys.intervals[g], x) : ValueOrder.less(x, keys.intervals[g])) {
                    keys.setInterval(g, x)
                    take(g, i)
                }
            }
        case .string(let s):
            for i in 0..<n where !skip(i) {
                let g = Int(groups[i])
                s.withBytes(i) { x in
                    let better: Bool
                    if !keys.valid[g] {
                        better = true
                    } else {
                        let c = keys.strings[g].withUnsafeBytes { ValueOrder.compare(x, $0) }
                        better = isMax ? c > 0 : c < 0
                    }
                    if better {
                        keys.setString(g, x)
                        take(g, i)
                    }
                }
            }
        case .null, .list:
            // Lists are not ordered keys: the binder refuses min/max/arg_min over them.
            break
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        if let values {
            // A group whose best row had a NULL value is NULL; one with no rows too.
            return values.build(count: count)
        }
        return keys.build(count: count)
    }
}

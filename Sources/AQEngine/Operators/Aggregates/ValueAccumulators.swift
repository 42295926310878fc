// string_agg, bool_and / bool_or, first and any_value.

/// string_agg(x [, sep]): the non-NULL values joined by the separator (default ',').
final class StringAggAccumulator: AggregateAccumulator {
    private var buffers: [[UInt8]] = []
    private var has: [Bool] = []

    func grow(to count: Int) {
        guard count > has.count else { return }
        buffers.append(contentsOf: repeatElement([], count: count - buffers.count))
        has.append(contentsOf: repeatElement(false, count: count - has.count))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        guard case .string(let strings) = x.storage else { return }
        let separator: Vector? = arguments.count > 1 ? arguments[1] : nil
        var separatorStrings: StringVector?
        if let separator, case .string(let s) = separator.storage { separatorStrings = s }
        for i in 0..<groups.count where !x.isNull(i) {
            let g = Int(groups[i])
            if has[g] {
                if let separator {
                    if let s = separatorStrings, !separator.isNull(i) {
                        s.withBytes(i) { buffers[g].append(contentsOf: $0) }
                    }
                } else {
                    buffers[g].append(UInt8(ascii: ","))
                }
            }
            strings.withBytes(i) { buffers[g].append(contentsOf: $0) }
            has[g] = true
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        var heap = StringHeap(reservingCapacity: count, bytes: 0)
        for g in 0..<count { buffers[g].withUnsafeBytes { heap.append($0) } }
        return Vector(type: .varchar, storage: .string(.flat(heap)), validity: groupValidity(has, count))
    }
}

/// bool_and / bool_or over the non-NULL values.
final class BoolAccumulator: AggregateAccumulator {
    private let isAnd: Bool
    private var states: [Bool] = []
    private var has: [Bool] = []

    init(and: Bool) { self.isAnd = and }

    func grow(to count: Int) {
        guard count > has.count else { return }
        states.append(contentsOf: repeatElement(isAnd, count: count - states.count))
        has.append(contentsOf: repeatElement(false, count: count - has.count))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        guard case .boolean(let values) = x.storage else { return }
        for i in 0..<groups.count where !x.isNull(i) {
            let g = Int(groups[i])
            states[g] = isAnd ? (states[g] && values[i]) : (states[g] || values[i])
            has[g] = true
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        return Vector(type: .boolean, storage: .boolean(Array(states.prefix(count))), validity: groupValidity(has, count))
    }
}

/// first(x): the value of the first row (NULL included); any_value(x): the first non-NULL;
/// last(x): the value of the last row (NULL included).
final class FirstAccumulator: AggregateAccumulator {
    private let skipNulls: Bool
    /// Every row replaces the value, so the last one stays.
    private let last: Bool
    private var slots: GroupSlots
    private var done: [Bool] = []

    init(type: DataType, skipNulls: Bool, last: Bool = false) {
        self.skipNulls = skipNulls
        self.last = last
        self.slots = GroupSlots(type: type)
    }

    func grow(to count: Int) {
        slots.grow(to: count)
        if count > done.count { done.append(contentsOf: repeatElement(false, count: count - done.count)) }
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        for i in 0..<groups.count {
            let g = Int(groups[i])
            if done[g] && !last { continue }
            if skipNulls, x.isNull(i) { continue }
            slots.set(g, from: x, row: i)
            done[g] = true
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        return slots.build(count: count)
    }
}

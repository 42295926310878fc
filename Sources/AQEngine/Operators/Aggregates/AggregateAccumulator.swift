// The running state of one aggregate call across all groups, and which state each
// aggregate function uses. States are columns indexed by group: one dispatch per batch.

import AQSyntax

/// The states of one aggregate call for groups `0..<count`.
protocol AggregateAccumulator: AnyObject {
    /// Makes room for groups up to `count` (new groups start empty).
    func grow(to count: Int)
    /// Folds rows `0..<groups.count`: row i belongs to group `groups[i]`. `arguments` are the
    /// call's evaluated arguments (then its ORDER BY keys), each of `groups.count` rows.
    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws
    /// The results of groups `0..<count`.
    func finish(count: Int) throws -> Vector
}

enum AccumulatorFactory {
    /// Whether the accumulator of `aggregate` removes duplicate arguments itself, so the
    /// operator must not filter them first.
    static func handlesDistinct(_ aggregate: BoundAggregate, argumentTypes: [DataType]) -> Bool {
        (aggregate.function == .count || aggregate.function == .approxCountDistinct)
            && (aggregate.distinct || aggregate.function == .approxCountDistinct)
            && CountDistinctAccumulator.supports(argumentTypes.first ?? .null)
    }

    /// The accumulator for `aggregate`, whose arguments have `argumentTypes`. `context`: the
    /// statement whose threads may finish it (count(DISTINCT)'s final sort); nil: the
    /// calling thread alone (an accumulator already on a worker).
    static func make(_ aggregate: BoundAggregate, argumentTypes: [DataType], _ context: ExecutionContext?) throws -> AggregateAccumulator {
        let range = aggregate.range
        let first = argumentTypes.first ?? .null
        let inner: AggregateAccumulator
        switch aggregate.function {
        case .countStar: inner = CountAccumulator(star: true)
        case .count where aggregate.distinct && CountDistinctAccumulator.supports(first):
            inner = CountDistinctAccumulator(type: first, context)
        case .count: inner = CountAccumulator(star: false)
        case .sum:
            switch aggregate.type {
            case .integer: inner = IntegerSumAccumulator(range: range)
            case .interval: inner = IntervalSumAccumulator(average: false)
            default: inner = DoubleSumAccumulator(average: false)
            }
        case .avg:
            switch (aggregate.type, first) {
            case (.interval, _): inner = IntervalSumAccumulator(average: true)
            case (.timestamp, _): inner = IntegerAverageAccumulator(resultType: .timestamp)
            case (_, .integer), (_, .boolean): inner = IntegerAverageAccumulator(resultType: .double)
            default: inner = DoubleSumAccumulator(average: true)
            }
        case .min: inner = ExtremeAccumulator(keyType: first, valueType: nil, max: false)
        case .max: inner = ExtremeAccumulator(keyType: first, valueType: nil, max: true)
        case .argMin, .argMax:
            guard argumentTypes.count >= 2 else { throw invalid(aggregate) }
            inner = ExtremeAccumulator(keyType: argumentTypes[1], valueType: argumentTypes[0],
                                       max: aggregate.function == .argMax)
        case .stringAgg: inner = StringAggAccumulator()
        case .boolAnd: inner = BoolAccumulator(and: true)
        case .boolOr: inner = BoolAccumulator(and: false)
        case .first: inner = FirstAccumulator(type: aggregate.type, skipNulls: false)
        case .last: inner = FirstAccumulator(type: aggregate.type, skipNulls: false, last: true)
        case .anyValue: inner = FirstAccumulator(type: aggregate.type, skipNulls: true)
        case .countIf: inner = CountIfAccumulator()
        case .approxCountDistinct where CountDistinctAccumulator.supports(first):
            inner = CountDistinctAccumulator(type: first, context)
        case .approxCountDistinct:
            inner = CountAccumulator(star: false)
        case .product: inner = ProductAccumulator()
        case .stddevSamp: inner = VarianceAccumulator(sample: true, root: true)
        case .stddevPop: inner = VarianceAccumulator(sample: false, root: true)
        case .varSamp: inner = VarianceAccumulator(sample: true, root: false)
        case .varPop: inner = VarianceAccumulator(sample: false, root: false)
        case .median: inner = MedianAccumulator(resultType: aggregate.type)
        case .mode: inner = ModeAccumulator(type: first)
        case .list: inner = ListAccumulator(element: first)
        }
        if !aggregate.orderBy.isEmpty, aggregate.function.dependsOnOrder {
            return OrderedAccumulator(inner, argumentCount: aggregate.arguments.count,
                                      keys: aggregate.orderBy, argumentTypes: argumentTypes)
        }
        return inner
    }

    private static func invalid(_ aggregate: BoundAggregate) -> ExecutionError {
        .failed("wrong number of arguments to \(aggregate.function.rawValue)", range: aggregate.range)
    }
}

extension AggregateFunction {
    /// Whether the result depends on the order of the rows (so ORDER BY in the call matters).
    var dependsOnOrder: Bool {
        switch self {
        case .stringAgg, .first, .last, .anyValue, .argMin, .argMax, .mode, .list: return true
        default: return false
        }
    }
}

/// count(*) and count(x).
final class CountAccumulator: AggregateAccumulator {
    private let star: Bool
    private var counts: [Int64] = []

    init(star: Bool) { self.star = star }

    func grow(to count: Int) {
        if count > counts.count { counts.append(contentsOf: repeatElement(0, count: count - counts.count)) }
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let n = groups.count
        if star || arguments.isEmpty, counts.count == 1 {
            // One group: every row is in it.
            counts[0] &+= Int64(n)
            return
        }
        counts.withUnsafeMutableBufferPointer { c in
            if star || arguments.isEmpty {
                if c.count <= CountAccumulator.laneLimit {
                    CountAccumulator.countInLanes(groups, into: c)
                    return
                }
                for i in 0..<n { c[Int(groups[i])] &+= 1 }
                return
            }
            let x = arguments[0]
            if x.isNullStorage { return }
            guard let validity = x.validity else {
                if c.count == 1 {
                    c[0] &+= Int64(n)
                    return
                }
                for i in 0..<n { c[Int(groups[i])] &+= 1 }
                return
            }
            for i in 0..<n where validity.isValid(i) { c[Int(groups[i])] &+= 1 }
        }
    }

    /// Adds `rows[i]` rows to group `groups[i]`: rows already counted per key (`CodeCounts`).
    func add(rows: [Int64], groups: [Int32]) {
        for (g, k) in zip(groups, rows) where g >= 0 { counts[Int(g)] &+= k }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        return Vector(type: .integer, storage: .int64(Array(counts.prefix(count))))
    }

    /// Up to this many groups are counted in lanes.
    private static let laneLimit = 1024

    /// Adds one to `counts[g]` for each row's group `g`. With few groups, consecutive rows
    /// often fall in the same group, and each increment would wait for the previous one's
    /// store: four lanes of counters, one per row modulo 4, keep four chains going at once.
    static func countInLanes<Group: FixedWidthInteger>(_ groups: UnsafeBufferPointer<Group>, into counts: UnsafeMutableBufferPointer<Int64>) {
        let g = counts.count, n = groups.count
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: 4 * g) { lanes in
            lanes.initialize(repeating: 0)
            var i = 0
            while i + 4 <= n {
                lanes[Int(groups[i])] &+= 1
                lanes[g + Int(groups[i + 1])] &+= 1
                lanes[2 * g + Int(groups[i + 2])] &+= 1
                lanes[3 * g + Int(groups[i + 3])] &+= 1
                i += 4
            }
            while i < n {
                lanes[Int(groups[i])] &+= 1
                i += 1
            }
            for k in 0..<g { counts[k] &+= lanes[k] &+ lanes[g + k] &+ lanes[2 * g + k] &+ lanes[3 * g + k] }
        }
    }
}

/// sum of INTEGER (or BOOLEAN) values; overflow is an error.
final class IntegerSumAccumulator: AggregateAccumulator {
    private var sums: [Int64] = []
    private var seen: [Bool] = []
    private let range: SourceRange?

    init(range: SourceRange?) { self.range = range }

    func grow(to count: Int) {
        guard count > sums.count else { return }
        sums.append(contentsOf: repeatElement(0, count: count - sums.count))
        seen.append(contentsOf: repeatElement(false, count: count - seen.count))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        let n = groups.count
        let values: [Int64]
        switch x.storage {
        case .int64(let a): values = a
        case .boolean(let a): values = a.map { $0 ? 1 : 0 }
        default: return
        }
        var overflow = false
        sums.withUnsafeMutableBufferPointer { s in
            seen.withUnsafeMutableBufferPointer { seen in
                values.withUnsafeBufferPointer { v in
                    let validity = x.validity
                    for i in 0..<n {
                        if let validity, !validity.isValid(i) { continue }
                        let g = Int(groups[i])
                        let (r, o) = s[g].addingReportingOverflow(v[i])
                        s[g] = r
                        seen[g] = true
                        overflow = overflow || o
                    }
                }
            }
        }
        if overflow { throw ExecutionError.overflow("integer overflow in sum", range: range) }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        return Vector(type: .integer, storage: .int64(Array(sums.prefix(count))), validity: groupValidity(seen, count))
    }
}

/// sum and avg of DOUBLE values.
final class DoubleSumAccumulator: AggregateAccumulator {
    private let average: Bool
    private var sums: [Double] = []
    private var counts: [Int64] = []

    init(average: Bool) { self.average = average }

    func grow(to count: Int) {
        guard count > sums.count else { return }
        sums.append(contentsOf: repeatElement(0, count: count - sums.count))
        counts.append(contentsOf: repeatElement(0, count: count - counts.count))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        let values: [Double]
        switch x.storage {
        case .double(let a): values = a
        case .int64(let a): values = a.map(Double.init)
        case .boolean(let a): values = a.map { $0 ? 1 : 0 }
        default: return
        }
        let validity = x.validity
        sums.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<groups.count {
                    if let validity, !validity.isValid(i) { continue }
                    let g = Int(groups[i])
                    s[g] += values[i]
                    c[g] += 1
                }
            }
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        var out = Array(sums.prefix(count))
        if average { for g in 0..<count where counts[g] > 0 { out[g] /= Double(counts[g]) } }
        return Vector(type: .double, storage: .double(out), validity: groupValidity(counts.map { $0 > 0 }, count))
    }
}

/// avg of INTEGER (and BOOLEAN) as DOUBLE, and of TIMESTAMP, summed exactly in 128 bits.
final class IntegerAverageAccumulator: AggregateAccumulator {
    private let resultType: DataType
    private var sums: [Int128] = []
    private var counts: [Int64] = []

    init(resultType: DataType) { self.resultType = resultType }

    func grow(to count: Int) {
        guard count > sums.count else { return }
        sums.append(contentsOf: repeatElement(0, count: count - sums.count))
        counts.append(contentsOf: repeatElement(0, count: count - counts.count))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        let values: [Int64]
        switch x.storage {
        case .int64(let a): values = a
        case .boolean(let a): values = a.map { $0 ? 1 : 0 }
        default: return
        }
        let validity = x.validity
        sums.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<groups.count {
                    if let validity, !validity.isValid(i) { continue }
                    let g = Int(groups[i])
                    s[g] += Int128(values[i])
                    c[g] += 1
                }
            }
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        let has = counts.map { $0 > 0 }
        if resultType == .timestamp {
            let out = (0..<count).map { g in counts[g] > 0 ? Int64(sums[g] / Int128(counts[g])) : 0 }
            return Vector(type: .timestamp, storage: .int64(out), validity: groupValidity(has, count))
        }
        let out = (0..<count).map { g in counts[g] > 0 ? Double(sums[g]) / Double(counts[g]) : 0 }
        return Vector(type: .double, storage: .double(out), validity: groupValidity(has, count))
    }
}

/// sum and avg of INTERVAL values, field by field.
final class IntervalSumAccumulator: AggregateAccumulator {
    private let average: Bool
    private var months: [Int128] = [], days: [Int128] = [], nanos: [Int128] = []
    private var counts: [Int64] = []

    init(average: Bool) { self.average = average }

    func grow(to count: Int) {
        guard count > counts.count else { return }
        let extra = count - counts.count
        months.append(contentsOf: repeatElement(0, count: extra))
        days.append(contentsOf: repeatElement(0, count: extra))
        nanos.append(contentsOf: repeatElement(0, count: extra))
        counts.append(contentsOf: repeatElement(0, count: extra))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        guard case .interval(let values) = x.storage else { return }
        for i in 0..<groups.count where !x.isNull(i) {
            let g = Int(groups[i])
            months[g] += Int128(values[i].months)
            days[g] += Int128(values[i].days)
            nanos[g] += Int128(values[i].nanoseconds)
            counts[g] += 1
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        var out: [Interval] = []
        out.reserveCapacity(count)
        for g in 0..<count {
            let d = average ? Int128(Swift.max(counts[g], 1)) : 1
            var m = months[g], dd = days[g], ns = nanos[g]
            if average {
                // Carry the remainder of each field into the next smaller one, as DuckDB does.
                let mr = m % d
                m /= d
                dd = dd + mr * 30
                let dr = dd % d
                dd /= d
                ns = (ns + dr * Int128(TimeMath.nanosPerDay)) / d
            }
            guard let m32 = Int32(exactly: m), let d32 = Int32(exactly: dd), let n64 = Int64(exactly: ns) else {
                throw ExecutionError.overflow("interval overflow in \(average ? "avg" : "sum")", range: nil)
            }
            out.append(Interval(months: m32, days: d32, nanoseconds: n64))
        }
        return Vector(type: .interval, storage: .interval(out), validity: groupValidity(counts.map { $0 > 0 }, count))
    }
}

/// A validity bitmap from per-group flags, or nil when every group has a value.
func groupValidity(_ has: [Bool], _ count: Int) -> Validity? {
    guard has.prefix(count).contains(false) else { return nil }
    var v = Validity(allValid: count)
    for g in 0..<count where !has[g] { v.set(g, valid: false) }
    return v
}

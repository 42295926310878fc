// Comparison kernels over typed arrays: the six comparison operators on integers, doubles
// (NaN above every number), booleans, strings (by UTF-8 bytes), intervals and lists, and two
// vectors of one type compared row by row.

import AQSyntax

/// A DOUBLE in DuckDB's total order.
struct TotalDouble: Comparable {
    var value: Double

    @inline(__always)
    static func == (a: TotalDouble, b: TotalDouble) -> Bool {
        a.value == b.value || (a.value.isNaN && b.value.isNaN)
    }

    @inline(__always)
    static func < (a: TotalDouble, b: TotalDouble) -> Bool {
        a.value < b.value || (b.value.isNaN && !a.value.isNaN)
    }
}

/// An INTERVAL's comparable length: months, days below 30, nanoseconds below a day.
struct IntervalKey: Comparable, Hashable {
    var months: Int64
    var days: Int64
    var nanoseconds: Int64

    @inline(__always)
    init(_ v: Interval) {
        let extraDays = v.nanoseconds / TimeMath.nanosPerDay
        nanoseconds = v.nanoseconds - extraDays * TimeMath.nanosPerDay
        let totalDays = Int64(v.days) + extraDays
        let extraMonths = totalDays / 30
        days = totalDays - extraMonths * 30
        months = Int64(v.months) + extraMonths
    }

    @inline(__always)
    static func < (a: IntervalKey, b: IntervalKey) -> Bool {
        (a.months, a.days, a.nanoseconds) < (b.months, b.days, b.nanoseconds)
    }
}

enum CompareKernels {
    /// `a[i] op b[i]` for every row.
    @inline(__always)
    static func arrays<T: Comparable>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>,
                                      _ op: ComparisonOperator) -> [Bool] {
        let n = min(a.count, b.count)
        return [Bool](unsafeUninitializedCapacity: n) { out, count in
            switch op {
            case .equal: for i in 0..<n { out[i] = a[i] == b[i] }
            case .notEqual: for i in 0..<n { out[i] = a[i] != b[i] }
            case .less: for i in 0..<n { out[i] = a[i] < b[i] }
            case .lessEqual: for i in 0..<n { out[i] = a[i] <= b[i] }
            case .greater: for i in 0..<n { out[i] = a[i] > b[i] }
            case .greaterEqual: for i in 0..<n { out[i] = a[i] >= b[i] }
            }
            count = n
        }
    }

    /// `a[i] op c` for every row.
    @inline(__always)
    static func scalar<T: Comparable>(_ a: UnsafeBufferPointer<T>, _ c: T, _ op: ComparisonOperator) -> [Bool] {
        let n = a.count
        return [Bool](unsafeUninitializedCapacity: n) { out, count in
            switch op {
            case .equal: for i in 0..<n { out[i] = a[i] == c }
            case .notEqual: for i in 0..<n { out[i] = a[i] != c }
            case .less: for i in 0..<n { out[i] = a[i] < c }
            case .lessEqual: for i in 0..<n { out[i] = a[i] <= c }
            case .greater: for i in 0..<n { out[i] = a[i] > c }
            case .greaterEqual: for i in 0..<n { out[i] = a[i] >= c }
            }
            count = n
        }
    }

    @inline(__always)
    static func holds(_ c: Int, _ op: ComparisonOperator) -> Bool {
        switch op {
        case .equal: return c == 0
        case .notEqual: return c != 0
        case .less: return c < 0
        case .lessEqual: return c <= 0
        case .greater: return c > 0
        case .greaterEqual: return c >= 0
        }
    }

    static func doubles(_ a: [Double], _ b: [Double], _ op: ComparisonOperator) -> [Bool] {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                pa.withMemoryRebound(to: TotalDouble.self) { ta in
                    pb.withMemoryRebound(to: TotalDouble.self) { tb in arrays(ta, tb, op) }
                }
            }
        }
    }

    static func doubles(_ a: [Double], _ c: Double, _ op: ComparisonOperator) -> [Bool] {
        a.withUnsafeBufferPointer { pa in
            pa.withMemoryRebound(to: TotalDouble.self) { scalar($0, TotalDouble(value: c), op) }
        }
    }

    static func int64s(_ a: [Int64], _ b: [Int64], _ op: ComparisonOperator) -> [Bool] {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in arrays(pa, pb, op) } }
    }

    static func int64s(_ a: [Int64], _ c: Int64, _ op: ComparisonOperator) -> [Bool] {
        a.withUnsafeBufferPointer { scalar($0, c, op) }
    }

    static func booleans(_ a: [Bool], _ b: [Bool], _ op: ComparisonOperator) -> [Bool] {
        let x = a.map { $0 ? UInt8(1) : 0 }, y = b.map { $0 ? UInt8(1) : 0 }
        return x.withUnsafeBufferPointer { pa in y.withUnsafeBufferPointer { pb in arrays(pa, pb, op) } }
    }

    static func intervals(_ a: [Interval], _ b: [Interval], _ op: ComparisonOperator) -> [Bool] {
        let x = a.map(IntervalKey.init), y = b.map(IntervalKey.init)
        return x.withUnsafeBufferPointer { pa in y.withUnsafeBufferPointer { pb in arrays(pa, pb, op) } }
    }

    /// Strings against a constant: per dictionary entry, or per row of a flat vector.
    static func strings(_ a: StringVector, validity: Validity?, _ constant: String, _ op: ComparisonOperator,
                        _ context: ExecutionContext) -> [Bool] {
        var c = constant
        return c.withUTF8 { cb in
            let cp = UnsafeRawBufferPointer(cb)
            switch a {
            case .dictionary(let codes, let dictionary):
                let table = context.entryBits("compare" + op.rawValue, [.varchar(constant)], dictionary) {
                    holds(StringKernels.compare($0, cp), op)
                }
                return table.withUnsafeBufferPointer { t in codes.map { Int($0) < t.count ? t[Int($0)] : false } }
            case .flat(let heap):
                return heap.withAccess { acc in
                    (0..<heap.count).map { holds(StringKernels.compare(acc[$0], cp), op) }
                }
            }
        }
    }

    /// Strings against strings, row by row; codes of one shared dictionary compare for equality
    /// without reading bytes.
    static func strings(_ a: StringVector, _ b: StringVector, _ op: ComparisonOperator) -> [Bool] {
        if case .dictionary(let ca, let da) = a, case .dictionary(let cb, let db) = b, da === db,
           op == .equal || op == .notEqual {
            return ca.withUnsafeBufferPointer { pa in cb.withUnsafeBufferPointer { pb in arrays(pa, pb, op) } }
        }
        let n = min(a.count, b.count)
        var out = [Bool](repeating: false, count: n)
        for i in 0..<n {
            out[i] = a.withBytes(i) { x in b.withBytes(i) { y in holds(StringKernels.compare(x, y), op) } }
        }
        return out
    }

    /// LIST values row by row, as DuckDB orders them: element by element, a NULL element
    /// equal to a NULL and after any value, a list before a longer one it starts.
    static func lists(_ a: Vector, _ b: Vector, _ op: ComparisonOperator) -> [Bool] {
        let n = min(a.count, b.count)
        return (0..<n).map { holds(ValueOrder.compare(a.value(at: $0), b.value(at: $0)), op) }
    }

    /// Two vectors of the same type compared row by row.
    static func compare(_ op: ComparisonOperator, _ a: Vector, _ b: Vector) throws -> Vector {
        let n = a.count
        if a.isAllNull || b.isAllNull { return Vector.nulls(type: .boolean, count: n) }
        let bits: [Bool]
        switch (a.storage, b.storage) {
        case (.int64(let x), .int64(let y)): bits = CompareKernels.int64s(x, y, op)
        case (.double(let x), .double(let y)): bits = CompareKernels.doubles(x, y, op)
        case (.boolean(let x), .boolean(let y)): bits = CompareKernels.booleans(x, y, op)
        case (.string(let x), .string(let y)): bits = CompareKernels.strings(x, y, op)
        case (.interval(let x), .interval(let y)): bits = CompareKernels.intervals(x, y, op)
        case (.list, .list): bits = CompareKernels.lists(a, b, op)
        default:
            throw ExecutionError.failed("internal error: cannot compare \(a.type) with \(b.type)", range: nil)
        }
        return .booleans(bits, Validity.and(a.validity, b.validity))
    }
}

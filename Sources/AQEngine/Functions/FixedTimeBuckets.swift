// time_bucket(width, t) over TIMESTAMP with a width of days and time (no months), and
// date_trunc(unit, t) to a unit of a day or less, as bucket numbers: GROUP BY groups on the
// numbers, a small range of integers that a key table indexes directly, and turns them back
// into the buckets' start times once per group.

import AQSyntax

/// The buckets of one `time_bucket(width, t)` call of a fixed width, or of one
/// `date_trunc(unit, t)` call: bucket k starts at `origin + k × width`.
struct FixedTimeBuckets {
    let width: Int64
    let origin: Int64
    private let inverse: Double
    /// The function named in the out-of-range error.
    private let function: String
    /// date_trunc keeps `infinity` and `-infinity` (their numbers are `Int64.max` and
    /// `-Int64.max`, which no finite time's bucket has: widths are a microsecond or more);
    /// time_bucket gives them a bucket like any other time.
    private let keepsInfinity: Bool
    /// Where the call was written, for the out-of-range error.
    let range: SourceRange?

    /// The buckets of a width `w` without months (`time_bucket`'s constant first argument,
    /// DuckDB's origin for widths in days and time, as `timeBucket`); nil when the width has
    /// months, is not positive or overflows (the call is then evaluated as usual, which also
    /// reports a bad width). The call's TIMESTAMP argument is found where the plan is read
    /// (`PhysicalHashAggregate`).
    init?(width w: Interval, range: SourceRange?) {
        guard w.months == 0 else { return nil }
        let (dayNanos, o1) = Int64(w.days).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
        let (width, o2) = dayNanos.addingReportingOverflow(w.nanoseconds)
        guard !o1, !o2, width > 0 else { return nil }
        self.init(width: width, origin: TimeFunctions.dayOrigin, function: "time_bucket", keepsInfinity: false, range: range)
    }

    /// The units of `date_trunc(unit, t)` (its constant first argument) of a day or less,
    /// counted from 1970-01-01 as `TimeFunctions.truncate` does; nil for weeks and longer.
    init?(truncatingTo unit: TimeFunctions.Unit, range: SourceRange?) {
        guard case .nanoseconds(let size) = unit, size > 0 else { return nil }
        self.init(width: size, origin: 0, function: "date_trunc", keepsInfinity: true, range: range)
    }

    private init(width: Int64, origin: Int64, function: String, keepsInfinity: Bool, range: SourceRange?) {
        self.width = width
        self.origin = origin
        self.inverse = 1 / Double(width)
        self.function = function
        self.keepsInfinity = keepsInfinity
        self.range = range
    }

    /// The bucket number of each of the first `n` rows of `times` (NULL where the time is
    /// NULL). Throws where `time_bucket` would: a bucket that starts out of range.
    func numbers(_ times: Vector, count n: Int) throws -> Vector {
        let validity = times.effectiveValidity
        let values = try times.int64Values()
        let width = self.width, origin = self.origin, keepsInfinity = self.keepsInfinity
        var failed = false
        let out = [Int64](unsafeUninitializedCapacity: n) { out, initialized in
            // Bucket `last` is [lo, hi): rows in time order usually fall in the previous row's.
            var lo = Int64.max, hi = Int64.min, last: Int64 = 0
            values.withUnsafeBufferPointer { t in
                validity.withView { vv in
                    for i in 0..<n {
                        let x = t[i]
                        if x >= lo && x < hi { out[i] = last; continue }
                        guard vv.isValid(i) else { out[i] = 0; continue }
                        if keepsInfinity, TimeMath.isInfinite(x) { out[i] = x; continue }
                        let (d, o1) = x.subtractingReportingOverflow(origin)
                        let k = quotient(d)
                        let (offset, o2) = k.multipliedReportingOverflow(by: width)
                        let (start, o3) = origin.addingReportingOverflow(offset)
                        if o1 || o2 || o3 { failed = true; out[i] = 0; continue }
                        let (end, o4) = start.addingReportingOverflow(width)
                        (lo, hi, last) = (start, o4 ? Int64.max : end, k)
                        out[i] = k
                    }
                }
            }
            initialized = n
        }
        if failed { throw TimeFunctions.outOfRange(function, range) }
        return Vector(type: .integer, storage: .int64(out), validity: validity)
    }

    /// ⌊d / width⌋. Rows of several sources interleave in time, so most rows need a division:
    /// for widths of a millisecond or more it is a multiplication by the inverse, then
    /// corrected (its error is under one bucket for |d| < 2⁶², |d| / width < 2⁴²).
    @inline(__always)
    private func quotient(_ d: Int64) -> Int64 {
        guard width >= 1 << 20, width < 1 << 61, d.magnitude < 1 << 62 else { return TimeMath.floorDiv(d, width) }
        // Truncated toward zero, then corrected to the floor.
        var k = Int64(Double(d) * inverse)
        var r = d &- k &* width
        while r < 0 { k -= 1; r += width }
        while r >= width { k += 1; r -= width }
        return k
    }

    /// The start times of the buckets numbered `numbers` (numbers made by `numbers(_:count:)`,
    /// whose starts are in range).
    func starts(_ numbers: Vector) -> Vector {
        guard case .int64(let k) = numbers.storage else { return numbers }
        let width = self.width, origin = self.origin
        if keepsInfinity {
            return Vector(type: .timestamp, storage: .int64(k.map { TimeMath.isInfinite($0) ? $0 : origin &+ $0 &* width }),
                          validity: numbers.validity)
        }
        return Vector(type: .timestamp, storage: .int64(k.map { origin &+ $0 &* width }), validity: numbers.validity)
    }
}

// time_bucket(width, t) over TIMESTAMP with a width of days and time (no months), as bucket
// numbers: GROUP BY groups on the numbers, a small range of integers that a key table indexes
// directly, and turns them back into the buckets' start times once per group.

import AQSyntax

/// The buckets of one `time_bucket(width, t)` call of a fixed width: bucket k starts at
/// `origin + k × width` (DuckDB's origin for widths in days and time, as `timeBucket`).
struct FixedTimeBuckets {
    let width: Int64
    let origin = TimeFunctions.dayOrigin
    private let inverse: Double
    /// Where the call was written, for the out-of-range error.
    let range: SourceRange?

    /// The buckets of a width `w` without months (`time_bucket`'s constant first argument);
    /// nil when the width has months, is not positive or overflows (the call is then
    /// evaluated as usual, which also reports a bad width). The call's TIMESTAMP argument is
    /// found where the plan is read (`PhysicalHashAggregate`).
    init?(width w: Interval, range: SourceRange?) {
        guard w.months == 0 else { return nil }
        let (dayNanos, o1) = Int64(w.days).multipliedReportingOverflow(by: TimeMath.nanosPerDay)
        let (width, o2) = dayNanos.addingReportingOverflow(w.nanoseconds)
        guard !o1, !o2, width > 0 else { return nil }
        self.width = width
        self.inverse = 1 / Double(width)
        self.range = range
    }

    /// The bucket number of each of the first `n` rows of `times` (NULL where the time is
    /// NULL). Throws where `time_bucket` would: a bucket that starts out of range.
    func numbers(_ times: Vector, count n: Int) throws -> Vector {
        let validity = times.effectiveValidity
        let values = try times.int64Values()
        let width = self.width, origin = self.origin
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
        if failed { throw TimeFunctions.outOfRange("time_bucket", range) }
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
        return Vector(type: .timestamp, storage: .int64(k.map { origin &+ $0 &* width }), validity: numbers.validity)
    }
}

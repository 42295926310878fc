// The rows of `range` and `generate_series` (a `LogicalSeries`), made when the plan runs:
// integers, or timestamps with an interval step (to fill the gaps of a timeline), into a
// one-column table that is scanned. Any NULL argument gives no rows.

enum SeriesTable {
    /// More rows than this are refused rather than made.
    static let maxRows = 100_000_000

    static func make(_ series: LogicalSeries, _ context: ExecutionContext) throws -> Table {
        let values = try series.arguments.map { arg -> Value in
            do {
                return try ConstantEvaluator.evaluate(arg, context)
            } catch let error as ExecutionError {
                throw ExecutionError.failed(error.message, range: arg.range)
            }
        }
        let column = series.column.type == .timestamp ? try timestamps(series, values) : try integers(series, values)
        let table = Table(name: series.function, columns: [series.column])
        var start = 0
        while start < column.count {
            let end = min(start + Batch.capacity, column.count)
            table.append(Batch(columns: [column.slice(start..<end)], count: end - start))
            start = end
        }
        return table
    }

    /// `range([start,] stop [, step])`: start, start + step, … up to stop (excluded; included
    /// by generate_series).
    private static func integers(_ series: LogicalSeries, _ values: [Value]) throws -> Vector {
        var numbers: [Int64] = []
        for value in values {
            guard case .integer(let n) = value else { return Vector(type: .integer, storage: .int64([])) }
            numbers.append(n)
        }
        let start = numbers.count == 1 ? 0 : numbers[0]
        let stop = numbers.count == 1 ? numbers[0] : numbers[1]
        let step = numbers.count == 3 ? numbers[2] : 1
        guard step != 0 else {
            throw ExecutionError.failed("the step of \(series.function) cannot be 0", range: series.arguments[2].range)
        }
        // How many values, counted in UInt64 so that no difference overflows.
        let ascending = step > 0
        let distance: UInt64
        if ascending ? start > stop : start < stop {
            distance = 0
        } else {
            distance = ascending ? UInt64(bitPattern: stop &- start) : UInt64(bitPattern: start &- stop)
        }
        let stride = step.magnitude
        var count: UInt64
        if series.inclusive {
            count = (ascending ? start <= stop : start >= stop) ? distance / stride + 1 : 0
        } else {
            count = distance == 0 ? 0 : (distance - 1) / stride + 1
        }
        guard count <= UInt64(maxRows) else { throw tooMany(series) }
        numbers = []
        numbers.reserveCapacity(Int(count))
        var value = start
        for _ in 0..<Int(count) {
            numbers.append(value)
            value = value &+ step
        }
        return Vector(type: .integer, storage: .int64(numbers))
    }

    /// `range(start, stop, interval)` over timestamps (a DATE is read as its midnight).
    private static func timestamps(_ series: LogicalSeries, _ values: [Value]) throws -> Vector {
        let name = series.function
        let none = Vector(type: .timestamp, storage: .int64([]))
        var bounds: [Int64] = []
        for (value, arg) in zip(values.prefix(2), series.arguments) {
            switch value {
            case .timestamp(let t): bounds.append(t)
            case .date(let d):
                let (t, overflow) = d.multipliedReportingOverflow(by: TimeMath.nanosPerDay)
                if overflow { throw ExecutionError.failed("date out of the range of TIMESTAMP", range: arg.range) }
                bounds.append(t)
            default: return none
            }
        }
        guard case .interval(let step) = values[2] else { return none }
        let (start, stop) = (bounds[0], bounds[1])
        guard let second = Arithmetic.addInterval(start, step, sign: 1), second != start else {
            throw ExecutionError.failed("the step of \(name) cannot be 0", range: series.arguments[2].range)
        }
        let ascending = second > start
        let inclusive = series.inclusive
        var out: [Int64] = []
        var t = start
        while ascending ? (inclusive ? t <= stop : t < stop) : (inclusive ? t >= stop : t > stop) {
            guard out.count < maxRows else { throw tooMany(series) }
            out.append(t)
            guard let next = Arithmetic.addInterval(t, step, sign: 1), ascending ? next > t : next < t else { break }
            t = next
        }
        return Vector(type: .timestamp, storage: .int64(out))
    }

    /// About how many rows the series makes, from its constant arguments without making
    /// them (0 when they are not constants yet).
    static func estimatedRows(_ series: LogicalSeries) -> Int {
        let values = series.arguments.map(\.constantValue)
        var span: Int64?, step: Int64?
        switch (values.count, values.first ?? nil) {
        case (1, .integer(let stop)?): (span, step) = (stop, 1)
        case (2, .integer(let start)?):
            if case .integer(let stop)? = values[1] { (span, step) = (stop &- start, 1) }
        case (3, .integer(let start)?):
            if case .integer(let stop)? = values[1], case .integer(let s)? = values[2] { (span, step) = (stop &- start, s) }
        case (3, _):
            func nanos(_ v: Value?) -> Int64? {
                switch v {
                case .timestamp(let t)?: return t
                case .date(let d)?: return d.multipliedReportingOverflow(by: TimeMath.nanosPerDay).partialValue
                default: return nil
                }
            }
            if let start = nanos(values[0]), let stop = nanos(values[1]), case .interval(let i)? = values[2] {
                let day = TimeMath.nanosPerDay
                span = stop &- start
                step = Int64(i.months) &* 30 &* day &+ Int64(i.days) &* day &+ i.nanoseconds
            }
        default: break
        }
        guard let span, let step, step != 0 else { return 0 }
        let count = span.dividedReportingOverflow(by: step).partialValue
        return Int(min(max(count, 0), Int64(maxRows))) + (series.inclusive ? 1 : 0)
    }

    private static func tooMany(_ series: LogicalSeries) -> ExecutionError {
        .failed("\(series.function) would make more than \(maxRows) rows", range: series.range)
    }
}

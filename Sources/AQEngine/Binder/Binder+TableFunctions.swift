// Table functions in FROM: `range` and `generate_series` over integers, or over timestamps
// with an interval step (to fill the gaps of a timeline). Their arguments are constants, so
// the rows are made once, when the statement is bound, into a one-column table that is scanned.

import AQSyntax

extension Binder {
    /// The table functions FROM knows.
    static let tableFunctionNames = ["range", "generate_series"]
    /// More rows than this are refused rather than made.
    static let maxSeriesRows = 100_000_000

    /// `range(…)` or `generate_series(…)` [AS alias (name)].
    func bindTableFunction(_ call: FunctionCall, alias: Identifier?, columnNames: [Identifier],
                           range: SourceRange, outer: BindScope?) throws -> (LogicalPlan, BindScope) {
        let name = call.name.name
        guard Binder.tableFunctionNames.contains(name) else {
            let suggestion = nearestName(to: name, in: Binder.tableFunctionNames)
            throw BindError.unknownTableFunction(name, suggestion: suggestion, range: call.name.range)
        }
        let inclusive = name == "generate_series"
        let args = try call.arguments.map { try seriesArgument($0, of: name) }
        let column: Vector
        if let first = args.first, first.type == .timestamp || first.type == .date {
            column = try timestampSeries(args, call, inclusive: inclusive, range: range)
        } else {
            column = try integerSeries(args, call, inclusive: inclusive, range: range)
        }
        let names = try renamed([name], by: columnNames, range: range)
        let schema = [ColumnSchema(name: names[0], type: column.type)]
        let table = Table(name: name, columns: schema)
        var start = 0
        let count = column.count
        while start < count {
            let end = min(start + Batch.capacity, count)
            table.append(Batch(columns: [column.slice(start..<end)], count: end - start))
            start = end
        }
        let qualifier = alias?.name ?? name
        let scan = LogicalScan(table: table, columns: [0], alias: qualifier)
        return (.scan(scan), BindScope(qualifier: qualifier, schema: schema, parent: outer))
    }

    /// One argument: a constant, evaluated now (a string literal is read as a timestamp).
    private func seriesArgument(_ e: Expr, of name: String) throws -> (value: Value, type: DataType, range: SourceRange) {
        var bound = try bindExpr(e, ExprContext(scope: BindScope(parent: nil), clause: "the arguments of \(name)"))
        guard bound.isColumnFree, !bound.containsSubquery else {
            throw BindError.notConstant(.arguments(of: name), range: e.range)
        }
        if bound.isStringLiteral { bound = coerce(bound, to: .timestamp) }
        do {
            return (try ConstantEvaluator.evaluate(bound, constantContext), bound.type, e.range)
        } catch let error as ExecutionError {
            throw BindError.evaluation(error, range: e.range)
        }
    }

    /// `range([start,] stop [, step])`: start, start + step, … up to stop (excluded; included
    /// by generate_series). Any NULL argument gives no rows.
    private func integerSeries(_ args: [(value: Value, type: DataType, range: SourceRange)], _ call: FunctionCall,
                               inclusive: Bool, range: SourceRange) throws -> Vector {
        let name = call.name.name
        guard (1...3).contains(args.count) else {
            throw BindError.wrongArguments(function: name, expected: .series, found: args.count, range: range)
        }
        var numbers: [Int64] = []
        for arg in args {
            switch arg.value {
            case .integer(let n): numbers.append(n)
            case .null: return Vector(type: .integer, storage: .int64([]))
            default:
                throw BindError.typeMismatch("\(name) takes INTEGER or TIMESTAMP arguments, not \(arg.type)", range: arg.range)
            }
        }
        let start = numbers.count == 1 ? 0 : numbers[0]
        let stop = numbers.count == 1 ? numbers[0] : numbers[1]
        let step = numbers.count == 3 ? numbers[2] : 1
        guard step != 0 else { throw BindError.zeroStep(function: name, range: args[2].range) }
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
        if inclusive {
            count = (ascending ? start <= stop : start >= stop) ? distance / stride + 1 : 0
        } else {
            count = distance == 0 ? 0 : (distance - 1) / stride + 1
        }
        guard count <= UInt64(Binder.maxSeriesRows) else {
            throw BindError.tooManyRows(function: name, limit: Binder.maxSeriesRows, range: range)
        }
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
    private func timestampSeries(_ args: [(value: Value, type: DataType, range: SourceRange)], _ call: FunctionCall,
                                 inclusive: Bool, range: SourceRange) throws -> Vector {
        let name = call.name.name
        guard args.count == 3 else {
            throw BindError.wrongArguments(function: name, expected: .timestampSeries, found: args.count, range: range)
        }
        var bounds: [Int64] = []
        for arg in args.prefix(2) {
            switch arg.value {
            case .timestamp(let t): bounds.append(t)
            case .date(let d):
                let (t, overflow) = d.multipliedReportingOverflow(by: TimeMath.nanosPerDay)
                if overflow { throw BindError.dateBeyondTimestamp(range: arg.range) }
                bounds.append(t)
            case .null: return Vector(type: .timestamp, storage: .int64([]))
            default:
                throw BindError.typeMismatch("\(name) takes TIMESTAMP bounds, not \(arg.type)", range: arg.range)
            }
        }
        let step: Interval
        switch args[2].value {
        case .interval(let v): step = v
        case .null: return Vector(type: .timestamp, storage: .int64([]))
        default:
            throw BindError.typeMismatch("the step of \(name) must be an INTERVAL, not \(args[2].type)", range: args[2].range)
        }
        let (start, stop) = (bounds[0], bounds[1])
        guard let second = Arithmetic.addInterval(start, step, sign: 1), second != start else {
            throw BindError.zeroStep(function: name, range: args[2].range)
        }
        let ascending = second > start
        var out: [Int64] = []
        var t = start
        while ascending ? (inclusive ? t <= stop : t < stop) : (inclusive ? t >= stop : t > stop) {
            guard out.count < Binder.maxSeriesRows else {
                throw BindError.tooManyRows(function: name, limit: Binder.maxSeriesRows, range: range)
            }
            out.append(t)
            guard let next = Arithmetic.addInterval(t, step, sign: 1), ascending ? next > t : next < t else { break }
            t = next
        }
        return Vector(type: .timestamp, storage: .int64(out))
    }
}

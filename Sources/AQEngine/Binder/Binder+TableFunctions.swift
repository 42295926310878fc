// Table functions in FROM: `range` and `generate_series` over integers, or over timestamps
// with an interval step; `unnest(list)` of a constant list (one row per element). Binding checks the arguments' number and types; the rows are made
// when the plan runs (`LogicalSeries`, made by the operators' `SeriesTable`).

import AQSyntax

extension Binder {
    /// The table functions FROM knows.
    static let tableFunctionNames = ["range", "generate_series", "unnest"]

    /// `range(…)` or `generate_series(…)` [AS alias (name)].
    func bindTableFunction(_ call: FunctionCall, alias: Identifier?, columnNames: [Identifier],
                           range: SourceRange, outer: BindScope?) throws -> (LogicalPlan, BindScope) {
        let name = call.name.name
        guard Binder.tableFunctionNames.contains(name) else {
            let suggestion = nearestName(to: name, in: Binder.tableFunctionNames)
            throw BindError.unknownTableFunction(name, suggestion: suggestion, range: call.name.range)
        }
        if name == "unnest" { return try bindUnnestTable(call, alias: alias, columnNames: columnNames, range: range, outer: outer) }
        let args = try call.arguments.map { try seriesArgument($0, of: name) }
        let type: DataType
        if let first = args.first, first.type == .timestamp || first.type == .date {
            try checkTimestampSeries(args, name, range: range)
            type = .timestamp
        } else {
            try checkIntegerSeries(args, name, range: range)
            type = .integer
        }
        let names = try renamed([name], by: columnNames, range: range)
        let column = ColumnSchema(name: names[0], type: type)
        let series = LogicalSeries(function: name, arguments: args, inclusive: name == "generate_series",
                                   column: column, range: range)
        let qualifier = alias?.name ?? name
        return (.series(series), BindScope(qualifier: qualifier, schema: [column], parent: outer))
    }

    /// `unnest(list)` in FROM: a one-row VALUES of the list, unnested, column `unnest`.
    private func bindUnnestTable(_ call: FunctionCall, alias: Identifier?, columnNames: [Identifier],
                                 range: SourceRange, outer: BindScope?) throws -> (LogicalPlan, BindScope) {
        guard call.arguments.count == 1 else {
            throw BindError.wrongArguments(function: "unnest", expected: .one, found: call.arguments.count, range: range)
        }
        var list = try bindExpr(call.arguments[0], ExprContext(scope: BindScope(parent: nil), clause: "the arguments of unnest"))
        guard list.isColumnFree, !list.containsSubquery else {
            throw BindError.notConstant(.arguments(of: "unnest"), range: call.arguments[0].range)
        }
        if list.type == .null { list = coerce(list, to: .list(.null)) }
        guard let element = list.type.listElement else {
            throw BindError.list(.notAList(function: "unnest", found: list.type), range: call.arguments[0].range)
        }
        let names = try renamed(["unnest"], by: columnNames, range: range)
        let row = LogicalPlan.values(rows: [[list]], schema: [ColumnSchema(name: "list", type: list.type)])
        let unnested = LogicalPlan.unnest(row, lists: [BoundExpr(.column(index: 0, name: "list"), type: list.type)],
                                          names: [names[0]])
        let column = ColumnSchema(name: names[0], type: element)
        let plan = LogicalPlan.project(unnested, expressions: [BoundExpr(.column(index: 1, name: names[0]), type: element)],
                                       names: [names[0]])
        return (plan, BindScope(qualifier: alias?.name ?? "unnest", schema: [column], parent: outer))
    }

    /// One argument: a constant expression, evaluated when the plan runs (its errors point at
    /// the whole argument); a string literal is read as a TIMESTAMP literal now.
    private func seriesArgument(_ e: Expr, of name: String) throws -> BoundExpr {
        var bound = try bindExpr(e, ExprContext(scope: BindScope(parent: nil), clause: "the arguments of \(name)"))
        guard bound.isColumnFree, !bound.containsSubquery else {
            throw BindError.notConstant(.arguments(of: name), range: e.range)
        }
        if case .constant(.varchar(let text)) = bound.kind {
            do {
                bound = .constant(try Cast.value(.varchar(text), to: .timestamp), .timestamp, range: e.range)
            } catch let error as ExecutionError {
                throw BindError.evaluation(error, range: e.range)
            }
        }
        bound.range = e.range
        return bound
    }

    /// `range([start,] stop [, step])`: one to three INTEGER arguments (or NULL).
    private func checkIntegerSeries(_ args: [BoundExpr], _ name: String, range: SourceRange) throws {
        guard (1...3).contains(args.count) else {
            throw BindError.wrongArguments(function: name, expected: .series, found: args.count, range: range)
        }
        for arg in args where arg.type != .integer && arg.type != .null {
            throw BindError.typeMismatch("\(name) takes INTEGER or TIMESTAMP arguments, not \(arg.type)",
                                         range: arg.range ?? range)
        }
    }

    /// `range(start, stop, interval)`: TIMESTAMP or DATE bounds and an INTERVAL step (or NULLs).
    private func checkTimestampSeries(_ args: [BoundExpr], _ name: String, range: SourceRange) throws {
        guard args.count == 3 else {
            throw BindError.wrongArguments(function: name, expected: .timestampSeries, found: args.count, range: range)
        }
        for arg in args.prefix(2) where ![.timestamp, .date, .null].contains(arg.type) {
            throw BindError.typeMismatch("\(name) takes TIMESTAMP bounds, not \(arg.type)", range: arg.range ?? range)
        }
        if args[2].type != .interval, args[2].type != .null {
            throw BindError.typeMismatch("the step of \(name) must be an INTERVAL, not \(args[2].type)",
                                         range: args[2].range ?? range)
        }
    }
}

// Binding function calls: scalar functions through the registry (arguments cast to what the
// function takes), aggregates into the grouping, and the few calls the binder rewrites
// itself (`coalesce`, `ago`, `now`).

import AQSyntax

extension Binder {
    /// Names the binder handles itself, besides the registry's and the aggregates.
    static let builtinNames = ["coalesce", "ifnull", "ago", "now", "getvariable", "nextval", "currval"] + listFunctionNames

    /// Every callable name, for "did you mean" and completion.
    public static var functionNames: [String] {
        Array(Set(FunctionRegistry.allNames + Array(AggregateFunction.byName.keys) + builtinNames
                  + Array(WindowFunctionKind.byName.keys))).sorted()
    }

    /// A variable's value as a constant; a string behaves as a string literal would.
    func variableConstant(_ value: Value, range: SourceRange) -> BoundExpr {
        .constant(value, value.type, range: range)
    }

    func isAggregate(_ call: FunctionCall) -> Bool {
        AggregateFunction.byName[call.name.name] != nil
    }

    func bindFunction(_ call: FunctionCall, range: SourceRange, _ ctx: ExprContext) throws -> BoundExpr {
        let name = call.name.name
        if isAggregate(call) {
            if let outer = try outerAggregate(call, range: range, ctx.scope) { return outer }
            if ctx.clause == "aggregate" {
                throw BindError.misplaced(.nestedAggregate, range: range)
            }
            throw BindError.misplaced(.aggregateIn(clause: ctx.clause), range: range)
        }
        if call.star { throw BindError.misplaced(.starOutsideCount, range: range) }
        if call.ignoreNulls { throw BindError.misplaced(.ignoreNullsOutsideWindow, range: range) }
        if call.distinct { throw BindError.misplaced(.distinctOutsideAggregate, range: range) }
        if !call.orderBy.isEmpty { throw BindError.misplaced(.orderByOutsideAggregate, range: range) }
        if let filter = call.filter {
            throw BindError.misplaced(.filterOutsideAggregate, range: filter.range)
        }
        if let list = try bindListFunction(name, call, range: range, ctx) { return list }
        let args = try call.arguments.map { try bindExpr($0, ctx) }
        switch name {
        case "coalesce", "ifnull":
            guard !args.isEmpty else { throw BindError.wrongArguments(function: name, expected: .atLeastOne, found: 0, range: range) }
            let t = try commonType(args, in: name)
            return BoundExpr(.coalesce(args.map { coerce($0, to: t) }), type: t, range: range)
        case "ago":
            guard args.count == 1 else { throw BindError.wrongArguments(function: "ago", expected: .oneInterval, found: args.count, range: range) }
            var d = args[0]
            if d.isStringLiteral || d.type == .null { d = coerce(d, to: .interval) }
            guard d.type == .interval else {
                throw BindError.typeMismatch("ago takes an INTERVAL, not \(d.type)", range: call.arguments[0].range)
            }
            return BoundExpr(.arithmetic(.subtract, nowExpr(range: range), d), type: .timestamp, range: range)
        case "now" where args.isEmpty:
            return nowExpr(range: range)
        case "getvariable":
            // As DuckDB: a variable never set is NULL (`coalesce(getvariable('x'), 'default')`).
            guard args.count == 1, case .constant(.varchar(let n)) = args[0].kind else {
                throw BindError.misplaced(.variableNameNotQuoted, range: range)
            }
            return variables[n.lowercased()].map { variableConstant($0, range: range) }
                ?? .constant(.null, .null, range: range)
        case "nextval", "currval":
            return try sequenceCall(name, args, range: range)
        case "regexp_extract" where args.count >= 3 && !args[2].isColumnFree:
            // As DuckDB: the group decides the result's shape, so it is fixed for the call.
            throw BindError.notConstant(.argument("group", of: "regexp_extract"), range: call.arguments[2].range)
        default:
            break
        }
        switch FunctionRegistry.resolve(name, argumentTypes: args.map(\.type), user: userFunctions) {
        case .found(let fn):
            let cast = args.enumerated().map { i, a in
                i < fn.argumentTypes.count ? coerce(a, to: fn.argumentTypes[i]) : a
            }
            return BoundExpr(.call(fn, cast), type: fn.returnType, range: range)
        case .unknownFunction:
            throw BindError.unknownFunction(name, suggestion: nearestName(to: name, in: Binder.functionNames + userFunctions.names),
                                            range: call.name.range)
        case .invalidArguments(let message):
            throw BindError.typeMismatch(message, range: range)
        }
    }

    /// `now()`: the registry's function when there is one, else the statement's time.
    func nowExpr(range: SourceRange) -> BoundExpr {
        if case .found(let fn) = FunctionRegistry.resolve("now", argumentTypes: []), fn.returnType == .timestamp {
            return BoundExpr(.call(fn, []), type: .timestamp, range: range)
        }
        return .constant(.timestamp(now), .timestamp, range: range)
    }

    /// An aggregate call under GROUP BY: bound over the aggregate's input, added to the
    /// grouping, and replaced by a reference to its result column.
    func bindAggregate(_ call: FunctionCall, range: SourceRange, _ ctx: ExprContext,
                       _ grouping: Grouping) throws -> BoundExpr {
        guard let aggregate = try aggregateCall(call, range: range, arguments: ctx.plain("aggregate"),
                                                filter: ctx.plain("FILTER")) else {
            return .constant(.null, .varchar, range: range)
        }
        let column = grouping.column(of: aggregate)
        return BoundExpr(.column(index: column, name: aggregate.description), type: aggregate.type, range: range)
    }

    /// An aggregate call with its arguments bound in `inner` and its FILTER in `filterContext`;
    /// nil when its result is NULL whatever the rows (string_agg with a NULL separator).
    func aggregateCall(_ call: FunctionCall, range: SourceRange, arguments inner: ExprContext,
                       filter filterContext: ExprContext) throws -> BoundAggregate? {
        let name = call.name.name
        guard var function = AggregateFunction.byName[name] else {
            throw BindError.unknownFunction(name, suggestion: nil, range: call.name.range)
        }
        if call.ignoreNulls { throw BindError.misplaced(.ignoreNullsIn(name), range: range) }
        var args: [BoundExpr] = []
        if call.star {
            guard function == .count, call.arguments.isEmpty else {
                throw BindError.misplaced(.starOutsideCount, range: range)
            }
            if call.distinct { throw BindError.misplaced(.countDistinctStar, range: range) }
            function = .countStar
        } else {
            args = try call.arguments.map { try bindExpr($0, inner) }
            // `count()` counts rows, as DuckDB's does.
            if function == .count && args.isEmpty && !call.distinct { function = .countStar }
            // The average of dates is a time: their midnights averaged.
            if function == .avg, args.count == 1, args[0].type == .date { args[0] = coerce(args[0], to: .timestamp) }
        }
        if function == .stringAgg {
            guard args.count == 1 || args.count == 2 else {
                throw BindError.wrongArguments(function: "string_agg", expected: .valueAndSeparator,
                                               found: args.count, range: range)
            }
            if !args[0].type.isString { args[0] = coerce(args[0], to: .varchar) }
            if args.count == 1 { args.append(.constant(.varchar(","), .varchar)) }
            guard args[1].type.isString || args[1].type == .null else {
                throw BindError.typeMismatch("the separator of string_agg must be VARCHAR, not \(args[1].type)",
                                             range: call.arguments[1].range)
            }
            args[1] = coerce(args[1], to: .varchar)
            guard args[1].isColumnFree else {
                throw BindError.notConstant(.argument("separator", of: "string_agg"), range: call.arguments[1].range)
            }
            // A NULL separator makes every result NULL, as in DuckDB.
            if case .constant(.null) = args[1].kind { return nil }
        }
        guard let type = AggregateFunction.resultType(function, args.map(\.type)) else {
            let types = args.map(\.description).isEmpty ? "no arguments" : args.map { "\($0.type)" }.joined(separator: ", ")
            throw BindError.typeMismatch("\(name) is not defined for \(types)", range: range)
        }
        let filter = try call.filter.map { try requireBoolean(try bindExpr($0, filterContext), "FILTER") }
        let orderBy = try call.orderBy.map { item in
            BoundSortKey(expr: try bindExpr(item.expr, inner), descending: item.descending,
                         nullsFirst: item.nullsFirst ?? settings.nullOrder.nullsFirst(descending: item.descending))
        }
        // An argument, or the argument before string_agg's cast to VARCHAR.
        let argumentKeys = Set(args.flatMap { a -> [String] in
            if case .cast(let inner, _) = a.kind { return [a.structuralKey, inner.structuralKey] }
            return [a.structuralKey]
        })
        // Or, as DuckDB allows, an expression of columns that are arguments themselves
        // (`string_agg(DISTINCT c ORDER BY list_position(l, c))`): equal arguments, equal keys.
        let argumentColumns = Set(args.compactMap { a -> Int? in
            if case .column(let k, _) = a.kind { return k }
            if case .cast(let inner, _) = a.kind, case .column(let k, _) = inner.kind { return k }
            return nil
        })
        let decided = { (key: BoundSortKey) -> Bool in
            if argumentKeys.contains(key.expr.structuralKey) { return true }
            var deterministic = !key.expr.containsSubquery
            key.expr.forEachNode { if case .call(let f, _) = $0.kind, !f.foldable { deterministic = false } }
            return deterministic && !key.expr.referencedColumns.isEmpty
                && key.expr.referencedColumns.isSubset(of: argumentColumns)
        }
        if call.distinct, let stray = orderBy.first(where: { !decided($0) }) {
            // Which duplicate's key would decide the order is not defined.
            throw BindError.misplaced(.distinctAggregateOrderBy, range: stray.expr.range ?? range)
        }
        return BoundAggregate(function: function, arguments: args, distinct: call.distinct, filter: filter,
                              orderBy: orderBy, type: type, range: range)
    }
}

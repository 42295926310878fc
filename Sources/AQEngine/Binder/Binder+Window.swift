// Binding window functions: `f(…) OVER (…)` in the select list, ORDER BY or QUALIFY becomes
// a reference to a column of the window node, which the SELECT places after the grouping.
// Named windows of the WINDOW clause, the default frames and the frame checks live here.

import AQSyntax

/// The window functions of one SELECT. Each is referred to as column `base + j` until the
/// window node's input width is known; `placed(_:inputWidth:)` then moves the references.
final class Windowing {
    static let base = 1 << 40
    private(set) var functions: [BoundWindowFunction] = []
    private var index: [String: Int] = [:]
    /// `WINDOW name AS (…)`, by lower-case name.
    let named: [String: WindowSpec]

    init(named: [NamedWindow]) {
        var byName: [String: WindowSpec] = [:]
        for w in named { byName[w.name.name.lowercased()] = w.spec }
        self.named = byName
    }

    /// The placeholder column of `function`, adding it if it is new.
    func column(of function: BoundWindowFunction) -> Int {
        let key = function.structuralKey
        if let j = index[key] { return Windowing.base + j }
        functions.append(function)
        index[key] = functions.count - 1
        return Windowing.base + functions.count - 1
    }

    /// `e` with its placeholder columns pointing after an input of `inputWidth` columns.
    static func placed(_ e: BoundExpr, inputWidth: Int) -> BoundExpr {
        e.remappingColumns { $0 >= base ? inputWidth + ($0 - base) : $0 }
    }
}

extension Binder {
    func bindWindowFunction(_ call: FunctionCall, _ over: WindowSpec, range: SourceRange,
                            _ ctx: ExprContext) throws -> BoundExpr {
        guard let windowing = ctx.windowing else {
            switch ctx.clause {
            case "aggregate":
                throw BindError.window(.windowInAggregate, range: range)
            case "window function":
                throw BindError.window(.nestedWindow, range: range)
            default:
                throw BindError.window(.windowIn(clause: ctx.clause), range: range)
            }
        }
        let name = call.name.name
        var inner = ctx
        inner.windowing = nil
        inner.unnesting = nil
        inner.clause = "window function"
        let spec = try resolvedWindow(over, windowing, depth: 0)
        let partitionBy = try spec.partitionBy.map { try bindExpr($0, inner) }
        let orderBy = try spec.orderBy.map { item -> BoundSortKey in
            if case .star = item.expr.kind { throw BindError.window(.orderByAllInWindow, range: item.expr.range) }
            return BoundSortKey(expr: try bindExpr(item.expr, inner), descending: item.descending,
                                nullsFirst: item.nullsFirst ?? settings.nullOrder.nullsFirst(descending: item.descending))
        }
        var function: BoundWindowFunction
        if let kind = WindowFunctionKind.byName[name] {
            if call.star || call.distinct || !call.orderBy.isEmpty {
                throw BindError.window(.modifiersOnWindowFunction(name), range: range)
            }
            if let filter = call.filter {
                throw BindError.window(.filterOutsideAggregate, range: filter.range)
            }
            let args = try call.arguments.map { try bindExpr($0, inner) }
            let (arguments, type) = try windowArguments(kind, args, call, range: range)
            if call.ignoreNulls, ![.lag, .lead, .firstValue, .lastValue, .nthValue].contains(kind) {
                throw BindError.window(.ignoreNullsNotTaken,
                                        range: range)
            }
            function = BoundWindowFunction(kind: kind, arguments: arguments, ignoreNulls: call.ignoreNulls,
                                           partitionBy: partitionBy, orderBy: orderBy,
                                           frame: .standard(ordered: !orderBy.isEmpty), type: type, range: range)
        } else if AggregateFunction.byName[name] != nil {
            if !call.orderBy.isEmpty {
                throw BindError.window(.orderedWindowAggregate, range: range)
            }
            guard let aggregate = try aggregateCall(call, range: range, arguments: inner, filter: inner) else {
                return .constant(.null, .varchar, range: range)
            }
            function = BoundWindowFunction(kind: .aggregate(aggregate.function), arguments: aggregate.arguments,
                                           distinct: aggregate.distinct, filter: aggregate.filter,
                                           partitionBy: partitionBy, orderBy: orderBy,
                                           frame: .standard(ordered: !orderBy.isEmpty), type: aggregate.type, range: range)
        } else if Binder.functionNames.contains(name) {
            throw BindError.window(.notAWindowFunction(name), range: call.name.range)
        } else {
            let known = Array(WindowFunctionKind.byName.keys) + Array(AggregateFunction.byName.keys)
            throw BindError.unknownFunction(name, suggestion: nearestName(to: name, in: known.sorted()), range: call.name.range)
        }
        if let frame = spec.frame {
            function.frame = try bindFrame(frame, orderBy: orderBy, spec: spec)
        }
        let column = windowing.column(of: function)
        return BoundExpr(.column(index: column, name: function.description), type: function.type, range: range)
    }

    /// The spec with a named window it starts from merged in, as DuckDB merges them.
    private func resolvedWindow(_ spec: WindowSpec, _ windowing: Windowing, depth: Int) throws -> WindowSpec {
        guard let baseName = spec.base else { return spec }
        guard depth < 32, let named = windowing.named[baseName.name.lowercased()] else {
            throw BindError.window(.unknownWindow(baseName.name), range: baseName.range)
        }
        var base = try resolvedWindow(named, windowing, depth: depth + 1)
        if !spec.partitionBy.isEmpty {
            throw BindError.window(.overrides(part: "PARTITION BY", window: baseName.name), range: spec.range)
        }
        if !spec.orderBy.isEmpty {
            if !base.orderBy.isEmpty {
                throw BindError.window(.overrides(part: "ORDER BY", window: baseName.name), range: spec.range)
            }
            base.orderBy = spec.orderBy
        }
        if let frame = spec.frame {
            if base.frame != nil {
                throw BindError.window(.overrides(part: "frame", window: baseName.name), range: frame.range)
            }
            base.frame = frame
        }
        base.base = nil
        base.range = spec.range
        return base
    }

    /// The arguments of a ranking or value function, checked and cast, and its result type.
    private func windowArguments(_ kind: WindowFunctionKind, _ args: [BoundExpr], _ call: FunctionCall,
                                 range: SourceRange) throws -> ([BoundExpr], DataType) {
        let name = kind.name
        func count(_ allowed: ClosedRange<Int>, _ shape: String) throws {
            guard allowed.contains(args.count) else { throw BindError.window(.argumentCount(function: name, shape: shape), range: range) }
        }
        func integer(_ i: Int) throws -> BoundExpr {
            let a = args[i]
            guard a.type == .integer || a.type == .null else {
                throw BindError.typeMismatch("the \(i == 0 ? "argument" : "offset") of \(name) must be an INTEGER, not \(a.type)",
                                             range: call.arguments[i].range)
            }
            return coerce(a, to: .integer)
        }
        switch kind {
        case .rowNumber, .rank, .denseRank:
            try count(0...0, "no arguments")
            return ([], .integer)
        case .percentRank, .cumeDist:
            try count(0...0, "no arguments")
            return ([], .double)
        case .ntile:
            try count(1...1, "one argument, the number of buckets")
            let n = try integer(0)
            if case .constant(.integer(let k)) = n.kind, k <= 0 {
                throw BindError.window(.notPositive(what: "the argument of ntile"), range: call.arguments[0].range)
            }
            return ([n], .integer)
        case .lag, .lead:
            try count(1...3, "a value, an optional offset and an optional default")
            var out = [args[0]]
            out.append(args.count > 1 ? try integer(1) : .constant(.integer(1), .integer))
            var type = args[0].type
            if args.count > 2 {
                type = try commonType([args[0], args[2]], in: name)
                out[0] = coerce(out[0], to: type)
                out.append(coerce(args[2], to: type))
            }
            return (out, type)
        case .firstValue, .lastValue:
            try count(1...1, "one argument")
            return (args, args[0].type)
        case .nthValue:
            try count(2...2, "a value and a position")
            let n = try integer(1)
            if case .constant(.integer(let k)) = n.kind, k <= 0 {
                throw BindError.window(.notPositive(what: "the position of nth_value"), range: call.arguments[1].range)
            }
            return ([args[0], n], args[0].type)
        case .aggregate:
            return (args, .null)
        }
    }

    /// A written frame, checked: bounds in order, offsets constant and not negative, RANGE
    /// offsets over one ORDER BY key of a type they can be added to.
    private func bindFrame(_ frame: WindowFrame, orderBy: [BoundSortKey], spec: WindowSpec) throws -> BoundFrame {
        switch frame.start {
        case .unboundedFollowing(let r): throw BindError.window(.frameStartsAtUnboundedFollowing, range: r)
        default: break
        }
        switch frame.end {
        case .unboundedPreceding(let r): throw BindError.window(.frameEndsAtUnboundedPreceding, range: r)
        default: break
        }
        func rank(_ b: FrameBound) -> Int {
            switch b {
            case .unboundedPreceding: return 0
            case .preceding: return 1
            case .currentRow: return 2
            case .following: return 3
            case .unboundedFollowing: return 4
            }
        }
        if rank(frame.start) > rank(frame.end) {
            throw BindError.window(.frameStartsAfterEnd, range: frame.range)
        }
        let hasOffset: Bool
        switch (frame.start, frame.end) {
        case (.preceding, _), (.following, _), (_, .preceding), (_, .following): hasOffset = true
        default: hasOffset = false
        }
        if frame.unit == .range && hasOffset && orderBy.count != 1 {
            throw BindError.window(.rangeOffsetNeedsOneKey, range: spec.range)
        }
        func offset(_ e: Expr, preceding: Bool) throws -> Value {
            let where_ = preceding ? "PRECEDING" : "FOLLOWING"
            var readsColumn = false
            visitOwnNodes(e) { if case .column = $0.kind { readsColumn = true } }
            if readsColumn { throw BindError.window(.offsetNotConstant, range: e.range) }
            let bound = try bindExpr(e, ExprContext(scope: BindScope(parent: nil), clause: "a frame offset"))
            guard bound.isColumnFree else { throw BindError.window(.offsetNotConstant, range: e.range) }
            let key = orderBy.first?.expr.type ?? .integer
            let wanted: DataType
            if frame.unit == .rows {
                wanted = .integer
            } else if key == .timestamp || key == .date {
                wanted = .interval
            } else if key.isNumeric {
                wanted = key == .integer && bound.type == .integer ? .integer : .double
            } else {
                throw BindError.typeMismatch("a RANGE offset cannot be used with an ORDER BY key of type \(key)", range: e.range)
            }
            let fits = bound.type == .null || bound.isStringLiteral
                || (wanted == .interval ? bound.type == .interval : bound.type.isNumeric)
            guard fits else {
                throw BindError.typeMismatch("a \(frame.unit.rawValue) offset must be \(wanted == .interval ? "an interval" : "a number") here, not \(bound.type)",
                                             range: e.range)
            }
            let value = try ConstantEvaluator.evaluate(coerce(bound, to: wanted), constantContext)
            let negative: Bool
            switch value {
            case .integer(let x): negative = x < 0
            case .double(let x): negative = x < 0 || x.isNaN
            case .interval(let x):
                negative = x.months < 0 || x.days < 0 || x.nanoseconds < 0
                if x.months != 0 { throw BindError.window(.rangeOffsetInMonths, range: e.range) }
            case .null: throw BindError.window(.offsetNull, range: e.range)
            default:
                throw BindError.typeMismatch("a \(frame.unit.rawValue) offset must be \(wanted == .interval ? "an interval" : "a number"), not \(bound.type)",
                                             range: e.range)
            }
            if negative { throw BindError.window(.negativeOffset(unit: frame.unit.rawValue, side: where_), range: e.range) }
            return value
        }
        func bound(_ b: FrameBound) throws -> BoundFrameBound {
            switch b {
            case .unboundedPreceding: return .unboundedPreceding
            case .preceding(let e): return .preceding(try offset(e, preceding: true))
            case .currentRow: return .currentRow
            case .following(let e): return .following(try offset(e, preceding: false))
            case .unboundedFollowing: return .unboundedFollowing
            }
        }
        return BoundFrame(unit: frame.unit, start: try bound(frame.start), end: try bound(frame.end), exclude: frame.exclude)
    }
}

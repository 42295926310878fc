// Binding expressions: names to input columns, operators to typed nodes with the casts
// their operands need. Under GROUP BY, an expression equal to a group key becomes a
// reference to that key's column, and aggregates become references to their results.

import AQSyntax

extension Binder {
    func bindExpr(_ e: Expr, _ ctx: ExprContext) throws -> BoundExpr {
        try nested(e.range) {
            if case .function(let call) = e.kind, let over = call.over {
                return try bindWindowFunction(call, over, range: e.range, ctx)
            }
            if let grouping = ctx.grouping, let bound = try bindGrouped(e, ctx, grouping) { return bound }
            return try bindNode(e, ctx)
        }
    }

    /// Under GROUP BY: an aggregate, a group key, a column that is neither (an error), or nil
    /// to bind the node's parts one by one.
    private func bindGrouped(_ e: Expr, _ ctx: ExprContext, _ grouping: Grouping) throws -> BoundExpr? {
        if case .function(let call) = e.kind, isAggregate(call) {
            if let outer = try outerAggregate(call, range: e.range, ctx.scope) { return outer }
            return try bindAggregate(call, range: e.range, ctx, grouping)
        }
        if case .literal = e.kind { return nil }
        if containsAggregate(e, ctx.scope) || containsWindow(e) || containsUnnest(e) { return nil }
        let plain: BoundExpr
        if containsSubquery(e) {
            // Outside the grouping a subquery may fail to bind (an aggregate of this query's
            // columns in it); then it is bound under the grouping, part by part.
            guard let p = try? bindNode(e, ctx.plain(ctx.clause)) else { return nil }
            plain = p
        } else {
            plain = try bindNode(e, ctx.plain(ctx.clause))
        }
        if let i = grouping.column(ofGroup: plain) {
            return BoundExpr(.column(index: i, name: plain.description), type: plain.type, range: e.range)
        }
        // Reads no column of this query (a constant, an enclosing query's column).
        if plain.isColumnFree { return plain }
        if case .column = e.kind {
            throw BindError.notGrouped(column: text(e.range), range: e.range)
        }
        return nil
    }

    private func bindNode(_ e: Expr, _ ctx: ExprContext) throws -> BoundExpr {
        let range = e.range
        switch e.kind {
        case .literal(let literal):
            return try bindLiteral(literal, range: range)
        case .parameter(let name):
            guard let value = variables[name.name] else { throw BindError.unknownParameter(name.name, range: range) }
            return variableConstant(value, range: range)
        case .column(let parts):
            return try bindColumnName(parts, range: range, ctx.scope)
        case .star:
            throw BindError.misplaced(.starHere, range: range)
        case .unary(let op, let x):
            return try bindUnary(op, x, range: range, ctx)
        case .binary(let op, let a, let b):
            return try bindBinary(op, a, b, range: range, ctx)
        case .between(let x, let low, let high, let negated):
            let value = try bindExpr(x, ctx)
            let lo = try compare(.greaterEqual, value, try bindExpr(low, ctx), range: range)
            let hi = try compare(.lessEqual, value, try bindExpr(high, ctx), range: range)
            let both = BoundExpr(.and([lo, hi]), type: .boolean, range: range)
            return negated ? BoundExpr(.not(both), type: .boolean, range: range) : both
        case .inList(let x, let items, let negated):
            let probe = try bindExpr(x, ctx)
            if items.isEmpty {
                // `x IN ()`: false (`NOT IN`: true), but NULL when x is.
                let isNull = BoundExpr(.isNull(probe, negated: false), type: .boolean, range: range)
                return BoundExpr(.caseWhen([(condition: isNull, result: .constant(.null, .boolean))],
                                           elseResult: .constant(.boolean(negated), .boolean)),
                                 type: .boolean, range: range)
            }
            let list = try items.map { try bindExpr($0, ctx) }
            let t = try comparisonType([probe] + list)
            return BoundExpr(.inList(coerce(probe, to: t), list.map { coerce($0, to: t) }, negated: negated),
                             type: .boolean, range: range)
        case .inSubquery(let x, let query, let negated):
            return try bindInSubquery(x, query, negated: negated, range: range, ctx)
        case .exists(let query):
            let (plan, parameters) = try bindSubqueryPlan(query, ctx)
            let sub = BoundSubquery(kind: .exists, plan: plan, range: range, parameters: parameters)
            return BoundExpr(.subquery(sub), type: .boolean, range: range)
        case .subquery(let query):
            let (plan, parameters) = try bindSubqueryPlan(query, ctx)
            let schema = plan.schema
            guard schema.count == 1 else {
                throw BindError.columnCountMismatch(.scalarSubquery, expected: 1, found: schema.count, range: range)
            }
            let sub = BoundSubquery(kind: .scalar, plan: plan, range: range, parameters: parameters)
            return BoundExpr(.subquery(sub), type: schema[0].type, range: range)
        case .isNull(let x, let negated):
            return BoundExpr(.isNull(try bindExpr(x, ctx), negated: negated), type: .boolean, range: range)
        case .isDistinctFrom(let a, let b, let negated):
            let l = try bindExpr(a, ctx), r = try bindExpr(b, ctx)
            let t = try comparisonType([l, r])
            return BoundExpr(.isDistinctFrom(coerce(l, to: t), coerce(r, to: t), negated: negated), type: .boolean, range: range)
        case .isBoolean(let x, let value, let negated):
            // `x IS TRUE` is `x IS NOT DISTINCT FROM true`: never NULL. A number or a string
            // is cast to BOOLEAN first, as in DuckDB (`42 IS TRUE`, `'false' IS FALSE`).
            var operand = try bindExpr(x, ctx)
            switch operand.type {
            case .integer, .double, .varchar: operand = coerce(operand, to: .boolean)
            default: break
            }
            operand = try requireBoolean(operand, "the operand of IS \(value ? "TRUE" : "FALSE")")
            return BoundExpr(.isDistinctFrom(operand, .constant(.boolean(value), .boolean), negated: !negated),
                             type: .boolean, range: range)
        case .like(let x, let pattern, let ci, let negated, let escape):
            let operand = try stringOperand(try bindExpr(x, ctx), ci ? "ILIKE" : "LIKE")
            let p = try stringOperand(try bindExpr(pattern, ctx), ci ? "ILIKE" : "LIKE")
            let esc = try escape.map { try stringOperand(try bindExpr($0, ctx), "ESCAPE") }
            return BoundExpr(.like(operand, pattern: p, caseInsensitive: ci, negated: negated, escape: esc),
                             type: .boolean, range: range)
        case .caseWhen(let operand, let whens, let elseResult):
            return try bindCase(operand, whens, elseResult, range: range, ctx)
        case .cast(let x, let typeName, let isTry):
            let value = try bindExpr(x, ctx)
            let target = try dataType(typeName)
            if value.type == target { return value }
            if case .constant(.null) = value.kind { return .constant(.null, target, range: range) }
            return BoundExpr(.cast(value, isTry: isTry), type: target, range: range)
        case .function(let call):
            return try bindFunction(call, range: range, ctx)
        case .interval(let value, let unit):
            return try bindInterval(value, unit: unit, range: range, ctx)
        case .list(let items):
            return try bindListLiteral(items, range: range, ctx)
        }
    }

    private func bindUnary(_ op: UnaryOperator, _ x: Expr, range: SourceRange, _ ctx: ExprContext) throws -> BoundExpr {
        switch op {
        case .not:
            let operand = try requireBoolean(try bindExpr(x, ctx), "the operand of NOT", integers: true)
            return BoundExpr(.not(operand), type: .boolean, range: range)
        case .negate:
            // `-9223372036854775808` is a literal in range although its digits alone are not.
            if case .literal(.integer(let digits)) = x.kind {
                return try integerLiteral("-" + digits, range: range)
            }
            let operand = try bindExpr(x, ctx)
            switch operand.type {
            case .integer, .double, .interval: return BoundExpr(.negate(operand), type: operand.type, range: range)
            case .null: return .constant(.null, .integer, range: range)
            default: throw BindError.typeMismatch("cannot negate \(operand.type)", range: range)
            }
        case .plus:
            let operand = try bindExpr(x, ctx)
            guard operand.type.isNumeric || operand.type == .interval || operand.type == .null else {
                throw BindError.typeMismatch("cannot apply unary '+' to \(operand.type)", range: range)
            }
            return operand
        }
    }

    private func bindBinary(_ op: BinaryOperator, _ a: Expr, _ b: Expr, range: SourceRange,
                            _ ctx: ExprContext) throws -> BoundExpr {
        switch op {
        case .and, .or:
            // `a OR b OR c …` arrives left-deep; walk its spine in a loop so that a long chain
            // costs no recursion, and bind one n-ary node.
            let word = op == .and ? "AND" : "OR"
            var operands = [b]
            var left = a
            while case .binary(let inner, let l, let r) = left.kind, inner == op {
                operands.append(r)
                left = l
            }
            operands.append(left)
            var bound: [BoundExpr] = []
            for operand in operands.reversed() {
                let x = try requireBoolean(try bindExpr(operand, ctx), "the operands of \(word)", integers: true)
                bound += flatten(x, and: op == .and)
            }
            return BoundExpr(op == .and ? .and(bound) : .or(bound), type: .boolean, range: range)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let cmp = ComparisonOperator(rawValue: op.rawValue) ?? .equal
            return try compare(cmp, try bindExpr(a, ctx), try bindExpr(b, ctx), range: range)
        case .add, .subtract, .multiply, .divide, .integerDivide, .modulo, .concat:
            var arith = ArithmeticOperator(rawValue: op.rawValue) ?? .add
            // `SET integer_division = true`: `/` is `//`, whatever its operands (DuckDB's reading).
            if arith == .divide, settings.integerDivision { arith = .integerDivide }
            return try arithmetic(arith, try bindExpr(a, ctx), try bindExpr(b, ctx), range: range)
        }
    }

    /// An operand of an n-ary AND / OR, a nested one of the same kind spliced in.
    private func flatten(_ e: BoundExpr, and: Bool) -> [BoundExpr] {
        switch e.kind {
        case .and(let xs) where and: return xs
        case .or(let xs) where !and: return xs
        default: return [e]
        }
    }

    /// A comparison with both operands cast to the type they are compared in.
    func compare(_ op: ComparisonOperator, _ l: BoundExpr, _ r: BoundExpr, range: SourceRange) throws -> BoundExpr {
        guard let t = OperatorTyping.comparisonType(l.type, r.type) else {
            throw BindError.typeMismatch("cannot compare \(l.type) and \(r.type)", range: range)
        }
        if t == .null { return .constant(.null, .boolean, range: range) }
        return BoundExpr(.compare(op, coerce(l, to: t), coerce(r, to: t)), type: .boolean, range: range)
    }

    /// Arithmetic with operands cast as `OperatorTyping` says; `||` reads any value as text.
    func arithmetic(_ op: ArithmeticOperator, _ l: BoundExpr, _ r: BoundExpr, range: SourceRange) throws -> BoundExpr {
        var l = l, r = r
        // A string literal next to a time reads as the time or interval the sentence needs:
        // `'2024-04-12' + INTERVAL 1 DAY`, `time - '1 hour'`.
        if op != .concat {
            if l.isStringLiteral, r.type == .interval { l = coerce(l, to: .timestamp) }
            if r.isStringLiteral, l.type == .timestamp || l.type == .date || l.type == .interval {
                r = coerce(r, to: .interval)
            }
        }
        guard let typing = OperatorTyping.arithmetic(op, l.type, r.type) else {
            throw BindError.typeMismatch("cannot apply '\(op.rawValue)' to \(l.type) and \(r.type)", range: range)
        }
        return BoundExpr(.arithmetic(op, coerce(l, to: typing.left), coerce(r, to: typing.right)),
                         type: typing.result, range: range)
    }

    /// A LIKE operand: text as is, other values read as their text.
    private func stringOperand(_ e: BoundExpr, _ what: String) throws -> BoundExpr {
        if e.type.isString { return e }
        if e.type == .null { return coerce(e, to: .varchar) }
        throw BindError.typeMismatch("\(what) needs text operands, not \(e.type)", range: e.range ?? SourceRange(start: 0, end: 0))
    }

    private func bindCase(_ operand: Expr?, _ whens: [WhenClause], _ elseResult: Expr?, range: SourceRange,
                          _ ctx: ExprContext) throws -> BoundExpr {
        let subject = try operand.map { try bindExpr($0, ctx) }
        var conditions: [BoundExpr] = []
        var results: [BoundExpr] = []
        for w in whens {
            let c = try bindExpr(w.condition, ctx)
            if let subject {
                conditions.append(try compare(.equal, subject, c, range: w.condition.range))
            } else {
                conditions.append(try requireBoolean(c, "a WHEN condition"))
            }
            results.append(try bindExpr(w.result, ctx))
        }
        let otherwise = try elseResult.map { try bindExpr($0, ctx) }
        let t = try commonType(results + (otherwise.map { [$0] } ?? []), in: "CASE")
        let pairs = zip(conditions, results).map { (condition: $0, result: coerce($1, to: t)) }
        return BoundExpr(.caseWhen(pairs, elseResult: otherwise.map { coerce($0, to: t) }), type: t, range: range)
    }

    private func bindInSubquery(_ x: Expr, _ query: Query, negated: Bool, range: SourceRange,
                                _ ctx: ExprContext) throws -> BoundExpr {
        let probe = try bindExpr(x, ctx)
        var (plan, parameters) = try bindSubqueryPlan(query, ctx)
        let schema = plan.schema
        guard schema.count == 1 else {
            throw BindError.columnCountMismatch(.inSubquery, expected: 1, found: schema.count, range: query.range)
        }
        guard let t = OperatorTyping.comparisonType(probe.type, schema[0].type) else {
            throw BindError.typeMismatch("cannot compare \(probe.type) and \(schema[0].type) in IN", range: range)
        }
        if schema[0].type != t {
            let column = BoundExpr(.column(index: 0, name: schema[0].name), type: schema[0].type)
            plan = .project(plan, expressions: [coerce(column, to: t)], names: [schema[0].name])
        }
        let sub = BoundSubquery(kind: .inList(probe: coerce(probe, to: t), negated: negated), plan: plan, range: range,
                                parameters: parameters)
        return BoundExpr(.subquery(sub), type: .boolean, range: range)
    }

    /// Whether an expression calls an aggregate of the query of `scope` (not one of an
    /// enclosing query's columns), outside any subquery of its own.
    func containsAggregate(_ e: Expr, _ scope: BindScope) -> Bool {
        var found = false
        visitOwnNodes(e) { node in
            if !found, case .function(let call) = node.kind, call.over == nil, isAggregate(call),
               !isOuterAggregate(call, scope) {
                found = true
            }
        }
        return found
    }

    /// Whether `e` holds a window function call (outside subqueries).
    func containsWindow(_ e: Expr) -> Bool {
        var found = false
        visitOwnNodes(e) { node in
            if case .function(let call) = node.kind, call.over != nil { found = true }
        }
        return found
    }

    /// Whether `e` holds a subquery (scalar, EXISTS or IN).
    func containsSubquery(_ e: Expr) -> Bool {
        var found = false
        visitOwnNodes(e) { node in
            switch node.kind {
            case .exists, .subquery, .inSubquery: found = true
            default: break
            }
        }
        return found
    }

    /// Visits `e` and its sub-expressions, not entering subqueries.
    func visitOwnNodes(_ e: Expr, _ visit: (Expr) -> Void) {
        visit(e)
        let children: [Expr]
        switch e.kind {
        case .literal, .column, .star, .exists, .subquery, .parameter: children = []
        case .unary(_, let x), .isNull(let x, _), .isBoolean(let x, _, _), .cast(let x, _, _), .interval(let x, _),
             .inSubquery(let x, _, _):
            children = [x]
        case .binary(_, let a, let b), .isDistinctFrom(let a, let b, _): children = [a, b]
        case .between(let x, let lo, let hi, _): children = [x, lo, hi]
        case .inList(let x, let items, _): children = [x] + items
        case .list(let items): children = items
        case .like(let x, let p, _, _, let esc): children = [x, p] + (esc.map { [$0] } ?? [])
        case .caseWhen(let operand, let whens, let otherwise):
            children = (operand.map { [$0] } ?? []) + whens.flatMap { [$0.condition, $0.result] }
                + (otherwise.map { [$0] } ?? [])
        case .function(let call):
            if let over = call.over {
                // A window function's parts are over the grouped rows: aggregates there count.
                children = call.arguments + (call.filter.map { [$0] } ?? []) + over.partitionBy + over.orderBy.map(\.expr)
            } else {
                // An aggregate's own arguments are not searched: nesting is reported when bound.
                children = isAggregate(call) ? [] : call.arguments
            }
        }
        for c in children { visitOwnNodes(c, visit) }
    }
}

// Correlated references: a name in a subquery that only an enclosing query knows. It becomes
// a parameter of the subquery (`BoundExprKind.parameter`), and the subquery records the
// expression over the enclosing query's input that gives the parameter its value.

import AQSyntax

/// The parameters of one subquery being bound: expressions over the enclosing query's input,
/// each once. `outer` is where the expression holding the subquery is bound; after GROUP BY
/// (`outer.grouping`) an outer column must be one of the group keys.
final class CorrelationFrame {
    let outer: ExprContext
    private(set) var parameters: [BoundExpr] = []
    private var index: [String: Int] = [:]

    init(outer: ExprContext) {
        self.outer = outer
    }

    /// The parameter standing for `outer`, added if it is new.
    func parameter(for outer: BoundExpr) -> Int {
        let key = outer.structuralKey
        if let i = index[key] { return i }
        parameters.append(outer)
        index[key] = parameters.count - 1
        return parameters.count - 1
    }
}

extension Binder {
    /// A column name: a column of the expression's own scope, or of an enclosing query, read
    /// through a parameter of every subquery in between.
    func bindColumnName(_ parts: [Identifier], range: SourceRange, _ scope: BindScope) throws -> BoundExpr {
        if let column = try scope.resolve(parts, range: range) {
            return BoundExpr(.column(index: column.index, name: column.name), type: column.type, range: range)
        }
        guard let boundary = scope.parent, let frame = boundary.frame, let outer = boundary.parent else {
            throw BindError.misplaced(.outerColumnHere, range: range)
        }
        var value = try bindColumnName(parts, range: range, outer)
        if let grouping = frame.outer.grouping, case .column = value.kind {
            guard let i = grouping.column(ofGroup: value) else {
                throw BindError.notGrouped(column: text(range), range: range)
            }
            value = BoundExpr(.column(index: i, name: value.description), type: value.type, range: range)
        }
        let slot = frame.parameter(for: value)
        return BoundExpr(.parameter(index: slot, name: text(range)), type: value.type, range: range)
    }

    /// Binds the query of a subquery that stands in an expression bound in `ctx`; the
    /// parameters are what its correlated references read.
    func bindSubqueryPlan(_ query: Query, _ ctx: ExprContext) throws -> (plan: LogicalPlan, parameters: [BoundExpr]) {
        let frame = CorrelationFrame(outer: ctx)
        let boundary = BindScope(parent: ctx.scope, frame: frame)
        let plan = try bindQuery(query, outer: boundary)
        return (plan, frame.parameters)
    }

    /// An aggregate whose arguments read only columns of enclosing queries belongs to the
    /// nearest of them (as in PostgreSQL and DuckDB): `HAVING EXISTS (… WHERE z < sum(t.b))`
    /// sums t.b over the outer query's groups. It is bound there, as one of its aggregates,
    /// and read here through a parameter. Nil when `call` is the subquery's own aggregate.
    func outerAggregate(_ call: FunctionCall, range: SourceRange, _ scope: BindScope) throws -> BoundExpr? {
        guard isOuterAggregate(call, scope), let boundary = scope.parent, let frame = boundary.frame else { return nil }
        guard frame.outer.grouping != nil else {
            throw BindError.misplaced(.outerAggregate, range: range)
        }
        let value = try bindExpr(Expr(.function(call), range: range), frame.outer)
        let slot = frame.parameter(for: value)
        return BoundExpr(.parameter(index: slot, name: text(range)), type: value.type, range: range)
    }

    /// Whether every column `call`'s arguments (and FILTER, ORDER BY) name belongs to an
    /// enclosing query, and there is at least one.
    func isOuterAggregate(_ call: FunctionCall, _ scope: BindScope) -> Bool {
        guard !call.star, scope.parent?.frame != nil else { return false }
        let parts = call.arguments + (call.filter.map { [$0] } ?? []) + call.orderBy.map(\.expr)
        var outer = 0
        var local = false
        for part in parts {
            visitOwnNodes(part) { node in
                switch node.kind {
                case .column(let name):
                    // A name that does not resolve counts as local: its error comes when it is bound.
                    if resolvesOutside(name, node.range, scope) { outer += 1 } else { local = true }
                case .exists, .subquery, .inSubquery:
                    local = true
                default:
                    break
                }
            }
        }
        return outer > 0 && !local
    }

    /// Whether `name` is a column of an enclosing query, not of `scope`'s (false when it
    /// does not resolve at all).
    private func resolvesOutside(_ name: [Identifier], _ range: SourceRange, _ scope: BindScope) -> Bool {
        do { return try scope.resolve(name, range: range) == nil } catch { return false }
    }
}

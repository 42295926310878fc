// Correlated references: a name in a subquery that only an enclosing query knows. It becomes
// a parameter of the subquery (`BoundExprKind.parameter`), and the subquery records the
// expression over the enclosing query's input that gives the parameter its value.

import AQSyntax

/// The parameters of one subquery being bound: expressions over the enclosing query's input,
/// each once. `grouping` is the enclosing expression's grouping, if it is bound after
/// GROUP BY: an outer column must then be one of the group keys.
final class CorrelationFrame {
    let grouping: Grouping?
    private(set) var parameters: [BoundExpr] = []
    private var index: [String: Int] = [:]

    init(grouping: Grouping?) {
        self.grouping = grouping
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
            throw BindError.invalid("a column of an enclosing query cannot be used here", range: range)
        }
        var value = try bindColumnName(parts, range: range, outer)
        if let grouping = frame.grouping, case .column = value.kind {
            guard let i = grouping.column(ofGroup: value) else {
                throw BindError.invalid(
                    "column '\(text(range))' must appear in the GROUP BY clause or be used in an aggregate function",
                    range: range)
            }
            value = BoundExpr(.column(index: i, name: value.description), type: value.type, range: range)
        }
        let slot = frame.parameter(for: value)
        return BoundExpr(.parameter(index: slot, name: text(range)), type: value.type, range: range)
    }

    /// Binds the query of a subquery that stands in an expression bound in `ctx`; the
    /// parameters are what its correlated references read.
    func bindSubqueryPlan(_ query: Query, _ ctx: ExprContext) throws -> (plan: LogicalPlan, parameters: [BoundExpr]) {
        let frame = CorrelationFrame(grouping: ctx.grouping)
        let boundary = BindScope(parent: ctx.scope, frame: frame)
        let plan = try bindQuery(query, outer: boundary)
        return (plan, frame.parameters)
    }
}

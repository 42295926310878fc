// Binding a correlated subquery's parameters: its plan with each `.parameter` reference
// replaced by a constant, ready to run for one combination of the outer values.

extension LogicalPlan {
    /// The plan with parameter `i` replaced by `values[i]` in every expression of its own,
    /// including the parameters of subqueries nested in it (which are over this plan's
    /// input), but not inside their plans: their `.parameter`s are theirs.
    public func bindingParameters(_ values: [Value]) -> LogicalPlan {
        transformUp { node in node.mapExpressions { $0.bindingParameters(values) } }
    }
}

extension BoundExpr {
    /// The expression with parameter `i` replaced by the constant `values[i]`.
    public func bindingParameters(_ values: [Value]) -> BoundExpr {
        rewrite { e in
            guard case .parameter(let i, _) = e.kind, i >= 0, i < values.count else { return e }
            return .constant(values[i], e.type, range: e.range)
        }
    }

    /// Whether the expression reads a parameter of the subquery it is in.
    public var containsParameter: Bool {
        var found = false
        forEachNode { if case .parameter = $0.kind { found = true } }
        return found
    }
}

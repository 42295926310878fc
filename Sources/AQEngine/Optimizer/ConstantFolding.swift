// Constant folding: computes once, at plan time, every subexpression that reads no column,
// simplifies AND / OR with constant operands, and turns a filter that is always false into
// an empty relation. An expression whose evaluation fails is left as it is: the row it
// belongs to may never be evaluated, and if it is, the error is raised then, with its range.

public struct ConstantFolding: OptimizerPass {
    public let name = "constant_folding"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        plan.transformUp { node in
            simplify(node.mapExpressions { fold($0, context) })
        }
    }

    /// The expression with its constant parts computed.
    func fold(_ expr: BoundExpr, _ context: ExecutionContext) -> BoundExpr {
        expr.rewrite { e in
            switch e.kind {
            case .constant, .column, .parameter, .subquery, .inSet:
                return e
            case .and(let xs):
                return foldAnd(xs, e)
            case .or(let xs):
                return foldOr(xs, e)
            case .call(let fn, _) where !fn.foldable:
                return e
            default:
                guard e.children.allSatisfy({ $0.constantValue != nil }) else { return e }
                guard let value = try? ConstantEvaluator.evaluate(e, context) else { return e }
                return .constant(value, e.type, range: e.range)
            }
        }
    }

    /// `x AND true` is x; `x AND false` is false (whatever x is, even NULL).
    private func foldAnd(_ xs: [BoundExpr], _ e: BoundExpr) -> BoundExpr {
        var rest: [BoundExpr] = []
        var sawNull = false
        for x in xs {
            switch x.constantValue {
            case .boolean(true)?: continue
            case .boolean(false)?: return .constant(.boolean(false), .boolean, range: e.range)
            case .null?: sawNull = true; rest.append(x)
            default: rest.append(x)
            }
        }
        if rest.isEmpty { return .constant(.boolean(true), .boolean, range: e.range) }
        if sawNull, rest.allSatisfy({ $0.constantValue != nil }) { return .constant(.null, .boolean, range: e.range) }
        if rest.count == 1 { return rest[0] }
        var out = e
        out.kind = .and(rest)
        return out
    }

    /// `x OR false` is x; `x OR true` is true.
    private func foldOr(_ xs: [BoundExpr], _ e: BoundExpr) -> BoundExpr {
        var rest: [BoundExpr] = []
        for x in xs {
            switch x.constantValue {
            case .boolean(false)?: continue
            case .boolean(true)?: return .constant(.boolean(true), .boolean, range: e.range)
            default: rest.append(x)
            }
        }
        if rest.isEmpty { return .constant(.boolean(false), .boolean, range: e.range) }
        if rest.count == 1 { return rest[0] }
        if rest.allSatisfy({ $0.constantValue != nil }) { return .constant(.null, .boolean, range: e.range) }
        var out = e
        out.kind = .or(rest)
        return out
    }

    /// A filter that always passes disappears; one that never passes empties the relation.
    private func simplify(_ node: LogicalPlan) -> LogicalPlan {
        switch node {
        case .filter(let input, let predicate):
            switch predicate.constantValue {
            case .boolean(true)?: return input
            case .boolean(false)?, .null?: return .empty(schema: node.schema)
            default: return node
            }
        case .scan(var scan):
            if scan.filters.contains(where: { $0.constantValue == .boolean(false) || $0.constantValue == .null }) {
                return .empty(schema: node.schema)
            }
            scan.filters.removeAll { $0.constantValue == .boolean(true) }
            return .scan(scan)
        case .join(let l, let r, .inner, let condition):
            switch condition?.constantValue {
            case .boolean(false)?, .null?: return .empty(schema: node.schema)
            case .boolean(true)?: return .join(l, r, kind: .cross, condition: nil)
            default: return node
            }
        default:
            return emptyIfInputEmpty(node)
        }
    }

    /// A node over an input with no rows has no rows either (except an aggregate without
    /// groups, which still gives its one row, the right side of a LEFT join and either side
    /// of a FULL join).
    private func emptyIfInputEmpty(_ node: LogicalPlan) -> LogicalPlan {
        func isEmpty(_ p: LogicalPlan) -> Bool { if case .empty = p { return true }; return false }
        switch node {
        case .project(let x, _, _), .sort(let x, _), .limit(let x, _, _), .topN(let x, _, _, _), .distinct(let x),
             .window(let x, _, _):
            return isEmpty(x) ? .empty(schema: node.schema) : node
        case .aggregate(let x, let groups, _, _):
            return isEmpty(x) && !groups.isEmpty ? .empty(schema: node.schema) : node
        case .join(let l, let r, let kind, _):
            let empty: Bool
            switch kind {
            case .inner, .cross: empty = isEmpty(l) || isEmpty(r)
            case .left, .anti, .nullAwareAnti: empty = isEmpty(l)
            case .semi: empty = isEmpty(l) || isEmpty(r)
            case .full: empty = isEmpty(l) && isEmpty(r)
            }
            return empty ? .empty(schema: node.schema) : node
        case .setDifference(let l, _, _, _):
            return isEmpty(l) ? .empty(schema: node.schema) : node
        default:
            return node
        }
    }
}

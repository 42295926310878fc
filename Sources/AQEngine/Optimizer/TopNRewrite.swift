// Top-N: a sort followed by a LIMIT becomes one operator that keeps only the rows that can
// still make the cut, instead of sorting everything. Also seen through the projection that
// drops ORDER BY's hidden columns.

public struct TopNRewrite: OptimizerPass {
    public let name = "top_n"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        plan.transformUp { node in
            guard case .limit(let input, let limit?, let offset) = node else { return node }
            switch input {
            case .sort(let x, let keys):
                return .topN(x, keys: keys, limit: limit, offset: offset)
            case .project(.sort(let x, let keys), let exprs, let names):
                return .project(.topN(x, keys: keys, limit: limit, offset: offset), expressions: exprs, names: names)
            default:
                return node
            }
        }
    }
}

// LIMIT and OFFSET: evaluates the bound constant expressions of each `limitClause` and puts
// the numbers in place as a `.limit`. NULL means no limit (or no offset).

import AQSyntax

public struct LimitConstants: OptimizerPass {
    public let name = "limit_constants"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) throws -> LogicalPlan {
        try plan.transformUp { node in
            guard case .limitClause(let input, let limit, let offset) = node else { return node }
            let rows = try limit.flatMap { try count($0, "LIMIT", context) }
            let skip = try offset.flatMap { try count($0, "OFFSET", context) } ?? 0
            return .limit(input, limit: rows, offset: skip)
        }
    }

    /// The value of a LIMIT or OFFSET, or nil for NULL.
    func count(_ expr: BoundExpr, _ clause: String, _ context: ExecutionContext) throws -> Int? {
        let range = expr.range ?? SourceRange(start: 0, end: 0)  // the binder always sets it
        let value: Value
        do {
            value = try ConstantEvaluator.evaluate(expr, context)
        } catch {
            throw BindError.notAnInteger(clause: clause, range: range)
        }
        switch value {
        case .null: return nil
        case .integer(let n):
            guard n >= 0 else { throw BindError.negative(clause: clause, range: range) }
            // No table has 2^60 rows; the cap keeps `limit + offset` from overflowing anywhere.
            return Int(min(n, 1 << 60))
        default: throw BindError.notAnInteger(clause: clause, range: range)
        }
    }
}

// First row per partition: `QUALIFY row_number() OVER (PARTITION BY k ORDER BY t) = 1`
// (also `<= 1`, `< 2`) needs only the best row of each partition, not a sort of every
// partition. The pass marks such a row_number `firstRowOnly`; the window operator then keeps
// one row per partition in one pass. The filter stays, so the plan means the same either way.

public struct WindowTopK: OptimizerPass {
    public let name = "window_top_k"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        plan.transformUp { node in
            guard case .filter(.window(let input, var functions, let names), let predicate) = node,
                  functions.count == 1, functions[0].kind == .rowNumber, !functions[0].orderBy.isEmpty else { return node }
            let column = input.columnCount
            guard predicate.conjuncts.contains(where: { WindowTopK.isFirstRowTest($0, column: column) }) else { return node }
            functions[0].firstRowOnly = true
            return .filter(.window(input, functions: functions, names: names), predicate: predicate)
        }
    }

    /// `c = 1`, `c <= 1`, `c < 2` (or the same written the other way round) over column `column`.
    static func isFirstRowTest(_ e: BoundExpr, column: Int) -> Bool {
        guard case .compare(let op, let l, let r) = e.kind else { return false }
        func isColumn(_ x: BoundExpr) -> Bool {
            if case .column(let i, _) = x.kind { return i == column }
            return false
        }
        func constant(_ x: BoundExpr) -> Int64? {
            if case .constant(.integer(let k)) = x.kind { return k }
            return nil
        }
        if isColumn(l), let k = constant(r) {
            return (op == .equal && k == 1) || (op == .lessEqual && k == 1) || (op == .less && k == 2)
        }
        if isColumn(r), let k = constant(l) {
            return (op == .equal && k == 1) || (op == .greaterEqual && k == 1) || (op == .greater && k == 2)
        }
        return false
    }
}

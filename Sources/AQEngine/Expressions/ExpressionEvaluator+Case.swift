// CASE and COALESCE: each branch is evaluated only on the rows it decides, and the parts
// are scattered back into one vector (`CASE WHEN x = 0 THEN NULL ELSE 1 // x END` never
// divides by zero).

extension ExpressionEvaluator {
    static func caseWhen(_ branches: [(condition: BoundExpr, result: BoundExpr)], elseResult: BoundExpr?,
                         type: DataType, _ batch: Batch, _ context: ExecutionContext) throws -> Vector {
        let n = batch.count
        var remaining = (0..<n).map { Int32($0) }
        var parts: [(rows: [Int32], vector: Vector)] = []
        for branch in branches {
            if remaining.isEmpty { break }
            let condition = try evaluate(branch.condition, batch, rows: remaining, context)
            let bits = try condition.boolValues()
            var matched: [Int32] = [], rest: [Int32] = []
            condition.effectiveValidity.withView { vv in
                for (k, row) in remaining.enumerated() {
                    if vv.isValid(k) && bits[k] { matched.append(row) } else { rest.append(row) }
                }
            }
            if !matched.isEmpty {
                parts.append((matched, try evaluate(branch.result, batch, rows: matched, context)))
            }
            remaining = rest
        }
        if let elseResult, !remaining.isEmpty {
            parts.append((remaining, try evaluate(elseResult, batch, rows: remaining, context)))
        }
        return try Vector.scatter(parts, count: n, type: type)
    }

    static func coalesce(_ operands: [BoundExpr], type: DataType, _ batch: Batch,
                         _ context: ExecutionContext) throws -> Vector {
        let n = batch.count
        var remaining = (0..<n).map { Int32($0) }
        var parts: [(rows: [Int32], vector: Vector)] = []
        for operand in operands {
            if remaining.isEmpty { break }
            let v = try evaluate(operand, batch, rows: remaining, context)
            guard let validity = v.effectiveValidity else {
                parts.append((remaining, v))
                remaining = []
                break
            }
            var taken: [Int32] = [], takenAt: [Int32] = [], rest: [Int32] = []
            for (k, row) in remaining.enumerated() {
                if validity.isValid(k) { taken.append(row); takenAt.append(Int32(k)) } else { rest.append(row) }
            }
            if !taken.isEmpty {
                parts.append((taken, taken.count == remaining.count ? v : v.gather(takenAt)))
            }
            remaining = rest
        }
        return try Vector.scatter(parts, count: n, type: type)
    }

}

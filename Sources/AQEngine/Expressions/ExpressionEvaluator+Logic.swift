// AND, OR, NOT and IS [NOT] NULL in SQL's three-valued logic. AND and OR stop early when
// every row is decided, and evaluate an operand that can fail only on undecided rows.

extension ExpressionEvaluator {
    /// AND (`isAnd`) or OR over operands. For AND a false operand decides a row (false even
    /// if another is NULL); for OR a true one does. Otherwise NULL if any operand is NULL.
    static func conjunction(_ operands: [BoundExpr], isAnd: Bool, _ batch: Batch,
                            _ context: ExecutionContext) throws -> Vector {
        let n = batch.count
        guard let first = operands.first else {
            return .booleans([Bool](repeating: isAnd, count: n), nil)
        }
        // decided[i]: the row's result is `!isAnd` (false for AND, true for OR).
        var decided = [Bool](repeating: false, count: n)
        var null = [Bool](repeating: false, count: n)
        var undecided = n
        func absorb(_ v: Vector, rows: [Int32]?) throws {
            let bits = try v.boolValues()
            let validity = v.effectiveValidity
            validity.withView { vv in
                for k in 0..<bits.count {
                    let i = rows.map { Int($0[k]) } ?? k
                    if !vv.isValid(k) {
                        null[i] = true
                    } else if bits[k] != isAnd, !decided[i] {
                        decided[i] = true
                        undecided -= 1
                    }
                }
            }
        }
        try absorb(try evaluate(first, batch, context), rows: nil)
        for operand in operands.dropFirst() {
            if undecided == 0 { break }
            if undecided < n && canFail(operand) {
                var rows: [Int32] = []
                rows.reserveCapacity(undecided)
                for i in 0..<n where !decided[i] { rows.append(Int32(i)) }
                try absorb(try evaluate(operand, batch, rows: rows, context), rows: rows)
            } else {
                try absorb(try evaluate(operand, batch, context), rows: nil)
            }
        }
        var out = [Bool](repeating: isAnd, count: n)
        var anyNull = false
        for i in 0..<n {
            if decided[i] {
                out[i] = !isAnd
                null[i] = false
            } else if null[i] {
                anyNull = true
            }
        }
        return .booleans(out, anyNull ? Validity.from(null.map { !$0 }) : nil)
    }

    static func not(_ v: Vector) throws -> Vector {
        if case .null = v.storage { return Vector.nulls(type: .boolean, count: v.count) }
        return .booleans(try v.boolValues().map { !$0 }, v.validity)
    }

    static func isNull(_ v: Vector, negated: Bool) -> Vector {
        let n = v.count
        guard let validity = v.effectiveValidity else {
            return .booleans([Bool](repeating: negated, count: n), nil)
        }
        var out = [Bool](repeating: false, count: n)
        for i in 0..<n { out[i] = validity.isValid(i) == negated }
        return .booleans(out, nil)
    }
}

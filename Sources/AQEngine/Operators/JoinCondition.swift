// A join condition taken apart: the equalities `left expr = right expr` that a hash join
// can use as keys, and the rest, checked on each joined row.

struct JoinCondition {
    /// Key expressions over the left input's columns.
    var leftKeys: [BoundExpr] = []
    /// Key expressions over the right input's columns (indexes relative to the right input).
    var rightKeys: [BoundExpr] = []
    /// The other conjuncts, over the joined row (left columns, then right).
    var residual: BoundExpr?

    /// The same condition with the inputs' roles exchanged (the right input becomes the left).
    func swapped(leftWidth: Int, rightWidth: Int) -> JoinCondition {
        var out = JoinCondition(nil, leftWidth: 0)
        out.leftKeys = rightKeys
        out.rightKeys = leftKeys
        // Joined rows put the right input's columns first now.
        out.residual = residual.map { ExpressionWalker.remapColumns($0) { $0 < leftWidth ? $0 + rightWidth : $0 - leftWidth } }
        return out
    }

    init(_ condition: BoundExpr?, leftWidth: Int) {
        guard let condition else { return }
        var conjuncts: [BoundExpr] = []
        JoinCondition.flatten(condition, into: &conjuncts)
        var rest: [BoundExpr] = []
        for c in conjuncts {
            if case .compare(.equal, let a, let b) = c.kind, JoinType.keysMatch(a.type, b.type) {
                let sideA = JoinCondition.side(a, leftWidth), sideB = JoinCondition.side(b, leftWidth)
                if sideA == .left, sideB == .right {
                    leftKeys.append(a)
                    rightKeys.append(ExpressionWalker.shiftColumns(b, by: -leftWidth))
                    continue
                }
                if sideA == .right, sideB == .left {
                    leftKeys.append(b)
                    rightKeys.append(ExpressionWalker.shiftColumns(a, by: -leftWidth))
                    continue
                }
            }
            rest.append(c)
        }
        if rest.count == 1 {
            residual = rest[0]
        } else if rest.count > 1 {
            residual = BoundExpr(.and(rest), type: .boolean, range: condition.range)
        }
    }

    private static func flatten(_ e: BoundExpr, into out: inout [BoundExpr]) {
        if case .and(let parts) = e.kind {
            for p in parts { flatten(p, into: &out) }
        } else {
            out.append(e)
        }
    }


    private enum Side { case left, right, both, neither }

    private static func side(_ e: BoundExpr, _ leftWidth: Int) -> Side {
        let columns = ExpressionWalker.columns(of: e)
        if columns.isEmpty { return .neither }
        let anyLeft = columns.contains { $0 < leftWidth }
        let anyRight = columns.contains { $0 >= leftWidth }
        if anyLeft && anyRight { return .both }
        // A subquery inside a key is evaluated per row like any expression: allowed.
        return anyLeft ? .left : .right
    }
}

extension ExpressionWalker {
    /// `expr` with every column index moved by `delta`.
    static func shiftColumns(_ expr: BoundExpr, by delta: Int) -> BoundExpr {
        remapColumns(expr) { $0 + delta }
    }

    /// `expr` with every column index `i` replaced by `map(i)`.
    static func remapColumns(_ expr: BoundExpr, _ map: (Int) -> Int) -> BoundExpr {
        if case .column(let index, let name) = expr.kind {
            var out = expr
            out.kind = .column(index: map(index), name: name)
            return out
        }
        return mapChildren(expr) { remapColumns($0, map) }
    }
}

/// Pairs of (left row, right row) of joined output, cut into batches.
struct JoinPairs {
    var left: [Int32] = []
    /// -1: no right row (the NULL padding of a LEFT JOIN).
    var right: [Int32] = []

    var count: Int { left.count }

    mutating func append(_ l: Int32, _ r: Int32) {
        left.append(l)
        right.append(r)
    }

    mutating func removeAll() {
        left.removeAll(keepingCapacity: true)
        right.removeAll(keepingCapacity: true)
    }

    mutating func append(contentsOf other: JoinPairs) {
        left.append(contentsOf: other.left)
        right.append(contentsOf: other.right)
    }

    /// Drops the first `n` pairs.
    mutating func removeFirst(_ n: Int) {
        left.removeFirst(n)
        right.removeFirst(n)
    }

    /// The joined rows of pairs `range`: left columns gathered from `leftBatch`, right ones
    /// from `rightColumns`.
    func batch(_ range: Range<Int>, left leftBatch: Batch, right rightColumns: [Vector]) -> Batch {
        let l = Array(left[range]), r = Array(right[range])
        // Each left row once, in order (a lookup join): the left columns pass as they are.
        var identity = range.count == leftBatch.count
        if identity {
            for (k, i) in l.enumerated() where i != Int32(k) {
                identity = false
                break
            }
        }
        let leftColumns = identity ? leftBatch.columns : leftBatch.columns.map { $0.gather(l) }
        return Batch(columns: leftColumns + rightColumns.map { $0.gather(r) }, count: range.count)
    }
}

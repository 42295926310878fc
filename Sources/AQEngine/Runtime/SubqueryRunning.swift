// The run-time side of correlated subqueries as the evaluator sees it: the operators
// implement it (they run plans) and the execution context carries it, with the results each
// subquery has computed so far in the statement, by subquery id.

import Synchronization

/// Gives a correlated subquery's value for every row of a batch; implemented above the
/// evaluator, by the operators, so that evaluating an expression never names them.
public protocol SubqueryRunning: Sendable {
    /// The value of `subquery` (a plan's correlated `BoundSubquery`) for each row of
    /// `batch`, of type `type`.
    func values(of subquery: AnyObject, type: DataType, _ batch: Batch, _ context: ExecutionContext) throws -> Vector
}

/// Per subquery id, what it has computed so far in the running statement (its results per
/// combination of outer values, kept by whoever runs it).
public final class SubqueryMemos: Sendable {
    private let memos = Mutex<[Int: AnyObject]>([:])

    public init() {}

    /// The memo of subquery `id`, made by `make` the first time.
    public func memo<Memo: AnyObject>(_ id: Int, make: () -> Memo) -> Memo {
        memos.withLock { all in
            if let memo = all[id] as? Memo { return memo }
            let memo = make()
            all[id] = memo
            return memo
        }
    }

    /// Drops the memos of subqueries whose id is above `id` (made after it, for plans that
    /// are gone).
    public func forget(above id: Int) {
        memos.withLock { all in
            let stale = all.keys.filter { $0 > id }
            for key in stale { all[key] = nil }
        }
    }
}

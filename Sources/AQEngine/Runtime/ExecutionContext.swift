// What every operator and kernel of one statement shares: the statement's fixed `now()`,
// the cancellation flag that Ctrl-C sets, the catalog, the statement's run-time caches and
// how many threads may run it.

import Synchronization

/// Set from another thread (a signal handler's watcher, the memory watch) to stop the
/// running statement. Operators check it once per batch and throw `ExecutionError.cancelled`,
/// or `.memoryLimitExceeded` when the memory watch stopped the statement.
public final class CancellationToken: Sendable {
    /// 0: running; 1: cancelled; any other value: the memory limit (bytes) that was exceeded.
    private let state = Atomic<Int>(0)

    public init() {}

    public var isCancelled: Bool { state.load(ordering: .relaxed) != 0 }
    public func cancel() { state.store(1, ordering: .relaxed) }
    public func reset() { state.store(0, ordering: .relaxed) }

    /// Stops the statement because the process went over `limit` bytes.
    public func exceedMemory(limit: Int) {
        _ = state.compareExchange(expected: 0, desired: Swift.max(2, limit), ordering: .relaxed)
    }

    /// Ends a stop for memory (not a Ctrl-C), so the next statement can run; true if there was one.
    public func clearMemoryStop() -> Bool {
        let value = state.load(ordering: .relaxed)
        guard value > 1 else { return false }
        return state.compareExchange(expected: value, desired: 0, ordering: .relaxed).exchanged
    }

    /// Throws `ExecutionError.cancelled` if cancellation was asked for.
    @inline(__always)
    public func check() throws {
        let value = state.load(ordering: .relaxed)
        if value != 0 { throw value == 1 ? ExecutionError.cancelled : ExecutionError.memoryLimitExceeded(limit: value) }
    }
}

public final class ExecutionContext: @unchecked Sendable {
    /// `now()` for the whole statement: UTC nanoseconds.
    public let now: Int64
    public let cancellation: CancellationToken
    public let catalog: Catalog
    /// Kernel results per dictionary code, shared by every batch of the statement.
    public let memo = KernelMemo()
    /// How many threads the statement's pipelines may run on (1: the calling thread only).
    public let threads: Int
    /// Runs correlated subqueries for the evaluator (set by the executor before a plan runs).
    public var subqueries: (any SubqueryRunning)?
    /// Results of the statement's correlated subqueries so far, by subquery id.
    public let subqueryMemos = SubqueryMemos()

    public init(now: Int64, cancellation: CancellationToken, catalog: Catalog, threads: Int = 1) {
        self.now = now
        self.cancellation = cancellation
        self.catalog = catalog
        self.threads = Swift.max(1, threads)
    }
}

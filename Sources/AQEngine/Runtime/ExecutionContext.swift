// What every operator and kernel of one statement shares: the statement's fixed `now()`,
// the cancellation flag that Ctrl-C sets, the catalog, the statement's run-time caches and
// how many threads may run it.

import Synchronization

/// Set from another thread (a signal handler's watcher) to stop the running statement.
/// Operators check it once per batch and throw `ExecutionError.cancelled`.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }

    /// Throws `ExecutionError.cancelled` if cancellation was asked for.
    @inline(__always)
    public func check() throws {
        if flag.load(ordering: .relaxed) { throw ExecutionError.cancelled }
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

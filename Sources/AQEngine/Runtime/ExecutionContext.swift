// What every operator and kernel of one statement shares: the statement's fixed `now()`,
// the cancellation flag that Ctrl-C sets, the catalog, the statement's run-time caches and
// how many threads may run it.

import Synchronization

/// Set from another thread (a signal handler's watcher, an embedding program's `cancel()`)
/// to stop the running statement. Operators check it once per batch and throw
/// `ExecutionError.cancelled`. A statement's token may have a parent (the database's, so
/// cancelling the database stops each of its statements) and a deadline (the statement's
/// time budget, which throws `ExecutionError.limitExceeded(.time)` once passed).
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    private let parent: CancellationToken?
    /// Monotonic seconds after which `check()` fails; nil: no deadline.
    private let deadline: Double?
    private let budget: Double

    public init() {
        parent = nil
        deadline = nil
        budget = 0
    }

    /// A token that also stops when `parent` is cancelled, and after `seconds` when given.
    public init(parent: CancellationToken?, seconds: Double?) {
        self.parent = parent
        self.deadline = seconds.map { Clock.now + $0 }
        self.budget = seconds ?? 0
    }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) || (parent?.isCancelled ?? false) }
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }

    /// Throws `ExecutionError.cancelled` if cancellation was asked for, or
    /// `ExecutionError.limitExceeded(.time)` past the deadline.
    @inline(__always)
    public func check() throws {
        if flag.load(ordering: .relaxed) { throw ExecutionError.cancelled }
        if parent != nil || deadline != nil { try checkSlow() }
    }

    private func checkSlow() throws {
        try parent?.check()
        if let deadline, Clock.now > deadline { throw ExecutionError.limitExceeded(.time(seconds: budget)) }
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
    /// Values of the statement's parameters (`$name`, `$1`, `?`) by lower-case name or
    /// number, bound by an embedding program; they hide session variables of the same name.
    public var parameters: [String: Value] = [:]

    public init(now: Int64, cancellation: CancellationToken, catalog: Catalog, threads: Int = 1) {
        self.now = now
        self.cancellation = cancellation
        self.catalog = catalog
        self.threads = Swift.max(1, threads)
    }
}

// What every operator and kernel of one statement shares: the statement's fixed `now()`,
// the cancellation flag that Ctrl-C sets, the catalog, the statement's run-time caches and
// how many threads may run it.

import Synchronization

/// Set from another thread (a signal handler's watcher, an embedding program's `cancel()`,
/// the memory watch) to stop the running statement. Operators check it once per batch and
/// throw `ExecutionError.cancelled`, or `.limitExceeded(.memory)` when the memory watch
/// stopped it. A statement's token may have a parent (the database's, so cancelling the
/// database stops each of its statements) and a deadline (the statement's time budget, which
/// throws `ExecutionError.limitExceeded(.time)` once passed).
public final class CancellationToken: Sendable {
    /// 0: running; 1: cancelled; any other value: the memory limit (bytes) the watch saw passed.
    private let state = Atomic<Int>(0)
    /// The memory held when the watch stopped the statement.
    private let memoryNeeded = Atomic<Int>(0)
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

    public var isCancelled: Bool { state.load(ordering: .relaxed) != 0 || (parent?.isCancelled ?? false) }
    public func cancel() { state.store(1, ordering: .relaxed) }
    public func reset() { state.store(0, ordering: .relaxed) }

    /// Stops the statement because the process holds `needed` bytes, over `limit`.
    public func exceedMemory(limit: Int, needed: Int) {
        memoryNeeded.store(needed, ordering: .relaxed)
        _ = state.compareExchange(expected: 0, desired: Swift.max(2, limit), ordering: .relaxed)
    }

    /// Ends a stop for memory (not a Ctrl-C), so the next statement can run; true if there was one.
    public func clearMemoryStop() -> Bool {
        let value = state.load(ordering: .relaxed)
        guard value > 1 else { return false }
        return state.compareExchange(expected: value, desired: 0, ordering: .relaxed).exchanged
    }

    /// Throws `ExecutionError.cancelled` if cancellation was asked for,
    /// `ExecutionError.limitExceeded(.memory)` after the memory watch stopped the statement,
    /// or `ExecutionError.limitExceeded(.time)` past the deadline.
    @inline(__always)
    public func check() throws {
        let value = state.load(ordering: .relaxed)
        if value != 0 { try stopped(value) }
        if parent != nil || deadline != nil { try checkSlow() }
    }

    private func stopped(_ value: Int) throws {
        if value == 1 { throw ExecutionError.cancelled }
        throw ExecutionError.limitExceeded(.memory(limit: value, needed: memoryNeeded.load(ordering: .relaxed)))
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

// The engine's public face: a database holds tables and runs statements.
// Placeholder until the session (prepare → optimize → execute) lands.

import AQSyntax

/// An in-memory aq database. Not thread-safe: one statement at a time.
///
///     let db = Database()
///     let result = try db.query("SELECT 1 + 1 AS two")
///     result.value(row: 0, column: 0)   // .integer(2)
public final class Database: @unchecked Sendable {
    public let catalog = Catalog()
    /// Set by the shell's Ctrl-C handler; the running statement stops with `cancelled`.
    public let cancellation = CancellationToken()
    /// Called during long loads with progress, for a terminal progress bar.
    public var loadProgress: ((LoadProgress) -> Void)?

    public init() {}

    /// Runs every statement of `source` in order, calling `onResult` after each, and stops at
    /// the first error, which it throws (statements before it have taken effect).
    public func execute(_ source: Source, onResult: (StatementResult) throws -> Void) throws {
        for parsed in Parser.parseScript(source) {
            switch parsed {
            case .error(let error): throw AQError(error, source: source)
            case .statement: throw AQError(ExecutionError.unsupported("this statement", range: nil), source: source)
            }
        }
    }

    /// Runs `sql` and returns the last statement's result.
    @discardableResult
    public func query(_ sql: String) throws -> StatementResult {
        var last = StatementResult(message: "")
        try execute(Source(sql)) { last = $0 }
        return last
    }
}

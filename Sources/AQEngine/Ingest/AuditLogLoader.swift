// Entry points of the log readers (placeholders until the readers land).

public enum AuditLogLoader {
    /// Loads a file or directory of registry audit logs into the `events` table of `catalog`
    /// (created on first use), detecting each file's format unless `format` names one.
    public static func load(path: String, format: String?, into catalog: Catalog,
                            cancellation: CancellationToken? = nil,
                            progress: ((LoadProgress) -> Void)? = nil) throws -> LoadReport {
        throw ExecutionError.unsupported("LOAD", range: nil)
    }
}

public enum TableFileLoader {
    /// Loads a CSV or JSON-lines file into a new table `table` with inferred column types.
    public static func load(path: String, table: String, into catalog: Catalog,
                            cancellation: CancellationToken? = nil) throws -> LoadReport {
        throw ExecutionError.unsupported("LOAD … AS", range: nil)
    }
}

// `LOAD 'file' AS t`: a CSV or JSON-lines file into a table of its own, column types inferred.

public enum TableFileLoader {
    /// Loads a CSV or JSON-lines file into a new table `table` with inferred column types.
    public static func load(path: String, table: String, into catalog: Catalog,
                            cancellation: CancellationToken? = nil) throws -> LoadReport {
        throw ExecutionError.unsupported("LOAD … AS", range: nil)
    }
}

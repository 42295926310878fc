// Runs a logical plan: builds physical operators and pulls batches through them
// (placeholder until the operators land).

public enum Executor {
    /// Runs `plan` to completion and returns its batches.
    public static func run(_ plan: LogicalPlan, _ context: ExecutionContext) throws -> [Batch] {
        throw ExecutionError.unsupported("query execution", range: nil)
    }
}

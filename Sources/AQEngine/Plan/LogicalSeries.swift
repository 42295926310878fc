// A table function in FROM (`range`, `generate_series`) as the binder leaves it: its bound
// constant arguments, typed and counted; the rows are made when the plan runs.

import AQSyntax

public struct LogicalSeries: Sendable {
    /// `range` or `generate_series`, for messages and EXPLAIN.
    public var function: String
    /// `[start,] stop [, step]` over integers, or start, stop, INTERVAL step over timestamps;
    /// column-free and without subqueries.
    public var arguments: [BoundExpr]
    /// Whether `stop` itself is a row (generate_series).
    public var inclusive: Bool
    /// The one output column: INTEGER or TIMESTAMP.
    public var column: ColumnSchema
    /// The call, where errors about the whole of it point.
    public var range: SourceRange?

    public init(function: String, arguments: [BoundExpr], inclusive: Bool, column: ColumnSchema, range: SourceRange?) {
        self.function = function
        self.arguments = arguments
        self.inclusive = inclusive
        self.column = column
        self.range = range
    }
}

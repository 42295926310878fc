// A named query of the catalog: its syntax tree and the text it came from. It is bound
// anew each time a query names it, so it sees the tables as they are then.

import AQSyntax

public final class View: @unchecked Sendable {
    public let name: String
    public let query: Query
    /// The text of the statement that created it (the query's ranges index into it).
    public let source: Source
    /// Names given in `CREATE VIEW v (a, b)`.
    public let columnNames: [String]
    /// The output columns when it was created (for completion; a use binds it again).
    public let columns: [ColumnSchema]

    public init(name: String, query: Query, source: Source, columnNames: [String], columns: [ColumnSchema]) {
        self.name = name
        self.query = query
        self.source = source
        self.columnNames = columnNames
        self.columns = columns
    }
}

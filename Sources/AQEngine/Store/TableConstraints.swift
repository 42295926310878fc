// What a table promises about its rows beyond their types: keys whose values are distinct
// (PRIMARY KEY, UNIQUE) and the defaults of columns an INSERT leaves out. INSERT enforces
// them (Database+Constraints); the hash indexes of the keys live here.

import AQSyntax

/// A PRIMARY KEY or UNIQUE constraint: no two rows have equal values in `columns` (rows
/// with a NULL among them excepted; a primary key's columns are NOT NULL besides).
public struct UniqueKey: Sendable {
    public var columns: [Int]
    public var primary: Bool

    public init(columns: [Int], primary: Bool) {
        self.columns = columns
        self.primary = primary
    }
}

/// `DEFAULT expr` of a column, kept as written (with the text it was written in) so that
/// each INSERT binds it anew: `DEFAULT now()` is the time of the insert.
public struct ColumnDefault: @unchecked Sendable {
    public var expr: Expr
    public var source: Source

    public init(expr: Expr, source: Source) {
        self.expr = expr
        self.source = source
    }
}

/// A table's keys and defaults.
public struct TableConstraints: @unchecked Sendable {
    public var keys: [UniqueKey] = []
    /// Defaults by column position.
    public var defaults: [Int: ColumnDefault] = [:]
    /// The distinct key values of the rows stored, one table per key, built on first use.
    let indexes = KeyIndexes()

    public init() {}

    public var isEmpty: Bool { keys.isEmpty && defaults.isEmpty }
}

/// Hash tables of key values (see `KeyTable`), one per unique key, or nil when not built
/// yet (or dropped after a failed insert left keys in it that no row has).
final class KeyIndexes: @unchecked Sendable {
    var tables: [KeyTable?] = []

    func reset() { tables = [] }
}

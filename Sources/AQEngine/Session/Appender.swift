// Rows added to a table from Swift, a batch at a time: the fast way in for data that is not
// in a log file (DuckDB's appender).

import AQSyntax

/// Adds rows to one table. Each row's values are cast to the columns' types (a value that
/// does not convert is an error naming it); rows are stored a batch at a time, and by
/// `flush()`, where NOT NULL, keys and the memory limit are checked: rows that break one are
/// not stored, and the table keeps what it had. Rows not flushed are dropped with the appender.
///
///     let appender = try db.appender(table: "owners")
///     try appender.append(["payments/api", "team-payments"])
///     try appender.flush()
///
/// Used by one thread at a time.
public final class Appender {
    private let database: Database
    private let table: Table
    private var builders: [VectorBuilder]
    private var count = 0

    init(database: Database, table: Table) {
        self.database = database
        self.table = table
        builders = table.columns.map { VectorBuilder(type: $0.type) }
    }

    /// Adds one row: a value per column, in the table's column order.
    public func append(_ row: [Value]) throws {
        guard row.count == table.columns.count else {
            throw AQError.api(.rowWidth(table: table.name, expected: table.columns.count, found: row.count))
        }
        var cast: [Value] = []
        cast.reserveCapacity(row.count)
        for (value, column) in zip(row, table.columns) {
            do {
                cast.append(value.type == column.type ? value : try Cast.value(value, to: column.type))
            } catch {
                throw Rows.wrap(error, source: Source(""), statement: nil)
            }
        }
        for (i, value) in cast.enumerated() { builders[i].append(value) }
        count += 1
        if count == Batch.capacity { try flush() }
    }

    /// Stores the rows appended since the last flush.
    public func flush() throws {
        guard count > 0 else { return }
        let batch = Batch(columns: builders.map { $0.build() }, count: count)
        builders = table.columns.map { VectorBuilder(type: $0.type) }
        count = 0
        try database.writing {
            guard database.catalog.table(named: table.name) === table else {
                throw AQError.api(.unknownTable(table.name))
            }
            let range = SourceRange(start: 0, end: 0)
            do {
                for i in table.notNullColumns.sorted() where (0..<batch.count).contains(where: { batch.columns[i].isNull($0) }) {
                    throw ExecutionError.notNullViolation(column: table.columns[i].name, range: nil)
                }
                try database.checkKeys(table, [batch], range: range)
                try database.withinMemoryLimit(database.settings.memoryLimit) { table.append(batch) }
            } catch {
                throw Rows.wrap(error, source: Source(""), statement: nil)
            }
        }
    }
}

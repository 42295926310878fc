// The text of one cell of a result, shared by every output format.

import AQEngine

/// The canonical text of a value as DuckDB prints it; nil for NULL.
func cellText(_ value: Value) -> String? {
    switch value {
    case .null: return nil
    case .boolean(let b): return b ? "true" : "false"
    case .integer(let i): return String(i)
    case .double(let d): return doubleText(d)
    case .varchar(let s), .json(let s): return s
    case .date(let days): return TimeMath.formatDate(days)
    case .timestamp(let ns): return TimeMath.formatTimestamp(ns)
    case .interval(let i): return TimeMath.formatInterval(i)
    }
}

/// The text of row `row` of column `vector`; nil for NULL.
@inline(__always)
func cellText(_ vector: Vector, _ row: Int) -> String? {
    if vector.isNull(row) { return nil }
    switch vector.storage {
    case .string(let strings): return strings.string(row)
    case .int64(let values) where vector.type == .integer: return String(values[row])
    default: return cellText(vector.value(at: row))
    }
}

/// Shortest text that reads back as the same double; `inf`, `-inf`, `nan` as DuckDB spells them.
func doubleText(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    return d.description
}

/// Whether a column's values are numbers (right-aligned in tables, unquoted in JSON).
func isNumeric(_ type: DataType) -> Bool { type == .integer || type == .double }

/// The SQL name of a column's type for table headers, lower-case as DuckDB shows it.
func typeLabel(_ type: DataType) -> String {
    type == .null ? "null" : type.description.lowercased()
}

/// Every row of a result, in order: (batch, row within the batch).
func forEachRow(_ result: StatementResult, _ body: (Batch, Int) -> Void) {
    for batch in result.batches {
        for row in 0..<batch.count { body(batch, row) }
    }
}

// The text of one cell of a result, shared by every output format.

import AQEngine

/// The text of row `row` of `vector` as DuckDB prints it (the engine's canonical text);
/// nil for NULL.
@inline(__always)
func cellText(_ vector: Vector, _ row: Int) -> String? {
    vector.text(at: row)
}

/// Whether a column's values are numbers (right-aligned in tables, unquoted in JSON).
func isNumeric(_ type: DataType) -> Bool { type == .integer || type == .double }

/// The SQL name of a column's type for table headers, lower-case as DuckDB shows it.
func typeLabel(_ type: DataType) -> String {
    type == .null ? "null" : type.description.lowercased()
}

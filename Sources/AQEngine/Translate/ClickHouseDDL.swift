// The ClickHouse table for `events` and the statement that loads an aq export into it.
// Types follow the data: LowCardinality for strings with few distinct values, Nullable only
// where a NULL occurs; partitions by month, sorted for the filters investigations use most
// (action, repository, time).

public enum ClickHouseDDL {
    /// Distinct values up to which a string column is LowCardinality.
    static let lowCardinalityLimit = 10_000

    /// `CREATE TABLE events …` and the INSERT from `location` (a path, a glob, or an
    /// `s3://` / `https://` address).
    public static func script(events: Table?, location: String?) -> String {
        let columns: [ColumnSchema] = events?.columns ?? EventColumn.allCases.map { ColumnSchema(name: $0.name, type: $0.type) }
        var lines: [String] = []
        for (i, c) in columns.enumerated() {
            var type = ClickHouseTypes.name(c.type)
            let nullable = events.map { hasNull($0, column: i) } ?? true
            if nullable { type = "Nullable(\(type))" }
            if c.type == .varchar, let events, distinctCount(events, column: i, limit: lowCardinalityLimit) <= lowCardinalityLimit {
                type = "LowCardinality(\(type))"
            }
            lines.append("    \(c.name) \(type)")
        }
        let names = Set(columns.map(\.name))
        let order = ["action", "repository", "time"].filter { names.contains($0) }
        var sql = "CREATE TABLE events\n(\n" + lines.joined(separator: ",\n") + "\n)\nENGINE = MergeTree\n"
        if names.contains("time") {
            sql += "PARTITION BY toYYYYMM(ifNull(time, toDateTime64(0, 9, 'UTC')))\n"
        }
        sql += "ORDER BY (" + order.joined(separator: ", ") + ")\nSETTINGS allow_nullable_key = 1;\n\n"
        let place = location ?? "events.parquet"
        let lower = place.lowercased()
        let source = lower.hasPrefix("s3://") || lower.hasPrefix("https://") || lower.hasPrefix("http://")
            ? "s3('\(escaped(place))', Parquet)" : "file('\(escaped(place))', Parquet)"
        sql += "INSERT INTO events\nSELECT " + columns.map(\.name).joined(separator: ", ") + "\nFROM " + source + ";"
        return sql
    }

    /// Distinct values of a string column, counted up to just past `limit`: the shared
    /// dictionary's size when the column has one.
    static func distinctCount(_ table: Table, column: Int, limit: Int) -> Int {
        if column < table.dictionaries.count, let dictionary = table.dictionaries[column] { return dictionary.count }
        var seen = Set<String>()
        for chunk in table.chunks {
            let v = chunk.columns[column]
            for i in 0..<v.count {
                if let text = v.text(at: i) { seen.insert(text) }
                if seen.count > limit { return seen.count }
            }
        }
        return seen.count
    }

    static func hasNull(_ table: Table, column: Int) -> Bool {
        table.chunks.contains { $0.columns[column].validity.map { $0.nullCount > 0 } ?? false || isAllNull($0.columns[column]) }
    }

    private static func isAllNull(_ v: Vector) -> Bool {
        if case .null = v.storage { return v.count > 0 }
        return false
    }

    static func escaped(_ s: String) -> String {
        s.replacingBytes(of: UInt8(ascii: "\\"), with: "\\\\").replacingBytes(of: UInt8(ascii: "'"), with: "\\'")
    }
}

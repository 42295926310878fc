// The benchmark's rows and queries. Every value is a formula of the row number, written
// once here in Swift and once in `bench/engine_vs_duckdb.py` in SQL, so that aq and DuckDB
// hold the same rows without a file between them.

import AQEngine

enum BenchData {
    static let actions = ["pull", "pull_layer", "push", "push_layer", "delete",
                          "list", "auth", "config", "scan", "other"]
    /// 2024-03-04 00:00:00 UTC in nanoseconds.
    static let start: Int64 = 1_709_510_400 * 1_000_000_000

    static let queries: [(String, String)] = [
        ("filter_dictionary_string", "SELECT count(*) AS n FROM bench WHERE action = 'push'"),
        ("filter_timestamp_range", "SELECT count(*) AS n FROM bench WHERE time >= '2024-04-01' AND time < '2024-04-08'"),
        ("group_low_cardinality", "SELECT action, count(*) AS n FROM bench GROUP BY action ORDER BY action"),
        ("group_high_cardinality_count_distinct", "SELECT source_ip, count(DISTINCT actor) AS actors FROM bench GROUP BY source_ip ORDER BY actors DESC, source_ip LIMIT 10"),
        ("order_by_limit_20", "SELECT time, source_ip, action FROM bench ORDER BY time DESC LIMIT 20"),
        ("hash_join_1000_rows", "SELECT l.owner, count(*) AS n FROM bench b JOIN lookup l ON b.actor = l.actor GROUP BY l.owner ORDER BY n DESC, l.owner LIMIT 10"),
    ]

    /// Creates `bench` (`rows` rows) and `lookup` (1,000 rows) in the catalog.
    static func build(rows: Int, into catalog: Catalog) {
        let bench = Table(name: "bench", columns: [
            ColumnSchema(name: "time", type: .timestamp),
            ColumnSchema(name: "action", type: .varchar),
            ColumnSchema(name: "repository", type: .varchar),
            ColumnSchema(name: "source_ip", type: .varchar),
            ColumnSchema(name: "actor", type: .varchar),
            ColumnSchema(name: "status", type: .integer),
        ])
        let dictionaries = (0..<4).map { _ in StringDictionary() }
        for (k, d) in dictionaries.enumerated() { bench.dictionaries[k + 1] = d }
        var i = 0
        while i < rows {
            let n = min(Batch.capacity, rows - i)
            var times = [Int64](), statuses = [Int64]()
            var codes = [[UInt32]](repeating: [], count: 4)
            times.reserveCapacity(n)
            statuses.reserveCapacity(n)
            for r in Int64(i)..<Int64(i + n) {
                let x = (r &* 2_654_435_761) % 4_294_967_296
                let y = ((r + 1) &* 2_246_822_519) % 4_294_967_296
                let z = y % 1_000_000
                times.append(start + r * 500_000_000 + (x % 1000) * 1_000_000)
                statuses.append(x % 33 == 0 ? 403 : 200)
                codes[0].append(dictionaries[0].code(for: actions[Int(x % 10)]))
                codes[1].append(dictionaries[1].code(for: "ns\(y % 8)/app\(y % 40)"))
                codes[2].append(dictionaries[2].code(for: "10.\(z / 65536).\(z / 256 % 256).\(z % 256)"))
                codes[3].append(dictionaries[3].code(for: "user\(x / 16 % 1200)"))
            }
            // Kept as the loader keeps a table's strings: codes narrowed to 1, 2 or 4 bytes.
            var columns: [StoredColumn] = [.vector(Vector(type: .timestamp, storage: .int64(times)))]
            for k in 0..<4 {
                columns.append(.codes(NarrowCodes(codes[k]), dictionary: dictionaries[k], type: .varchar, validity: nil))
            }
            columns.append(.vector(Vector(type: .integer, storage: .int64(statuses))))
            bench.append(packed: StoredChunk(count: n, columns: columns))
            i += n
        }
        catalog.add(bench)

        let lookup = Table(name: "lookup", columns: [
            ColumnSchema(name: "actor", type: .varchar),
            ColumnSchema(name: "owner", type: .varchar),
        ])
        var actor = StringHeap(), owner = StringHeap()
        for k in 0..<1000 {
            actor.append("user\(k)")
            owner.append("team\(k % 20)")
        }
        lookup.append(Batch(columns: [
            Vector(type: .varchar, storage: .string(.flat(actor))),
            Vector(type: .varchar, storage: .string(.flat(owner))),
        ], count: 1000))
        catalog.add(lookup)
    }

    /// A value as the comparison script writes it.
    static func text(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let x): return String(x)
        case .double(let x): return String(x)
        case .varchar(let s), .json(let s): return s
        case .date(let d): return TimeMath.formatDate(d)
        case .timestamp(let t): return TimeMath.formatTimestamp(t)
        case .interval(let v): return TimeMath.formatInterval(v)
        case .list: return formatted(value) ?? "NULL"
        }
    }
}

// aq-embedbench: times the embedding API, for `bench/embedding_vs_duckdb.py`, which runs the
// same work through aq's C API and DuckDB's Python API in the same run.
//
//     aq-embedbench [--rows N] [--runs K] [--executions M]
//
// - stream_batches / stream_rows: every row of a table of N rows (i INTEGER, actor VARCHAR,
//   x DOUBLE) read through `Rows`, as columns of each batch or as `Row` values;
// - prepared / reparsed: M lookups in a 1,000-row table by a parameter that changes each time,
//   through one prepared statement, or by running the text with the value written in.
// Prints one JSON object per measurement: {"name", "median_s", "min_s", "rows"}.

import AQEngine
import BenchClock

#if canImport(Glibc)
import Glibc
#endif

var rows = 1_000_000
var runs = 5
var executions = 1000
var arguments = Array(CommandLine.arguments.dropFirst())
while arguments.count >= 2 {
    let flag = arguments.removeFirst(), value = arguments.removeFirst()
    switch (flag, Int(value)) {
    case ("--rows", let n?): rows = n
    case ("--runs", let n?): runs = n
    case ("--executions", let n?): executions = n
    default:
        print("usage: aq-embedbench [--rows N] [--runs K] [--executions M]")
        exit(2)
    }
}

func measure(_ name: String, _ body: () throws -> Int) rethrows {
    let (times, count) = try Timings.measure(runs: runs, body)
    print("{\"name\": \"\(name)\", \"median_s\": \(times.median), \"min_s\": \(times.minimum), \"rows\": \(count ?? 0)}")
}

do {
    let db = Database()
    try db.query("CREATE TABLE s AS SELECT range AS i, 'actor' || (range % 1000) AS actor, range * 0.5 AS x FROM range(\(rows))")
    try db.query("CREATE TABLE small AS SELECT range AS i, 'actor' || range AS actor, range * 0.5 AS x FROM range(1000)")
    let scan = try db.prepare("SELECT i, actor, x FROM s")

    try measure("stream_batches") {
        let result = try scan.query()
        var n = 0, sum: Int64 = 0, bytes = 0, total = 0.0
        while let batch = try result.nextBatch() {
            n += batch.count
            if case .int64(let v) = batch.columns[0].storage { for x in v { sum &+= x } }
            if case .string(let s) = batch.columns[1].storage {
                for r in 0..<batch.count { bytes += s.withBytes(r) { $0.count } }
            }
            if case .double(let v) = batch.columns[2].storage { for x in v { total += x } }
        }
        if sum < 0 || bytes < 0 || total < 0 { print("") }
        return n
    }

    try measure("stream_rows") {
        let result = try scan.query()
        var n = 0, bytes = 0
        while let row = try result.next() {
            n += 1
            if case .varchar(let s) = try row[1] { bytes += s.utf8.count }
            _ = try row[0]
            _ = try row[2]
        }
        if bytes < 0 { print("") }
        return n
    }

    let lookup = try db.prepare("SELECT i, x FROM small WHERE actor = $1")
    try measure("prepared") {
        var n = 0
        for k in 0..<executions {
            n += try lookup.query(.varchar("actor\(k % 1000)")).collect().rowCount
        }
        return n
    }

    try measure("reparsed") {
        var n = 0
        for k in 0..<executions {
            n += try db.query("SELECT i, x FROM small WHERE actor = 'actor\(k % 1000)'").rowCount
        }
        return n
    }
} catch {
    print("aq-embedbench: \(error)")
    exit(1)
}

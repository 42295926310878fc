// aq-bench: times the engine on generated rows, single-threaded, for comparison with DuckDB.
// `bench/engine_vs_duckdb.py` runs it and DuckDB on the same rows (both derive them from
// the same formulas, `BenchData`) and reports both and the ratio.
//
//     aq-bench [--rows N] [--runs K] [--threads T] [--query SQL]…
//
// `--threads` (default 1) sets the engine's threads; `--query` (repeatable) times these
// statements instead of the standard set.
// prints one JSON object per query: {"name", "sql", "median_s", "min_s", "rows", "result"}.

import AQEngine
import AQSyntax
import BenchClock

#if canImport(Glibc)
import Glibc
#endif

var rows = 10_000_000
var runs = 5
var threads = 1
var customQueries: [(String, String)] = []
var arguments = Array(CommandLine.arguments.dropFirst())
func usage() -> Never {
    print("usage: aq-bench [--rows N] [--runs K] [--threads T] [--query SQL]...")
    exit(2)
}
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard let value = arguments.first else { usage() }
    arguments.removeFirst()
    switch flag {
    case "--rows": guard let n = Int(value) else { usage() }; rows = n
    case "--runs": guard let n = Int(value) else { usage() }; runs = n
    case "--threads": guard let n = Int(value), n >= 1 else { usage() }; threads = n
    case "--query": customQueries.append(("query\(customQueries.count + 1)", value))
    default: usage()
    }
}

let db = Database()
db.threads = threads
let built = seconds()
BenchData.build(rows: rows, into: db.catalog)
let buildTime = seconds() - built
print(#"{"name": "generate", "rows": \#(rows), "seconds": \#(buildTime)}"#)

for (name, sql) in customQueries.isEmpty ? BenchData.queries : customQueries {
    let times: Timings
    let result: StatementResult
    do {
        let (measured, last) = try Timings.measure(runs: runs, warmups: 1) { try db.query(sql) }
        guard let last else { continue }
        (times, result) = (measured, last)
    } catch {
        print(#"{"name": "\#(name)", "error": \#(JSONOutput.string("\(error)"))}"#)
        continue
    }
    let text = result.rows.map { row in row.map(BenchData.text).joined(separator: ",") }.joined(separator: "\n")
    print(#"{"name": "\#(name)", "sql": \#(JSONOutput.string(sql)), "median_s": \#(times.median), "min_s": \#(times.minimum), "rows": \#(result.rowCount), "result": \#(JSONOutput.string(text))}"#)
}

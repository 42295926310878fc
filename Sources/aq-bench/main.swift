// aq-bench: times the engine on generated rows, single-threaded, for comparison with DuckDB.
// `bench/engine_vs_duckdb.py` runs it and DuckDB on the same rows (both derive them from
// the same formulas, `BenchData`) and reports both and the ratio.
//
//     aq-bench [--rows N] [--runs K] [--query SQL]…
//
// `--query` (repeatable) times these statements instead of the standard set.
// prints one JSON object per query: {"name", "sql", "median_s", "min_s", "rows", "result"}.

import AQEngine
import AQSyntax

#if canImport(Glibc)
import Glibc
#endif

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var rows = 10_000_000
var runs = 5
var customQueries: [(String, String)] = []
var arguments = Array(CommandLine.arguments.dropFirst())
func usage() -> Never {
    print("usage: aq-bench [--rows N] [--runs K] [--query SQL]...")
    exit(2)
}
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard let value = arguments.first else { usage() }
    arguments.removeFirst()
    switch flag {
    case "--rows": guard let n = Int(value) else { usage() }; rows = n
    case "--runs": guard let n = Int(value) else { usage() }; runs = n
    case "--query": customQueries.append(("query\(customQueries.count + 1)", value))
    default: usage()
    }
}

let db = Database()
let built = seconds()
BenchData.build(rows: rows, into: db.catalog)
let buildTime = seconds() - built
print(#"{"name": "generate", "rows": \#(rows), "seconds": \#(buildTime)}"#)

for (name, sql) in customQueries.isEmpty ? BenchData.queries : customQueries {
    var times: [Double] = []
    var result = StatementResult(message: "")
    do {
        for run in 0...runs {
            let start = seconds()
            result = try db.query(sql)
            let elapsed = seconds() - start
            if run > 0 { times.append(elapsed) }
        }
    } catch {
        print(#"{"name": "\#(name)", "error": \#(jsonString("\(error)"))}"#)
        continue
    }
    times.sort()
    let text = result.rows.map { row in row.map(BenchData.text).joined(separator: ",") }.joined(separator: "\n")
    print(#"{"name": "\#(name)", "sql": \#(jsonString(sql)), "median_s": \#(times[times.count / 2]), "min_s": \#(times[0]), "rows": \#(result.rowCount), "result": \#(jsonString(text))}"#)
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16) }
            else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

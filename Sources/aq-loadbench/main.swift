// The load benchmark's probe: loads audit logs into `events` as `LOAD` does and prints the
// time, throughput, peak memory and the store's bytes per event with and without `raw`.
//
//     swift build -c release --product aq-loadbench
//     .build/release/aq-loadbench PATH [PATH…]

import AQEngine
import BenchClock

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let paths = Array(CommandLine.arguments.dropFirst())
guard !paths.isEmpty else {
    print("usage: aq-loadbench PATH [PATH…]")
    exit(2)
}
let catalog = Catalog()
var bytes = 0
var rows = 0
var skipped = 0
let start = seconds()
let cpuStart = cpuSeconds()
do {
    for path in paths {
        let report = try AuditLogLoader.load(path: path, format: nil, into: catalog)
        rows += report.rows
        skipped += report.skipped
        bytes += report.files.reduce(0) { $0 + ((try? fileSize($1.path)) ?? 0) }
    }
} catch {
    print("error: \(error)")
    exit(1)
}
let wall = seconds() - start
let cpu = cpuSeconds() - cpuStart

func fileSize(_ path: String) throws -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

guard let table = catalog.table(named: "events") else {
    print("error: nothing was loaded into events")
    exit(1)
}
let all = table.storageBytes()
let withoutRaw = table.storageBytes(columns: Set(table.columns.map(\.name)).subtracting(["raw"]))
let mb = Double(bytes) / 1e6
func fmt(_ x: Double) -> String {
    let scaled = (x * 10).rounded() / 10
    return String(scaled)
}
print("input            \(fmt(mb)) MB in \(paths.count) path(s)")
print("rows             \(rows) (\(skipped) records skipped)")
print("load time        \(fmt(wall * 1000)) ms wall, \(fmt(cpu * 1000)) ms cpu, \(fmt(cpu / wall)) cores")
print("throughput       \(fmt(mb / wall)) MB/s wall, \(fmt(mb / cpu)) MB/s per core")
print("peak RSS         \(peakKB() / 1024) MiB (input \(bytes >> 20) MiB)")
print("store            \(all >> 20) MiB: \(fmt(Double(all) / Double(max(rows, 1)))) bytes/event, "
      + "\(fmt(Double(withoutRaw) / Double(max(rows, 1)))) bytes/event without raw")

// What the benchmark probes (aq-bench, aq-embedbench, aq-loadbench) share: the clocks they
// read, how a repeated measurement becomes a median and a minimum, and how a figure is
// written as JSON text. The probes print; the Python scripts in `bench/` compare.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock seconds on the monotonic clock.
public func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// User plus system CPU seconds of this process.
public func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// The process's peak resident set, in KiB.
public func peakKB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss)
}

/// The times of `runs` runs of one piece of work, after `warmups` untimed ones.
public struct Timings {
    public private(set) var sorted: [Double]
    public var median: Double { sorted.isEmpty ? 0 : sorted[sorted.count / 2] }
    public var minimum: Double { sorted.first ?? 0 }

    public static func measure<T>(runs: Int, warmups: Int = 0,
                                  _ body: () throws -> T) rethrows -> (Timings, T?) {
        var times: [Double] = []
        var last: T?
        for run in 0..<(warmups + max(runs, 1)) {
            let start = seconds()
            last = try body()
            if run >= warmups { times.append(seconds() - start) }
        }
        return (Timings(sorted: times.sorted()), last)
    }
}

/// `s` as a JSON string literal.
public func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

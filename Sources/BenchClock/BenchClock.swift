// What the benchmark probes (aq-bench, aq-embedbench, aq-loadbench) share: the clocks they
// read and how a repeated measurement becomes a median and a minimum. The probes print (JSON
// text through the engine's `JSONOutput`); the Python scripts in `bench/` compare.

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

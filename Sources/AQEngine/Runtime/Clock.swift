// The one monotonic clock: load times, the shell's `.timer` and its progress bar; and the
// process's CPU time, which `.timer` shows beside the wall clock.

#if canImport(Glibc)
import Glibc
#endif

/// Seconds on a monotonic clock (not wall-clock time: it never jumps).
public enum Clock {
    public static var now: Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    public static func seconds(since start: Double) -> Double { now - start }

    /// The CPU seconds this process has used so far, in user and in system mode, summed over
    /// all its threads (the workers of a parallel statement included).
    public static var cpu: (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
                Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }
}

// The one monotonic clock: load times, the shell's `.timer` and its progress bar.

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
}

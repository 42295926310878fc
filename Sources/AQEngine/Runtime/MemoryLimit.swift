// The memory the process may hold while a statement or load runs (`SET memory_limit`, else
// a share of the machine's or the container's memory), and the watch that stops a statement
// or load whose process goes over it. (`Limits` words sizes and the error.)

import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum MemorySize {
    /// The memory this process may use: the machine's, or less when a cgroup (a container)
    /// caps it.
    public static var available: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        var total = pages > 0 && pageSize > 0 ? pages * pageSize : 8 << 30
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = firstLine(path), let cap = Int(text), cap > 0 { total = Swift.min(total, cap) }
        }
        return total
    }

    /// The default `memory_limit`: 80% of `available`, as DuckDB's.
    public static var defaultLimit: Int { available / 5 * 4 }

    /// The memory the process holds now (resident set), in bytes.
    public static var resident: Int {
        guard let text = firstLine("/proc/self/statm") else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// glibc's `malloc_trim(0)`: freed memory goes back to the system (looked up at run time;
    /// other C libraries do without).
    static func giveBackFreeMemory() {
        typealias Trim = @convention(c) (Int) -> Int32
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }

    private static func firstLine(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].prefix { $0 != 10 }, as: UTF8.self)
    }
}

/// Watches the process's memory while a statement or load runs: every few milliseconds it
/// looks at the resident memory and stops the work through its cancellation token (which
/// then throws `limitExceeded(.memory)`) when the process holds more than `ceiling` (by
/// default 80% of the machine's memory), or when a `growth` limit (`SET memory_limit`) is
/// given and the work has made the process grow by more than it. Growth below
/// `MemoryWatch.noise` is the allocator's, not the statement's, and is not judged: a small
/// `memory_limit` is held by the exact count of tables and results (`withinMemoryLimit`).
/// Allocations between two looks are not seen, so readers that can take a lot at once (a
/// file inflated) are bounded on their own.
public final class MemoryWatch: @unchecked Sendable {
    /// Growth the watch does not judge.
    public static let noise = 16 << 20

    private let timer: DispatchSourceTimer
    /// Set by `stop()`. A look already under way when the timer is cancelled would otherwise
    /// stop the token after `during` had cleared it, and the next statement would fail with
    /// this one's memory error: the look and `stop()` take this lock, so that once `stop()`
    /// returns no look touches the token.
    private let stopped = StopFlag()

    private final class StopFlag: @unchecked Sendable {
        private let lock = PlainMutex()
        private var stopped = false

        /// Runs `body` unless `stop()` has run, holding the lock while it runs.
        func unlessStopped(_ body: () -> Void) {
            lock.locked { if !stopped { body() } }
        }

        func stop() { lock.locked { stopped = true } }
    }

    /// Runs `body` under the watch.
    public static func during<T>(ceiling: Int, growth: Int?, token: CancellationToken, _ body: () throws -> T) rethrows -> T {
        let watch = MemoryWatch(ceiling: ceiling, growth: growth, token: token)
        defer {
            watch.stop()
            _ = token.clearMemoryStop()
        }
        do {
            return try body()
        } catch {
            if token.clearMemoryStop() {
                // What the statement held is free now: give it back, so the next one starts low.
                MemorySize.giveBackFreeMemory()
            }
            throw error
        }
    }

    private init(ceiling: Int, growth: Int?, token: CancellationToken) {
        let baseline = MemorySize.resident
        let allowedGrowth = growth.map { Swift.max($0, MemoryWatch.noise) }
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .userInitiated))
        timer.schedule(deadline: .now(), repeating: .milliseconds(10))
        let stopped = self.stopped
        timer.setEventHandler {
            stopped.unlessStopped {
                let resident = MemorySize.resident
                if resident > ceiling {
                    token.exceedMemory(limit: ceiling, needed: resident)
                } else if let growth, let allowedGrowth, resident - baseline > allowedGrowth {
                    token.exceedMemory(limit: growth, needed: resident - baseline)
                }
            }
        }
        timer.resume()
    }

    private func stop() {
        stopped.stop()
        timer.cancel()
    }
}

// The memory budget of a database (`SET memory_limit`): sizes as text (`4GB`, `512 MiB`),
// the default (a share of the machine's or the container's memory), and the watch that
// stops a statement or load whose process goes over it.

import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum MemorySize {
    /// Bytes in a size as DuckDB writes it: `4GB`, `512 MB`, `1.5GiB`, `100kb`, `1000000`
    /// (bytes). KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB of 1024. Nil when it is not one.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.filter { $0 != " " }.lowercased()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count)
        let scale: Double
        switch unit {
        case "", "b", "byte", "bytes": scale = 1
        case "k", "kb": scale = 1e3
        case "m", "mb": scale = 1e6
        case "g", "gb": scale = 1e9
        case "t", "tb": scale = 1e12
        case "kib": scale = 1024
        case "mib": scale = 1024 * 1024
        case "gib": scale = 1024 * 1024 * 1024
        case "tib": scale = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        let bytes = number * scale
        guard bytes < Double(Int.max / 2) else { return nil }
        return Int(bytes)
    }

    /// `1.6 GB`, `200 MB`, `512 KB`, `100 bytes` (powers of 1000, as DuckDB shows them).
    public static func text(_ bytes: Int) -> String {
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        for (scale, name) in units where Double(bytes) >= scale {
            let value = Double(bytes) / scale
            let tenths = Int((value * 10).rounded())
            return tenths % 10 == 0 ? "\(tenths / 10) \(name)" : "\(tenths / 10).\(tenths % 10) \(name)"
        }
        return "\(bytes) bytes"
    }

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
/// compares the resident memory with the limit, and when it is over, stops the work through
/// its cancellation token (which then throws `memoryLimitExceeded`). Allocations between two
/// looks are not seen, so readers that can take a lot at once (a file inflated) are bounded
/// on their own.
public final class MemoryWatch: @unchecked Sendable {
    private let timer: DispatchSourceTimer

    /// Runs `body` under the watch; a limit of 0 or less watches nothing.
    public static func during<T>(limit: Int, token: CancellationToken, _ body: () throws -> T) rethrows -> T {
        guard limit > 0 else { return try body() }
        let watch = MemoryWatch(limit: limit, token: token)
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

    private init(limit: Int, token: CancellationToken) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .userInitiated))
        timer.schedule(deadline: .now(), repeating: .milliseconds(10))
        timer.setEventHandler {
            if MemorySize.resident > limit { token.exceedMemory(limit: limit) }
        }
        timer.resume()
    }

    private func stop() { timer.cancel() }
}

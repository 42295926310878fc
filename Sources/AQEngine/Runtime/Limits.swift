// The limits an embedding program (or `SET memory_limit`) puts on a database or a statement:
// a memory budget, a time budget and a maximum number of result rows, and the error that
// says which was passed.

/// Limits on what a statement may use. `nil` is no limit. A limit passed stops the statement
/// with `ExecutionError.limitExceeded`; the database stays as it was before the statement and
/// goes on taking statements.
public struct Limits: Sendable, Equatable {
    /// Bytes that tables' data and a statement's held result may take together
    /// (`SET memory_limit`).
    public var memory: Int?
    /// Seconds a statement may run, from its start to its last row.
    public var time: Double?
    /// Rows a query may return.
    public var resultRows: Int?

    public init(memory: Int? = nil, time: Double? = nil, resultRows: Int? = nil) {
        self.memory = memory
        self.time = time
        self.resultRows = resultRows
    }

    /// These limits, with `other`'s where it sets one.
    public func overridden(by other: Limits) -> Limits {
        Limits(memory: other.memory ?? memory, time: other.time ?? time, resultRows: other.resultRows ?? resultRows)
    }
}

/// Which limit a statement passed.
public enum LimitExceeded: Sendable, Equatable {
    case memory(limit: Int, needed: Int)
    case time(seconds: Double)
    case resultRows(limit: Int)

    public var message: String {
        switch self {
        case .memory(let limit, let needed):
            return "memory limit of \(Limits.bytesText(limit)) exceeded (\(Limits.bytesText(needed)) needed)"
        case .time(let seconds):
            return "time limit of \(Limits.secondsText(seconds)) exceeded"
        case .resultRows(let limit):
            return "result row limit of \(limit) exceeded"
        }
    }
}

extension Limits {
    /// `512.0 MB`, `1.5 GB`, `900 bytes` (powers of 1,000, as DuckDB prints them).
    public static func bytesText(_ n: Int) -> String {
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        for (size, unit) in units where Double(n) >= size {
            let tenths = (Double(n) / size * 10).rounded() / 10
            return "\(tenths) \(unit)"
        }
        return "\(n) bytes"
    }

    static func secondsText(_ s: Double) -> String {
        let ms = (s * 1000).rounded()
        return ms < 1000 ? "\(Int(ms)) ms" : "\(ms / 1000) s"
    }

    /// A memory size as DuckDB's `memory_limit` takes it: `512MB`, `2 GiB`, `1.5GB`, `100000`
    /// (bytes); nil for text that is not one. `-1` is "no limit" (`.some(nil)`).
    public static func parseBytes(_ text: String) -> Int?? {
        let t = text.trimmingSpaces.lowercased()
        if t == "-1" || t == "none" { return .some(nil) }
        var digits = ""
        var rest = Substring(t)
        while let c = rest.first, c.isNumber || c == "." {
            digits.append(c)
            rest = rest.dropFirst()
        }
        guard let number = Double(digits), number >= 0 else { return nil }
        let unit = String(rest).trimmingSpaces
        let scale: Double
        switch unit {
        case "", "b", "byte", "bytes": scale = 1
        case "kb", "k": scale = 1e3
        case "mb", "m": scale = 1e6
        case "gb", "g": scale = 1e9
        case "tb", "t": scale = 1e12
        case "kib": scale = 1024
        case "mib": scale = 1024 * 1024
        case "gib": scale = 1024 * 1024 * 1024
        case "tib": scale = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        let bytes = number * scale
        guard bytes < 9e18 else { return nil }
        return .some(Int(bytes))
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

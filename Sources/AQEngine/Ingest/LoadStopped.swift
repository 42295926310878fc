// A load that stopped part-way (a file that cannot be read, a broken gzip stream, Ctrl-C, a
// limit): why, and exactly what stays loaded from before the stop and what was not read.

import AQSyntax

public struct LoadStopped: Diagnostic, Sendable {
    /// Why the load stopped (an `ExecutionError`: `.io` names the file).
    public var cause: ExecutionError
    /// The files read whole or in part before the stop, with their rows (these stay loaded).
    public var kept: [FileLoadReport]
    /// Files of the load not read at all.
    public var filesNotRead: Int
    /// The file being read when a stop that does not name one came (the memory watch).
    public var reading: String?

    public init(cause: ExecutionError, kept: [FileLoadReport], filesNotRead: Int, reading: String? = nil) {
        self.cause = cause
        self.kept = kept
        self.filesNotRead = filesNotRead
        self.reading = reading
    }

    public var range: SourceRange? { nil }

    public var rowsKept: Int { kept.reduce(0) { $0 + $1.rows } }

    /// `b.json.gz: gzip stream is truncated after 65,536 bytes; the load stopped there:
    /// kept 1,003 rows (a.json: 3 rows; b.json.gz: 1,000 rows, lines 1–1,000), not read:
    /// the rest of b.json.gz and 2 files after it`.
    public var message: String {
        var why = cause.isCancelled ? "interrupted" : cause.message
        if let reading { why = reading + ": " + why }
        let loaded = kept.filter { $0.rows > 0 }
        guard !loaded.isEmpty else {
            return why + "; nothing was loaded"
        }
        var parts = loaded.prefix(5).map { f -> String in
            var text = "\(f.path): \(LoadStopped.count(f.rows, "row"))"
            if let lines = f.linesRead { text += ", lines 1–\(LoadStopped.grouped(lines))" }
            return text
        }
        if loaded.count > 5 { parts.append("and \(LoadStopped.count(loaded.count - 5, "more file"))") }
        var text = why + "; the load stopped there: kept \(LoadStopped.count(rowsKept, "row")) (\(parts.joined(separator: "; ")))"
        var missing: [String] = []
        if let last = kept.last, last.linesRead != nil { missing.append("the rest of \(last.path)") }
        if filesNotRead > 0 { missing.append("\(LoadStopped.count(filesNotRead, "file")) after it") }
        if !missing.isEmpty { text += ", not read: " + missing.joined(separator: " and ") }
        return text
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return out
    }

    static func count(_ n: Int, _ noun: String) -> String {
        "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")"
    }
}

extension ExecutionError {
    var isCancelled: Bool {
        if case .cancelled = self { return true }
        return false
    }

    /// Whether this is the memory watch's stop, which names no file.
    var isMemoryStop: Bool {
        if case .limitExceeded(.memory) = self { return true }
        return false
    }
}

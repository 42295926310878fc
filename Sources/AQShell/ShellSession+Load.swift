// Loading audit logs from the shell (`--load`, `.load`): the report it prints and the
// progress bar a terminal shows meanwhile.

import AQEngine
import AQSyntax
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension ShellSession {
    /// Loads logs at `path` into `events`, printing what was loaded. False (with the reason
    /// shown) when the path cannot be read or the load fails.
    @discardableResult
    public func load(_ path: String, format: String? = nil) -> Bool {
        if let problem = FileSystem.readableError(path) {
            complain("cannot load \(problem)")
            return false
        }
        database.cancellation.reset()
        let bar = ProgressBar(enabled: interactive && isatty(2) == 1)
        defer { bar.finish() }
        do {
            let progress = database.loadProgress
            database.loadProgress = { bar.update($0) }
            defer { database.loadProgress = progress }
            let report = try database.load(path: path, format: format)
            bar.finish()
            note(ShellSession.summary(of: report))
            return true
        } catch {
            bar.finish()
            if let error = error as? ExecutionError, case .cancelled = error {
                complain("interrupted")
            } else if let diagnostic = error as? any Diagnostic {
                let message = diagnostic.message
                complain(message.contains(path) ? "cannot load \(message)" : "cannot load \(path): \(message)")
            } else {
                complain("cannot load \(path): \(error)")
            }
            return false
        }
    }

    /// `loaded 1,204 rows into events from 3 files in 0.41 s, skipped 2 records`, then file
    /// warnings and the skipped records shown: shorter than a LOAD statement's report,
    /// which lists every file.
    static func summary(of report: LoadReport) -> String {
        func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(grouped(n)) \(noun)s" }
        var head = "loaded \(count(report.rows, "row")) into \(report.table) from \(count(report.files.count, "file"))"
        head += " in " + (report.seconds < 1 ? "\(Int((report.seconds * 1000).rounded())) ms"
                                             : "\(Double(Int(report.seconds * 100)) / 100) s")
        if report.skipped > 0 { head += ", skipped \(count(report.skipped, "record"))" }
        var lines = [head]
        for file in report.files {
            if let warning = file.warning { lines.append("warning: \(file.path): \(warning)") }
        }
        for record in report.firstSkipped { lines.append("  skipped \(record.file):\(record.line): \(record.reason)") }
        let more = report.skipped - report.firstSkipped.count
        if more > 0, !report.firstSkipped.isEmpty { lines.append("  … and \(count(more, "more record"))") }
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress bar on standard error, redrawn at most ten times a second. The
/// loader may call `update` from its own threads.
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw = timespec()
        var drawn = false
    }

    let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: LoadProgress) {
        guard enabled, progress.bytesTotal > 0 else { return }
        state.withLock { state in
            let now = Clock.now()
            let elapsed = Double(now.tv_sec - state.lastDraw.tv_sec) + Double(now.tv_nsec - state.lastDraw.tv_nsec) / 1e9
            guard !state.drawn || elapsed >= 0.1 else { return }
            state.lastDraw = now
            state.drawn = true
            let fraction = min(1, Double(progress.bytesDone) / Double(progress.bytesTotal))
            let width = max(10, min(40, Terminal.width(fd: 2) - 40))
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let files = "\(progress.filesDone)/\(progress.filesTotal) files"
            ProgressBar.writeError("\r\(bar) \(Int(fraction * 100))%  \(files)  \(ProgressBar.megabytes(progress.bytesDone))\u{1B}[K")
        }
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        state.withLock { state in
            if state.drawn { ProgressBar.writeError("\r\u{1B}[K") }
            state.drawn = false
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        let tenths = bytes / 100_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    private static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

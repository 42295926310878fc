// Loading audit logs from the shell (`--load`, `.load`) through the database, as the LOAD
// statement does, and the progress bar a terminal shows during any load.

import AQEngine
import AQSyntax
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension ShellSession {
    /// Loads logs at `path` into `events` with `Database.load`, printing its report without
    /// the line per file (a directory of logs may hold thousands). False
    /// (with the reason shown) when the path cannot be read or the load fails.
    @discardableResult
    public func load(_ path: String, format: String? = nil) -> Bool {
        if let problem = FileSystem.readableError(path) {
            complain("cannot load \(problem)")
            return false
        }
        // As for a statement: in a script, an interrupt stays and stops it.
        if interactive { database.cancellation.reset() }
        do {
            let report = try withProgress { _ in try database.load(path: path, format: format) }
            note(Database.describe(report, listingFiles: false))
            return true
        } catch {
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

    /// Runs `body` with the database's load progress drawn on a terminal's standard error:
    /// the one progress path for `LOAD`, `--load` and `.load`. The bar is cleared after.
    func withProgress<T>(_ body: (ProgressBar) throws -> T) rethrows -> T {
        let bar = ProgressBar(enabled: interactive && Terminal.isTerminal(2))
        if bar.enabled { database.loadProgress = { bar.update($0) } }
        defer {
            bar.finish()
            database.loadProgress = nil
        }
        return try body(bar)
    }
}

/// A one-line progress bar on standard error, redrawn at most ten times a second. The
/// loader may call `update` from its own threads.
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw = 0.0
        var drawn = false
    }

    let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: LoadProgress) {
        guard enabled, progress.bytesTotal > 0 else { return }
        state.withLock { state in
            let now = Clock.now
            let elapsed = now - state.lastDraw
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

// The state of one shell: the database, the output settings that dot commands change, and
// running a statement's text with its results, timing and errors shown.

import AQEngine
import AQSyntax

#if canImport(Glibc)
import Glibc
#endif

/// A shell over one database. Used from one thread (the Ctrl-C watcher only cancels).
public final class ShellSession {
    public let database: Database
    public var format: OutputFormat
    /// `.timer on`: print `Run Time: real 0.004215 s user 0.003901 s sys 0.000000 s` after each statement.
    public var timer = false
    /// `.maxrows N` (nil: the default for where output goes).
    public var maxRows: Int?
    /// Results go here: standard output, or a file after `.output FILE`.
    public var output: OutputSink
    /// Errors, load reports for machine formats, progress.
    public let errors: OutputSink
    /// Whether a person is at a terminal (banner, screen-sized tables, progress bars).
    public let interactive: Bool
    /// The last result with rows, for `.chart` (nil after one too large to keep, see
    /// `ResultStream.keptByteLimit`).
    public var lastResult: StatementResult?
    /// Whether the last result with rows was too large to keep for `.chart`.
    var lastResultTooLarge = false
    /// `.nullvalue TEXT`: how NULL is shown (nil: each format's own).
    public var nullValue: String?
    /// `.headers on|off`: the header row of CSV.
    public var headers = true
    /// `.bail on` (or `-bail`): the first error stops the shell, at a terminal too.
    public var bail = false
    /// After `.once FILE`: where results go again once the next statement has run.
    var outputAfterOnce: OutputSink?
    /// `.read` nesting, to stop a script that reads itself.
    var readDepth = 0
    /// Set once the reader of the results went away (`aq … | head` when SIGPIPE is
    /// ignored): nothing more is run, and aq ends quietly with status 1.
    public private(set) var outputClosed = false
    /// Runs a statement's text, handing each statement's result to be written while the
    /// statement runs: the database's `stream` (tests put a recorder here).
    var execute: (Source, (ResultStream) throws -> Void) throws -> Void

    /// Rows a terminal shows by default before eliding the middle (DuckDB shows 40).
    public static let defaultScreenRows = 40

    public init(database: Database = Database(), format: OutputFormat = .table,
                output: OutputSink = .standardOutput(), errors: OutputSink = .standardError(),
                interactive: Bool = false) {
        self.database = database
        self.format = format
        self.output = output
        self.errors = errors
        self.interactive = interactive
        self.execute = { source, each in try database.stream(source) { try each(ResultStream($0)) } }
    }

    /// What limits apply to a table written now: a screen's when output is a terminal.
    var displayLimits: DisplayLimits {
        guard output.isTerminal else {
            return DisplayLimits(maxRows: maxRows.flatMap { $0 > 0 ? $0 : nil }, nullValue: nullValue, headers: headers)
        }
        let rows = maxRows ?? ShellSession.defaultScreenRows
        return DisplayLimits(maxRows: rows > 0 ? rows : nil, maxWidth: Terminal.width(fd: 1), color: true,
                             nullValue: nullValue, headers: headers)
    }

    /// Runs the statements of `source`, showing each result. Returns false after an error
    /// (shown on standard error), true when every statement ran.
    @discardableResult
    public func run(_ source: Source) -> Bool {
        // At a terminal, Ctrl-C stops one statement and the next one runs. In a script or
        // `-c` it stops the script: the interrupt stays, so nothing after it runs.
        if interactive { database.cancellation.reset() }
        defer { endOnce() }
        var ran = 0
        return withProgress { bar in
            var started = Clock.now, startedCPU = Clock.cpu
            do {
                try execute(source) { result in
                    bar.finish()
                    output.cancellation = database.cancellation
                    defer { output.cancellation = nil }
                    try show(result)
                    // The formats stop early once the token is stopped: say why (Ctrl-C, or
                    // the memory watch, whose stop is not an interrupt).
                    try database.cancellation.check()
                    if timer {
                        let cpu = Clock.cpu
                        note(Clock.timerLine(real: Clock.seconds(since: started),
                                             user: cpu.user - startedCPU.user,
                                             system: cpu.system - startedCPU.system))
                    }
                    output.flush()
                    if let failure = output.failure {
                        // Stop the statement's workers too; its rows have nowhere to go.
                        database.cancellation.cancel()
                        throw SystemError(path: output.path ?? "standard output", errno: failure)
                    }
                    ran += 1
                    started = Clock.now
                    startedCPU = Clock.cpu
                }
                output.flush()
                return true
            } catch {
                output.flush()
                if output.readerClosed {
                    // The reader went away (`| head`): quietly, as a process ended by
                    // SIGPIPE would.
                    outputClosed = true
                    return false
                }
                report(error)
                // At a terminal, several statements on one line: say that the rest did not run.
                if interactive {
                    let statements = StatementCompleteness.scan(source.bytes).statements
                        .filter { !InputLoop.isBlank(String(decoding: source.bytes[$0], as: UTF8.self)) }
                    let after = statements.count - ran - 1
                    if after > 0 {
                        complain("(the \(after == 1 ? "statement" : "\(after) statements") after the error on this input did not run)")
                    }
                }
                return false
            }
        }
    }

    /// After the statement that `.once` sent to a file: results go where they went before.
    func endOnce() {
        guard let previous = outputAfterOnce else { return }
        output.flush()
        output = previous
        outputAfterOnce = nil
    }

    /// Writes a statement's result: its rows in the current format as the statement makes
    /// them, or its message. An error while the rows are read is thrown after the rows
    /// written before it.
    public func show(_ result: ResultStream) throws {
        switch result.kind {
        case .message:
            if let message = result.message, !message.isEmpty { note(message) }
            for remark in result.notes { self.remark(remark) }
        case .rows:
            lastResult = nil
            try format.write(result, to: output, limits: displayLimits)
            lastResult = result.keptResult
            lastResultTooLarge = lastResult == nil
            if let message = result.message, !message.isEmpty { note(message) }
            for remark in result.notes { self.remark(remark) }
        }
    }

    /// A remark about a result (the coverage note): after the rows at a terminal, on
    /// standard error in scripts and for formats other programs read.
    public func remark(_ message: String) {
        let message = ControlText.escaped(message, keepingLineBreaks: true)
        if interactive && format.showsDiagnostics {
            output.line(message)
        } else {
            output.flush()
            errors.line(message)
            errors.flush()
        }
    }

    /// A message for the person (LOAD's report, CREATE's confirmation, the timer): with the
    /// results for the formats a person reads at a terminal, on standard error for the
    /// others, so that their output holds only data.
    public func note(_ message: String) {
        let message = ControlText.escaped(message, keepingLineBreaks: true)
        if !format.showsDiagnostics {
            output.flush()
            errors.line(message)
            errors.flush()
        } else {
            output.line(message)
        }
    }

    /// Shows an error on standard error: `AQError`s render with their line and caret.
    public func report(_ error: Error) {
        output.flush()
        var text = ControlText.escaped(ShellSession.describe(error), keepingLineBreaks: true)
        // After Ctrl-C the terminal has echoed `^C`: start on a line of our own.
        if interactive, text == "interrupted" { text = "\n" + text }
        errors.line(text)
        errors.flush()
    }

    /// Shows a message about the shell itself (a dot command's complaint) on standard error.
    public func complain(_ message: String) {
        output.flush()
        errors.line(ControlText.escaped(message, keepingLineBreaks: true))
        errors.flush()
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? AQError {
            if case .cancelled? = error.diagnostic as? ExecutionError { return "interrupted" }
            return error.description
        }
        if let error = error as? ExecutionError, case .cancelled = error { return "interrupted" }
        if let diagnostic = error as? any Diagnostic { return diagnostic.message }
        return "\(error)"
    }
}

extension Clock {
    /// `Run Time: real 0.004215 s user 0.007912 s sys 0.000310 s`, as SQLite's `.timer`
    /// words it (to the microsecond, so that fast statements can be measured). `user` and
    /// `sys` are the whole process's CPU time over the statement, every worker's included, so
    /// on several cores they can exceed `real`.
    static func timerLine(real: Double, user: Double, system: Double) -> String {
        "Run Time: real \(microseconds(real)) s user \(microseconds(user)) s sys \(microseconds(system)) s"
    }

    private static func microseconds(_ seconds: Double) -> String {
        let micros = Int((max(0, seconds) * 1_000_000).rounded())
        let whole = micros / 1_000_000, fraction = micros % 1_000_000
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 6 - digits.count))\(digits)"
    }
}

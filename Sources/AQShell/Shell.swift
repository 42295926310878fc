// aq's command line: options → loads → scripts, `-c` statements, standard input or the REPL,
// and the exit status (0 success, 1 a statement or load failed, 2 a usage error).

import AQEngine
import AQSyntax

#if canImport(Glibc)
import Glibc
#endif

public enum Shell {
    public static let version = "0.1.0"

    /// Runs aq with these arguments (without the program name); returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        if arguments.first == "translate" { return TranslateCommand.main(Array(arguments.dropFirst())) }
        let options: ShellOptions
        switch ShellOptions.outcome(of: arguments) {
        case .run(let parsed):
            options = parsed
        case .print(let text):
            print(text)
            return 0
        case .usageError(let message):
            writeError(ShellOptions.usageMessage(message))
            return 2
        }
        if options.showVersion {
            print("aq \(version)")
            return 0
        }

        let repl = options.actions.isEmpty && Terminal.isTerminal(0)
        let database = Database()
        if let threads = options.threads { database.threads = threads }
        // Before any other thread exists, so every thread inherits the blocked SIGINT. In a
        // script or `-c`, Ctrl-C stops the running statement (its rows written so far stay,
        // `interrupted` on standard error, exit status 1) and a second one ends aq at once.
        InterruptWatcher.start(cancelling: database.cancellation, secondEnds: !repl)
        let session = ShellSession(database: database, format: options.format, interactive: repl)
        // The whole session on one thread with a statement's deep stack, so statements run
        // where they are read instead of on a thread started for each.
        return (try? DeepStack.run { serve(options, session, repl: repl) }) ?? 1
    }

    /// Opens, loads and runs what the command line asks, then the shell or the scripts.
    private static func serve(_ options: ShellOptions, _ session: ShellSession, repl: Bool) -> Int32 {
        let database = session.database
        if let store = options.database, !open(store, in: session) { return 1 }
        for path in options.loads where !session.load(path) { return 1 }
        for (name, value) in options.parameters { database.setVariable(name, .varchar(value)) }
        session.bail = options.bail
        for text in options.initCommands {
            switch InputLoop(session: session, reader: TextLineReader(text)).run() {
            case .finished: continue
            case .failed: if !repl || options.bail || session.outputClosed { return 1 }
            case .quit: return 0
            }
        }

        if repl { return runREPL(session, loaded: options.loads) }
        if options.actions.isEmpty {
            let outcome = InputLoop(session: session, reader: DescriptorLineReader(fd: 0)).run()
            return outcome == .failed ? 1 : endStatus(session)
        }
        for action in options.actions {
            let outcome: InputOutcome
            switch action {
            case .command(let text):
                outcome = InputLoop(session: session, reader: TextLineReader(text)).run()
            case .script(let path) where path == "-":
                outcome = InputLoop(session: session, reader: DescriptorLineReader(fd: 0)).run()
            case .script(let path):
                guard let bytes = readScript(path) else { return 1 }
                outcome = InputLoop(session: session, reader: TextLineReader(bytes: bytes), fileName: path).run()
            }
            switch outcome {
            case .finished: continue
            case .failed: return 1
            case .quit: return 0
            }
        }
        return endStatus(session)
    }

    /// The exit status of a script whose input ended: 1 if Ctrl-C came while no statement
    /// ran (reading standard input, say), which stopped nothing but must not pass for success.
    private static func endStatus(_ session: ShellSession) -> Int32 {
        guard session.database.cancellation.isCancelled else { return 0 }
        session.complain("interrupted")
        return 1
    }

    /// The interactive shell: banner, then lines from libedit until `.quit` or Ctrl-D.
    static func runREPL(_ session: ShellSession, loaded: [String]) -> Int32 {
        session.output.line(banner(session.database.catalog, loaded: loaded, store: session.database.openedStore))
        session.output.flush()
        let database = session.database
        let names = { database.completionNames }
        let reader: any LineReader = EditLineReader(historyPath: historyPath(), names: names)
            ?? DescriptorLineReader(fd: 0, interactive: true)
        // `.bail on` ends the shell at the first error, with status 1.
        return InputLoop(session: session, reader: reader).run() == .failed ? 1 : 0
    }

    /// The start-up lines: what aq is, what is loaded, how to get help.
    static func banner(_ catalog: Catalog, loaded: [String], store: String? = nil) -> String {
        var lines = ["aq \(version) — SQL over container-registry audit logs"]
        if let store { lines.append("Opened store \(store) (SAVE writes back to it).") }
        let tables = catalog.allTables
        if tables.isEmpty {
            lines.append("Nothing loaded yet: LOAD 'path/to/logs'; reads audit logs into the events table.")
        } else {
            let list = tables.map { "\($0.name) (\(grouped($0.rowCount)) rows)" }.joined(separator: ", ")
            lines.append("Loaded: \(list)")
        }
        lines.append("Type .help for help, Tab to complete, .quit or Ctrl-D to leave.")
        return lines.joined(separator: "\n")
    }

    /// `$AQ_HISTORY`, else `~/.aq_history`; nil (no history file) when that is empty.
    static func historyPath() -> String? {
        if let value = getenv("AQ_HISTORY") {
            let path = String(cString: value)
            return path.isEmpty ? nil : path
        }
        let home = FileSystem.home
        return home.isEmpty ? nil : home + "/.aq_history"
    }

    /// Opens a saved store (`aq FILE.aqdb`) with `Database.open`, as the `OPEN` statement does.
    private static func open(_ path: String, in session: ShellSession) -> Bool {
        if let problem = FileSystem.readableError(path) {
            writeError("aq: cannot open \(problem)")
            return false
        }
        do {
            let opened = try session.database.open(path: path)
            for note in opened.notes { writeError(note) }
            return true
        } catch {
            writeError("aq: \(ShellSession.describe(error))")
            return false
        }
    }

    private static func readScript(_ path: String) -> [UInt8]? {
        do {
            return try FileSystem.readFile(path)
        } catch {
            writeError("aq: cannot read \(error)")
            return nil
        }
    }

    static func writeError(_ text: String) {
        var text = ControlText.escaped(text, keepingLineBreaks: true) + "\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

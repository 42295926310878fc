// The one input loop (SQLite's `process_input`): the terminal, script files, `-c`, standard
// input and `.read` all come through here. Lines gather into a statement until it is complete;
// a dot command counts only at the start of a statement.

import AQEngine
import AQSyntax

/// How a run of the loop ended.
public enum InputOutcome: Equatable, Sendable {
    /// The input ended and every statement ran.
    case finished
    /// A statement or command failed in a script (the loop stopped there).
    case failed
    /// `.quit`: the whole shell stops.
    case quit
}

/// Reads lines from a reader and runs them in a session.
public struct InputLoop {
    public let session: ShellSession
    public let reader: any LineReader
    /// The script's file name, for `file:line:column:` in errors (nil for `-c` and the REPL).
    public let fileName: String?

    public static let prompt = "aq> "
    public static let continuationPrompt = "..> "
    /// How deep `.read` may nest.
    public static let maxReadDepth = 16

    public init(session: ShellSession, reader: any LineReader, fileName: String? = nil) {
        self.session = session
        self.reader = reader
        self.fileName = fileName
    }

    /// Runs until the input ends, `.quit`, or (in a script) the first failure.
    public func run() -> InputOutcome {
        let interactive = reader.isInteractive
        var pending = ""          // the unfinished statement, lines joined with "\n"
        var pendingState = LexicalState.normal  // where a scan of `pending` ends
        var pendingStartLine = 1  // line number (1-based) of its first line
        var lineNumber = 0

        while true {
            let prompt = pending.isEmpty ? InputLoop.prompt : continuationPrompt(for: pendingState)
            let input = reader.readLine(prompt: prompt, pending: pending)
            switch input {
            case .interrupted:
                pending = ""
                pendingState = .normal
                continue
            case .end:
                guard !InputLoop.isBlank(pending) else { return .finished }
                if interactive {
                    // Ctrl-D at `..>`: the half-typed statement is dropped, not run (as sqlite3 does).
                    reader.addHistory(InputLoop.historyEntry(pending))
                    session.complain("(the unfinished statement was not run)")
                    return .finished
                }
                return runStatement(pending, startLine: pendingStartLine) ? .finished : .failed
            case .line(let line):
                lineNumber += 1 + line.utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 }
                if pending.isEmpty {
                    if InputLoop.isBlank(line) { continue }
                    if InputLoop.isDotCommand(line) {
                        if interactive { reader.addHistory(line.trimmingSpaces) }
                        switch DotCommandRunner(session: session, fileName: fileName).run(line, line: lineNumber) {
                        case .ok: continue
                        case .failed:
                            if !interactive || session.bail { return .failed }
                            continue
                        case .quit: return .quit
                        }
                    }
                    pendingStartLine = lineNumber - line.utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 }
                }
                // Unfinished text that ends in ordinary text cannot be completed by anything
                // but the new line: scan only that, so a statement of many lines is read in
                // linear time. Inside a string or comment, scan it all.
                let scan = pendingState == .normal
                    ? StatementCompleteness.scan(Array(line.utf8) + [UInt8(ascii: "\n")])
                    : StatementCompleteness.scan(Array((pending + line + "\n").utf8))
                pending += line
                pending += "\n"
                pendingState = scan.endState
                if !scan.statements.isEmpty, scan.restIsBlank, scan.endState == .normal {
                    let statement = pending
                    pending = ""
                    if interactive { reader.addHistory(InputLoop.historyEntry(statement)) }
                    if !runStatement(statement, startLine: pendingStartLine),
                       !interactive || session.bail || session.outputClosed {
                        return .failed
                    }
                }
            }
        }
    }

    /// Runs a statement's text; its line numbers count from `startLine` in scripts, from 1
    /// in the REPL (where each statement stands alone).
    private func runStatement(_ text: String, startLine: Int) -> Bool {
        let offset = reader.isInteractive ? 0 : startLine - 1
        return session.run(Source(text, fileName: fileName, lineOffset: offset))
    }

    /// The continuation prompt says what is open: a string, a quoted name or a comment.
    private func continuationPrompt(for state: LexicalState) -> String {
        switch state {
        case .normal: return InputLoop.continuationPrompt
        case .string: return "'.> "
        case .quotedIdentifier: return "\".> "
        case .blockComment: return "*.> "
        }
    }

    // MARK: Lines

    /// Whitespace and `--` comments only (such lines between statements are skipped).
    static func isBlank(_ text: String) -> Bool {
        let scan = StatementCompleteness.scan(Array(text.utf8))
        return scan.statements.isEmpty && scan.restIsBlank && scan.endState == .normal
    }

    /// A line that starts (after blanks) with `.` followed by a letter.
    static func isDotCommand(_ line: String) -> Bool {
        let trimmed = line.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard trimmed.first == UInt8(ascii: "."), trimmed.count > 1 else { return false }
        let second = trimmed[trimmed.index(after: trimmed.startIndex)]
        return (second >= 97 && second <= 122) || (second >= 65 && second <= 90)
    }

    /// A statement as it goes into history: one entry, without the final line break.
    static func historyEntry(_ statement: String) -> String {
        var entry = statement
        while let last = entry.last, last == "\n" || last == " " { entry.removeLast() }
        return entry
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

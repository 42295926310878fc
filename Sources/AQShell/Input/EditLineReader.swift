// The terminal's line reader: libedit with Emacs keys, Ctrl-R history search, a history file
// kept across sessions, context-aware tab completion, and Ctrl-C that clears the line.

import AQEngine
import CEditLine

#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a terminal through libedit.
public final class EditLineReader: LineReader {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    /// The prompt libedit shows, kept as C text for the prompt callback.
    private var promptText: UnsafeMutablePointer<CChar>
    /// The unfinished statement before the current line, for completion.
    private var pending = ""
    /// Set by the Ctrl-C key binding while a line is read.
    private var interrupted = false
    /// Names for completion, asked for at each Tab (the catalog changes as statements run).
    private let names: () -> CompletionNames

    public var isInteractive: Bool { true }

    /// Starts line editing on the terminal; nil when libedit cannot start.
    /// `historyPath` nil keeps no history file. A history file that cannot be read is ignored.
    public init?(historyPath: String?, names: @escaping () -> CompletionNames) {
        EditLineReader.useUTF8Characters()
        guard let editLine = el_init("aq", stdin, stdout, stderr) else { return nil }
        guard let history = history_init() else {
            el_end(editLine)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.historyPath = historyPath
        self.names = names
        self.promptText = strdup("aq> ")

        aq_history_set_size(history, 2000)
        aq_history_set_unique(history, 1)
        if let historyPath { _ = aq_history_load(history, historyPath) }

        aq_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        aq_el_set_editor(editLine, "emacs")
        aq_el_set_signal(editLine, 0)
        aq_el_set_history(editLine, history)
        aq_el_set_prompt(editLine) { el in
            guard let el, let me = EditLineReader.from(el) else { return nil }
            return me.promptText
        }
        // Ctrl-C reaches the editor as a key, not a signal, while a line is edited: it
        // clears the line. While a statement runs the terminal sends SIGINT as usual.
        aq_el_setty_edit(editLine, "-isig")
        // While a statement runs the terminal stays out of canonical mode, so keys typed
        // ahead (a pasted script ending in Ctrl-D) wait as they are for the next prompt:
        // in canonical mode a Ctrl-D typed then would be an end of file, and lost.
        aq_el_setty_exec(editLine, "-icanon")
        aq_el_add_function(editLine, "aq-interrupt", "discard the line") { el, _ in
            guard let el, let me = EditLineReader.from(el) else { return UInt8(CC_ERROR) }
            me.interrupted = true
            return UInt8(CC_NEWLINE)
        }
        aq_el_bind(editLine, "^C", "aq-interrupt")
        aq_el_add_function(editLine, "aq-complete", "complete the word") { el, _ in
            guard let el, let me = EditLineReader.from(el) else { return UInt8(CC_ERROR) }
            return me.complete()
        }
        aq_el_bind(editLine, "^I", "aq-complete")
        aq_el_bind(editLine, "^R", "em-inc-search-prev")
        aq_el_bind(editLine, "^S", "em-inc-search-next")
        // Arrow keys with modifiers move by words, as in other shells.
        aq_el_bind(editLine, "\\e[1;5C", "em-next-word")
        aq_el_bind(editLine, "\\e[1;5D", "ed-prev-word")
        aq_el_bind(editLine, "\\e[1;3C", "em-next-word")
        aq_el_bind(editLine, "\\e[1;3D", "ed-prev-word")
        // A user's ~/.editrc applies last.
        el_source(editLine, nil)
    }

    deinit {
        saveHistory()
        el_end(editLine)
        history_end(history)
        free(promptText)
    }

    /// libedit decodes typed bytes with the C library's character type: without a UTF-8
    /// locale it drops every non-ASCII character (`'관리자'` would arrive as `''`).
    private static func useUTF8Characters() {
        let current = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? "C"
        if !current.lowercased().contains("utf") {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    private static func from(_ el: OpaquePointer) -> EditLineReader? {
        guard let data = aq_el_client_data(el) else { return nil }
        return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue()
    }

    public func readLine(prompt: String, pending: String) -> LineInput {
        free(promptText)
        promptText = strdup(prompt)
        self.pending = pending
        interrupted = false
        el_resize(editLine)
        var count: Int32 = 0
        guard let raw = el_gets(editLine, &count) else {
            if interrupted { return .interrupted }
            fputs("\n", stdout)
            fflush(stdout)
            return .end
        }
        if interrupted {
            fputs("^C\n", stdout)
            fflush(stdout)
            return .interrupted
        }
        guard count > 0 else {
            fputs("\n", stdout)
            fflush(stdout)
            return .end
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    public func addHistory(_ entry: String) {
        guard !entry.isEmpty else { return }
        aq_history_enter(history, entry)
        // Saved at once, so a crash or a killed terminal loses nothing.
        saveHistory()
    }

    private func saveHistory() {
        guard let historyPath else { return }
        _ = aq_history_save(history, historyPath)
    }

    // MARK: Completion

    /// Tab: insert the candidates' common prefix; when there is nothing more to insert,
    /// list the candidates under the line.
    private func complete() -> UInt8 {
        guard let info = el_line(editLine)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer), as: UTF8.self)
        let after = info.lastchar.map { String(decoding: UnsafeRawBufferPointer(start: cursor, count: max(0, $0 - cursor)), as: UTF8.self) } ?? ""
        let completion = Completer(names: names()).complete(pending + before, after: after)
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }

        var replacement = completion.commonPrefix
        if completion.candidates.count == 1, !replacement.hasSuffix("/"), !replacement.hasSuffix("'") {
            replacement += " "
        }
        if completion.candidates.count == 1 || replacement.count > completion.word.count {
            el_deletestr(editLine, Int32(completion.word.count))
            el_insertstr(editLine, replacement)
            return UInt8(CC_REFRESH)
        }
        listCandidates(completion.candidates)
        return UInt8(CC_REDISPLAY)
    }

    /// Prints candidates in columns below the line being edited.
    private func listCandidates(_ candidates: [String]) {
        let shown = candidates.prefix(200)
        let width = (shown.map { displayWidth($0) }.max() ?? 0) + 2
        let perLine = max(1, Terminal.width(fd: 1) / max(1, width))
        var text = "\n"
        for (i, candidate) in shown.enumerated() {
            text += candidate
            if (i + 1) % perLine == 0 || i == shown.count - 1 {
                text += "\n"
            } else {
                text += String(repeating: " ", count: width - displayWidth(candidate))
            }
        }
        if candidates.count > shown.count { text += "… and \(candidates.count - shown.count) more\n" }
        fputs(text, stdout)
        fflush(stdout)
    }
}

// The one place where an error becomes text: position, message, the line, a caret.

extension Source {
    /// Renders a diagnostic against this source:
    ///
    ///     line 3, column 17: unknown column 'sourceip' (did you mean 'source_ip'?)
    ///       WHERE sourceip = '1.2.3.4'
    ///             ^~~~~~~~
    ///
    /// In a file the first line reads `file.aq:3:17: …`, as compilers write it.
    /// A diagnostic without a range is its message alone (with the file name, if any).
    public func render(_ diagnostic: any Diagnostic) -> String {
        guard let range = diagnostic.range else {
            if let fileName { return "\(fileName): \(diagnostic.message)" }
            return diagnostic.message
        }
        let at = location(of: range.start)
        var out: String
        if let fileName {
            out = "\(fileName):\(at.line):\(at.column): \(diagnostic.message)"
        } else {
            out = "line \(at.line), column \(at.column): \(diagnostic.message)"
        }
        let line = lineText(at.line)
        let shown = line.count > 200 ? String(line.prefix(200)) + "…" : line
        // Control characters in the line are shown as escapes (`\x1b`), so the caret moves
        // right by what each escape adds before it.
        var visible = ""
        var caretColumn = 1
        for (i, ch) in shown.enumerated() {
            let text = ch == "\t" ? " " : ControlText.escaped(String(ch))
            visible += text
            if i + 1 < at.column { caretColumn += text.count }
        }
        if at.column > shown.count + 1 { caretColumn = visible.count + 1 }
        out += "\n  " + visible
        let end = location(of: range.end)
        let width = end.line == at.line ? max(1, end.column - at.column) : 1
        out += "\n  " + String(repeating: " ", count: caretColumn - 1) + "^"
            + String(repeating: "~", count: max(0, min(width, 80) - 1))
        return out
    }
}

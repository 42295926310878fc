// The dot commands of the shell (`.help`, `.mode csv`, …): their table with help text, and
// running one. A dot command counts only at the start of a statement (see InputLoop).

import AQEngine
import AQSyntax

/// A dot command's name, arguments and help, for `.help` and completion.
struct DotCommand {
    var name: String
    var arguments: String
    var help: String

    static let all: [DotCommand] = [
        DotCommand(name: ".help", arguments: "?COMMAND?", help: "show this help, or one command's"),
        DotCommand(name: ".tables", arguments: "", help: "list the tables and their row counts"),
        DotCommand(name: ".schema", arguments: "?TABLE?", help: "show the columns of every table, or of one"),
        DotCommand(name: ".mode", arguments: "?FORMAT?", help: "set the output format: \(OutputFormat.namesList)"),
        DotCommand(name: ".timer", arguments: "on|off", help: "print the time each statement takes"),
        DotCommand(name: ".load", arguments: "PATH ?FORMAT?", help: "load audit logs (a file or a directory) into events"),
        DotCommand(name: ".read", arguments: "FILE", help: "run the statements of a script file"),
        DotCommand(name: ".output", arguments: "?FILE?", help: "write results to FILE, or back to the screen"),
        DotCommand(name: ".once", arguments: "FILE", help: "write the next statement's results to FILE"),
        DotCommand(name: ".nullvalue", arguments: "?TEXT?", help: "show NULL as TEXT (no TEXT: each format's own)"),
        DotCommand(name: ".headers", arguments: "on|off", help: "write the header row of CSV"),
        DotCommand(name: ".bail", arguments: "on|off", help: "stop at the first error, at the terminal too"),
        DotCommand(name: ".param", arguments: "set|unset|list|clear", help: "give $name a value: .param set NAME VALUE"),
        DotCommand(name: ".chart", arguments: "", help: "draw the last result: a number over time, or per category"),
        DotCommand(name: ".maxrows", arguments: "?N?", help: "rows a table shows on screen before eliding (0: all)"),
        DotCommand(name: ".quit", arguments: "", help: "leave aq (also .exit and Ctrl-D)"),
    ]

    static var names: [String] { all.map(\.name) + [".exit"] }

    static func named(_ name: String) -> DotCommand? {
        let lower = name.lowercased()
        return all.first { $0.name == lower || ($0.name == ".quit" && lower == ".exit") }
    }

    /// `.mode ?FORMAT?      set the output format…`
    var helpLine: String {
        let usage = arguments.isEmpty ? name : name + " " + arguments
        return usage + String(repeating: " ", count: max(2, 22 - usage.count)) + help
    }

    static var helpText: String {
        var lines = all.map(\.helpLine)
        lines.append("")
        lines.append("Statements end with ';' and may span lines. Tab completes names; Ctrl-R")
        lines.append("searches history; Ctrl-C cancels a running statement; Ctrl-D exits.")
        return lines.joined(separator: "\n")
    }
}

/// What running a dot command did.
enum DotOutcome {
    case ok, failed, quit
}

/// Runs one dot command line in a session.
struct DotCommandRunner {
    let session: ShellSession
    /// The script the command is in, for messages.
    let fileName: String?

    func run(_ line: String, line number: Int) -> DotOutcome {
        let words = DotCommandRunner.split(line)
        guard let first = words.first else { return .ok }
        let arguments = Array(words.dropFirst())
        defer { session.output.flush() }
        guard let command = DotCommand.named(first) else {
            var message = "unknown command '\(first)'"
            if let near = nearestName(to: first, in: DotCommand.names) { message += " (did you mean '\(near)'?)" }
            return fail(message + "; .help lists the commands", line: number)
        }
        switch command.name {
        case ".help":
            if let topic = arguments.first {
                let name = topic.hasPrefix(".") ? topic : "." + topic
                guard let match = DotCommand.named(name) else { return fail("no command '\(name)'", line: number) }
                session.output.line(match.helpLine)
            } else {
                session.output.line(DotCommand.helpText)
            }
        case ".tables":
            let tables = session.database.catalog.allTables
            if tables.isEmpty {
                session.output.line("no tables yet: LOAD 'path/to/logs'; reads audit logs into events")
            }
            let width = tables.map { $0.name.count }.max() ?? 0
            for table in tables {
                let pad = String(repeating: " ", count: width - table.name.count + 2)
                session.output.line(table.name + pad + (table.rowCount == 1 ? "1 row" : "\(grouped(table.rowCount)) rows"))
            }
        case ".schema":
            var tables = session.database.catalog.allTables
            if let name = arguments.first {
                guard let table = session.database.catalog.table(named: name) else {
                    var message = "no table '\(name)'"
                    if let near = nearestName(to: name, in: session.database.catalog.tableNames) {
                        message += " (did you mean '\(near)'?)"
                    }
                    return fail(message, line: number)
                }
                tables = [table]
            }
            for table in tables {
                let columns = table.columns.map { "  \($0.name) \($0.type)" }.joined(separator: ",\n")
                session.output.line("CREATE TABLE \(table.name) (\n\(columns)\n);")
            }
        case ".mode":
            guard let name = arguments.first else {
                session.output.line(session.format.rawValue)
                break
            }
            guard let format = OutputFormat(name: name) else {
                return fail("unknown format '\(name)' (expected \(OutputFormat.namesList))", line: number)
            }
            session.format = format
        case ".chart":
            guard let result = session.lastResult else {
                if session.lastResultTooLarge {
                    return fail(".chart: the last result was too large to keep (over \(ResultStream.keptByteLimit >> 20) MB); "
                                + "aggregate it first, e.g. with GROUP BY", line: number)
                }
                return fail(".chart draws the last result, and no query has run yet", line: number)
            }
            let width = session.output.isTerminal ? Terminal.width(fd: 1) : 80
            guard let lines = ChartFormat(width: width).lines(result) else {
                return fail(".chart: \(ChartFormat.unchartable)", line: number)
            }
            for line in lines { session.output.line(line) }
        case ".timer":
            switch arguments.first?.lowercased() {
            case "on", "1", "true", "yes": session.timer = true
            case "off", "0", "false", "no": session.timer = false
            case nil: session.output.line(session.timer ? "on" : "off")
            default: return fail(".timer takes on or off", line: number)
            }
        case ".load":
            guard let path = arguments.first else { return fail(".load needs a path", line: number) }
            return session.load(path, format: arguments.count > 1 ? arguments[1] : nil) ? .ok : .failed
        case ".read":
            guard let path = arguments.first else { return fail(".read needs a file", line: number) }
            return read(path, line: number)
        case ".output":
            if let path = arguments.first, path != "-", path != "stdout" {
                do {
                    session.output.flush()
                    session.output = try OutputSink.file(path)
                } catch {
                    return fail("cannot write \(error)", line: number)
                }
            } else {
                session.output.flush()
                session.output = .standardOutput()
            }
        case ".once":
            guard let path = arguments.first else { return fail(".once needs a file", line: number) }
            do {
                session.output.flush()
                let file = try OutputSink.file(path)
                if session.outputAfterOnce == nil { session.outputAfterOnce = session.output }
                session.output = file
            } catch {
                return fail("cannot write \(error)", line: number)
            }
        case ".nullvalue":
            session.nullValue = arguments.first
        case ".headers", ".bail":
            let on: Bool
            switch arguments.first?.lowercased() {
            case "on", "1", "true", "yes": on = true
            case "off", "0", "false", "no": on = false
            case nil:
                session.output.line((command.name == ".headers" ? session.headers : session.bail) ? "on" : "off")
                return .ok
            default: return fail("\(command.name) takes on or off", line: number)
            }
            if command.name == ".headers" { session.headers = on } else { session.bail = on }
        case ".param":
            return param(arguments, line: number)
        case ".maxrows":
            guard let text = arguments.first else {
                session.output.line(session.maxRows.map(String.init) ?? "\(ShellSession.defaultScreenRows) (default)")
                break
            }
            guard let n = Int(text), n >= 0 else { return fail(".maxrows takes a number (0 shows every row)", line: number) }
            session.maxRows = n
        case ".quit":
            return .quit
        default:
            return fail("unknown command '\(first)'", line: number)
        }
        return .ok
    }

    /// `.param set NAME VALUE`, `.param unset NAME`, `.param list`, `.param clear`: the values
    /// of `$NAME`, as `--param` and `SET VARIABLE` give them. A value that reads as a number
    /// is one; `'quoted'` text loses its quotes.
    private func param(_ arguments: [String], line number: Int) -> DotOutcome {
        let database = session.database
        switch arguments.first?.lowercased() {
        case "set":
            guard arguments.count >= 3 else { return fail(".param set needs a name and a value", line: number) }
            let name = arguments[1].hasPrefix("$") ? String(arguments[1].dropFirst()) : arguments[1]
            database.setVariable(name, DotCommandRunner.parameterValue(arguments[2...].joined(separator: " ")))
        case "unset":
            guard arguments.count >= 2 else { return fail(".param unset needs a name", line: number) }
            let name = arguments[1].hasPrefix("$") ? String(arguments[1].dropFirst()) : arguments[1]
            database.variables[name.lowercased()] = nil
        case "list", nil:
            let names = database.variables.keys.sorted()
            let width = names.map(\.count).max() ?? 0
            for name in names {
                let value = database.variables[name].map(DotCommandRunner.literal) ?? "NULL"
                session.output.line("$" + name + String(repeating: " ", count: width - name.count + 2) + value)
            }
        case "clear":
            database.variables.removeAll()
        default:
            return fail(".param takes set, unset, list or clear", line: number)
        }
        return .ok
    }

    /// A value as `.param list` shows it: text quoted, others as they print.
    static func literal(_ value: Value) -> String {
        if case .varchar(let text) = value {
            return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        }
        return value.text ?? "NULL"
    }

    /// The value of `.param set`: an integer, a number, `'text'` without its quotes, or the text.
    static func parameterValue(_ text: String) -> Value {
        if let n = Int64(text) { return .integer(n) }
        if let d = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .double(d) }
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            var inner = ""
            var afterQuote = false
            for ch in text.dropFirst().dropLast() {
                if ch == "'", afterQuote {
                    afterQuote = false
                    continue
                }
                inner.append(ch)
                afterQuote = ch == "'"
            }
            return .varchar(inner)
        }
        return .varchar(text)
    }

    /// Runs a script file within this session; stops at its first failing statement.
    private func read(_ path: String, line number: Int) -> DotOutcome {
        guard session.readDepth < InputLoop.maxReadDepth else {
            return fail(".read nested more than \(InputLoop.maxReadDepth) deep (does a script read itself?)", line: number)
        }
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path)
        } catch {
            return fail("cannot read \(error)", line: number)
        }
        session.readDepth += 1
        defer { session.readDepth -= 1 }
        switch InputLoop(session: session, reader: TextLineReader(bytes: bytes), fileName: path).run() {
        case .finished: return .ok
        case .failed: return .failed
        case .quit: return .quit
        }
    }

    private func fail(_ message: String, line: Int) -> DotOutcome {
        if let fileName {
            session.complain("\(fileName):\(line): \(message)")
        } else if !session.interactive {
            session.complain("line \(line): \(message)")
        } else {
            session.complain(message)
        }
        return .failed
    }

    /// The words of a command line; `'…'` and `"…"` group words with spaces.
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                inWord = true
            } else if ch == " " || ch == "\t" || ch == "\r" || ch == "\n" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}

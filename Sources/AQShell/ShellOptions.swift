// The command line, declared with swift-argument-parser (which gives --help, usage errors and
// completion scripts): `aq [options] [FILE.aq | run FILE.aq | FILE.aqdb]`, `-c`, `--load`,
// `--param`, `--format`.

import ArgumentParser

/// What `aq` was asked to do, in the order it will do it: loads, then statements.
public struct ShellOptions: Equatable, Sendable {
    /// One thing to run, in command-line order.
    public enum Action: Equatable, Sendable {
        /// `-c 'statements'`
        case command(String)
        /// `aq run FILE.aq` or `aq FILE.aq`
        case script(path: String)
    }

    public var loads: [String] = []
    /// `--param name=value`: the values of `$name` in scripts and `-c`, by name (lower case).
    public var parameters: [String: String] = [:]
    public var actions: [Action] = []
    public var format: OutputFormat = .table
    /// A saved store to open (`aq FILE.aqdb`).
    public var database: String?
    public var showVersion = false
    /// `--threads N`: how many threads queries run on (default: the machine's cores).
    public var threads: Int?
    /// `--cmd` / `-cmd`: statements run after the loads and before the shell or standard
    /// input (unlike `-c`, they do not end aq).
    public var initCommands: [String] = []
    /// `--bail` / `-bail`: the first error stops the shell, at a terminal too.
    public var bail = false

    public init() {}
}

/// A mistake in the command line that aq finds after parsing: exit status 2, like the
/// parser's own errors.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// The options and arguments as swift-argument-parser declares them; `ShellOptions.parse`
/// turns them into what aq runs.
struct CommandLineArguments: ParsableArguments {
    /// The usage lines (the parser indents the second under the first).
    static let usage = """
        aq [options] [SCRIPT.aq | run SCRIPT.aq | FILE.aqdb]
        aq [options] -c 'STATEMENTS' [-c …]
        """

    @Option(name: [.customShort("c", allowingJoined: true), .customLong("command")],
            parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Run statements and dot commands, then exit (may be repeated; -c and scripts run in the order given).",
                               valueName: "statements"))
    var command: [String] = []

    @Option(name: [.customShort("l", allowingJoined: true), .customLong("load")],
            parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Load audit logs (a file or a directory) into events before anything else runs (may be repeated).",
                               valueName: "path"),
            completion: .file())
    var load: [String] = []

    @Option(name: [.customShort("p", allowingJoined: true), .customLong("param")],
            parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Give $name (and getvariable('name')) in scripts and -c the text value, bound as a constant (may be repeated).",
                               valueName: "name=value"))
    var param: [String] = []

    @Option(name: [.customShort("f", allowingJoined: true), .customLong("format"), .customLong("mode")],
            parsing: .unconditional,
            help: ArgumentHelp("Output format: \(OutputFormat.namesList) (default: table).", valueName: "format"),
            completion: .list(OutputFormat.allCases.map(\.rawValue)))
    var format: String?

    @Option(name: .customLong("threads"),
            help: ArgumentHelp("Threads a query runs on, 1 to 256 (default: the machine's cores; SET threads changes it).",
                               valueName: "n"))
    var threads: Int?

    @Option(name: .customLong("cmd"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Run statements first, then go on to the shell or standard input (may be repeated).",
                               valueName: "statements"))
    var cmd: [String] = []

    @Flag(name: .customLong("bail"), help: "Stop at the first error, in the shell too.")
    var bail = false

    @Flag(name: [.customShort("V"), .customShort("v"), .customLong("version")], help: "Show aq's version.")
    var version = false

    @Argument(help: ArgumentHelp("A script to run (- is standard input), or a saved store (.aqdb) to open; 'run' before a script is allowed.",
                                 valueName: "file"),
              completion: .file(extensions: ["aq", "aqdb"]))
    var files: [String] = []

    mutating func validate() throws {
        if let format, OutputFormat(name: format) == nil {
            throw ValidationError("unknown format '\(format)' (expected \(OutputFormat.namesList))")
        }
        if load.contains("") { throw ValidationError("option '--load' needs a path") }
        for text in param { _ = try ShellOptions.parameter(text) }
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads must be a whole number from 1 to 256; found \(threads)")
        }
    }
}

/// `aq --help`, `--generate-completion-script`: the parser's own texts, under aq's name.
struct AQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aq",
        abstract: "SQL over container-registry audit logs.",
        usage: CommandLineArguments.usage,
        discussion: """
            aq queries container-registry audit logs (AWS CloudTrail for ECR, Alibaba ACR, \
            IBM Activity Tracker) loaded into one `events` table, with SQL. Without a script \
            or -c it starts the interactive shell; when standard input is not a terminal, it \
            runs standard input as a script.

            Exit status: 0 success, 1 a statement or load failed, 2 a usage error. In the \
            shell, type .help for the dot commands.
            """)

    @OptionGroup var arguments: CommandLineArguments
}

extension ShellOptions {
    /// What the command line asks for: running, a text to print (help, a completion
    /// script), or nothing but a usage error.
    public enum Outcome: Equatable {
        case run(ShellOptions)
        /// Print `text` on standard output and exit 0 (`--help`, a completion script).
        case print(String)
        /// A usage error: `usageMessage(_:)` words it for standard error; exit status 2.
        case usageError(String)
    }

    /// Parses the arguments that follow the program name.
    public static func outcome(of arguments: [String]) -> Outcome {
        do {
            return .run(try parse(arguments))
        } catch let error as UsageError {
            return .usageError(error.message)
        } catch {
            let status = AQCommand.exitCode(for: error)
            if status == .success { return .print(AQCommand.fullMessage(for: error)) }
            let message = AQCommand.message(for: error)
            return .usageError(message.prefix(1).lowercased() + message.dropFirst())
        }
    }

    /// Parses the arguments that follow the program name; throws the parser's error (which
    /// `AQCommand` words) or a `UsageError`.
    ///
    /// Options may come in any order; `-c` and scripts run in the order given. `--` ends the
    /// options (a file named `-c` can then be run). `--format=csv` and `-fcsv` forms are
    /// accepted as well as separate values.
    public static func parse(_ arguments: [String]) throws -> ShellOptions {
        let arguments = singleDashOptions(arguments)
        let declared = try AQCommand.parse(arguments).arguments
        var options = ShellOptions()
        options.loads = declared.load
        options.initCommands = declared.cmd
        options.bail = declared.bail
        options.showVersion = declared.version
        options.threads = declared.threads
        if let format = declared.format.flatMap(OutputFormat.init(name:)) { options.format = format }
        for text in declared.param {
            let (name, value) = try parameter(text)
            options.parameters[name] = value
        }

        var commands = declared.command[...]
        var files = declared.files[...]
        var takenByRun = 0
        for kind in actionOrder(arguments) {
            switch kind {
            case .command:
                if let text = commands.popFirst() { options.actions.append(.command(text)) }
            case .file where takenByRun > 0:
                takenByRun -= 1
            case .file:
                guard let file = files.popFirst() else { continue }
                let before = files.count
                try options.addFile(file, next: &files)
                takenByRun += before - files.count
            }
        }
        return options
    }

    /// sqlite3's and DuckDB's single-dash spellings, read as aq's own: `-csv`, `-json`,
    /// `-line`, `-markdown`, `-table`, `-box`, `-ndjson` as `--format`, `-cmd` as `--cmd`,
    /// `-bail`, `-version`, `-help`. (Without this, `-csv` would be `-c sv`.) After `--`
    /// nothing is changed, and a value of an option that takes one is left as it is.
    static func singleDashOptions(_ arguments: [String]) -> [String] {
        let formats: Set<String> = ["csv", "json", "line", "markdown", "table", "box", "ndjson", "jsonlines"]
        let words: [String: String] = ["-cmd": "--cmd", "-bail": "--bail", "-version": "--version", "-help": "--help"]
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if argument == "--" {
                out += arguments[(i - 1)...]
                break
            }
            if argument.hasPrefix("-"), !argument.hasPrefix("--"), formats.contains(String(argument.dropFirst())) {
                out.append("--format=" + argument.dropFirst())
            } else if let long = words[argument] {
                out.append(long)
            } else {
                out.append(argument)
                // The next argument is this option's value: never rewritten.
                if valuedOptions.contains(argument), i < arguments.count {
                    out.append(arguments[i])
                    i += 1
                }
            }
        }
        return out
    }

    /// Options that take the next argument as their value.
    static let valuedOptions: Set<String> = ["-c", "--command", "-l", "--load", "-p", "--param", "-f", "--format", "--mode",
                                             "--threads", "--cmd"]

    /// `name=value` of `--param`: the name before the first `=`, the value (any text) after.
    static func parameter(_ text: String) throws -> (String, String) {
        guard let eq = text.firstIndex(of: "=") else {
            throw ValidationError("--param needs name=value, as in --param repo=payments/api (got '\(text)')")
        }
        let name = String(text[..<eq])
        let valid = name.first.map { $0.isLetter || $0 == "_" } == true
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        guard valid else { throw ValidationError("--param name '\(name)' is not a name (letters, digits and _)") }
        return (name.lowercased(), String(text[text.index(after: eq)...]))
    }

    /// A file name (`-` is standard input), a saved store, or the `run` word.
    private mutating func addFile(_ argument: String, next files: inout ArraySlice<String>) throws {
        if argument == "run", actions.isEmpty, database == nil {
            guard let script = files.popFirst() else { throw UsageError("'run' needs a script file") }
            actions.append(.script(path: script))
            return
        }
        if argument.lowercased().hasSuffix(".aqdb") {
            guard database == nil else { throw UsageError("only one saved store can be opened") }
            database = argument
            return
        }
        guard !argument.isEmpty else { throw UsageError("empty file name") }
        actions.append(.script(path: argument))
    }

    private enum ActionKind { case command, file }

    /// Whether each `-c` and each file comes before or after the others. The parser keeps
    /// `-c` texts in order and files in order, but not how the two interleave, so this walk
    /// over arguments it has already accepted only tells the two apart.
    private static func actionOrder(_ arguments: [String]) -> [ActionKind] {
        let valued = valuedOptions
        var order: [ActionKind] = []
        var i = 0
        var optionsEnded = false
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                order.append(.file)
            } else if argument == "--" {
                optionsEnded = true
            } else {
                let name = argument.hasPrefix("--") ? String(argument.prefix { $0 != "=" }) : String(argument.prefix(2))
                if name == "-c" || name == "--command" { order.append(.command) }
                if valued.contains(argument) { i += 1 }
            }
        }
        return order
    }

    /// A usage error as aq prints it: the message, then the short usage.
    public static func usageMessage(_ message: String) -> String {
        let usage = CommandLineArguments.usage.split(separator: "\n").joined(separator: "\n       ")
        return "aq: \(message)\nusage: \(usage)\nTry 'aq --help' for more."
    }

    /// The text of `aq --help`.
    public static var help: String { AQCommand.helpMessage() }
}

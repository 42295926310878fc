// The command line, parsed by hand: what aq was asked to do, or why the request is wrong.
// `aq [options] [FILE.aq | run FILE.aq | FILE.aqdb]` with `-c`, `--load`, `--format`.

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
    public var showHelp = false
    public var showVersion = false

    public init() {}
}

/// A mistake in the command line: exit status 2, the message, and a short usage.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension ShellOptions {
    /// Parses the arguments that follow the program name.
    ///
    /// Options may come in any order; `-c` and scripts run in the order given. `--` ends the
    /// options (a file named `-c` can then be run). `--format=csv` and `-fcsv` forms are
    /// accepted as well as separate values.
    public static func parse(_ arguments: [String]) throws -> ShellOptions {
        var options = ShellOptions()
        var i = 0
        var optionsEnded = false

        /// The value of an option: glued (`--format=csv`) or the next argument.
        func value(for name: String, glued: String?) throws -> String {
            if let glued { return glued }
            guard i + 1 < arguments.count else { throw UsageError("option '\(name)' needs a value") }
            i += 1
            return arguments[i]
        }

        while i < arguments.count {
            let argument = arguments[i]
            defer { i += 1 }
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                try options.addPositional(argument, next: i + 1 < arguments.count ? arguments[i + 1] : nil, index: &i)
                continue
            }
            var name = argument
            var glued: String?
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                glued = String(argument[argument.index(after: eq)...])
            } else if !argument.hasPrefix("--"), argument.count > 2 {
                // `-cSELECT 1`, `-fcsv`
                name = String(argument.prefix(2))
                glued = String(argument.dropFirst(2))
            }
            switch name {
            case "--":
                optionsEnded = true
            case "-c", "--command":
                options.actions.append(.command(try value(for: name, glued: glued)))
            case "-l", "--load":
                let path = try value(for: name, glued: glued)
                guard !path.isEmpty else { throw UsageError("option '\(name)' needs a path") }
                options.loads.append(path)
            case "-p", "--param":
                let text = try value(for: name, glued: glued)
                let (key, value) = try parameter(text)
                options.parameters[key] = value
            case "-f", "--format", "--mode":
                let text = try value(for: name, glued: glued)
                guard let format = OutputFormat(name: text) else {
                    throw UsageError("unknown format '\(text)' (expected \(OutputFormat.namesList))")
                }
                options.format = format
            case "-h", "--help":
                guard glued == nil else { throw UsageError("unknown option '\(argument)'") }
                options.showHelp = true
            case "-V", "-v", "--version":
                guard glued == nil else { throw UsageError("unknown option '\(argument)'") }
                options.showVersion = true
            default:
                let known = ["--command", "--load", "--param", "--format", "--help", "--version"]
                if let near = nearestOption(to: name, in: known) {
                    throw UsageError("unknown option '\(argument)' (did you mean '\(near)'?)")
                }
                throw UsageError("unknown option '\(argument)'")
            }
        }
        return options
    }

    /// A file name (`-` is standard input) or the `run` word.
    private mutating func addPositional(_ argument: String, next: String?, index: inout Int) throws {
        if argument == "run", actions.isEmpty, database == nil {
            guard let next else { throw UsageError("'run' needs a script file") }
            index += 1
            actions.append(.script(path: next))
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

    /// `name=value` of `--param`: the name before the first `=`, the value (any text) after.
    static func parameter(_ text: String) throws -> (String, String) {
        guard let eq = text.firstIndex(of: "=") else {
            throw UsageError("--param needs name=value, as in --param repo=payments/api (got '\(text)')")
        }
        let name = String(text[..<eq])
        let valid = name.first.map { $0.isLetter || $0 == "_" } == true
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        guard valid else { throw UsageError("--param name '\(name)' is not a name (letters, digits and _)") }
        return (name.lowercased(), String(text[text.index(after: eq)...]))
    }

    private static func nearestOption(to name: String, in known: [String]) -> String? {
        let bare = name.drop { $0 == "-" }
        guard bare.count > 2 else { return nil }
        let matches = known.filter { $0.dropFirst(2).hasPrefix(bare) }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The short usage printed after a usage error and at the top of `--help`.
    public static let usage = """
        usage: aq [options] [SCRIPT.aq | run SCRIPT.aq] [--param NAME=VALUE …]
               aq [options] -c 'STATEMENTS' [-c …]
        """

    /// The text of `aq --help`.
    public static let help = """
        \(usage)

        aq queries container-registry audit logs (AWS CloudTrail for ECR, Alibaba ACR,
        IBM Activity Tracker) loaded into one `events` table, with SQL.
        Without a script or -c it starts the interactive shell; when standard input is
        not a terminal, it runs standard input as a script.

        options:
          -c, --command STATEMENTS   run statements and exit (may be repeated; run in order)
          -l, --load PATH            load audit logs (a file or a directory) before anything
                                     else runs (may be repeated)
          -p, --param NAME=VALUE     give $NAME (and getvariable('NAME')) in scripts and -c
                                     the value VALUE, as a string constant (may be repeated)
          -f, --format FORMAT        output format: table (default), csv, json, ndjson, markdown,
                                     chart
          -h, --help                 show this help
          -V, --version              show aq's version

        exit status: 0 success, 1 a statement or load failed, 2 a usage error.
        In the shell, type .help for the dot commands.
        """
}

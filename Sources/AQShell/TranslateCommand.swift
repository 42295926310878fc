// `aq translate --to clickhouse SCRIPT.aq [-o FILE]`: the script in ClickHouse's SQL, on
// standard output or into FILE. Exit status 0, 1 when a statement cannot be translated
// (the error names the part and why), 2 on a usage error.

import AQEngine
import AQSyntax

#if canImport(Glibc)
import Glibc
#endif

enum TranslateCommand {
    static let usage = "usage: aq translate --to clickhouse SCRIPT.aq [-o FILE]"

    static func main(_ arguments: [String]) -> Int32 {
        var target: String?
        var output: String?
        var script: String?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--to", "-t": target = rest.popFirst()
            case "-o", "--output": output = rest.popFirst()
            case "-h", "--help":
                print(usage)
                return 0
            default:
                if argument.hasPrefix("--to=") { target = String(argument.dropFirst(5)); continue }
                guard script == nil, !argument.hasPrefix("-") || argument == "-" else {
                    Shell.writeError("aq translate: unexpected argument '\(argument)'\n\(usage)\n")
                    return 2
                }
                script = argument
            }
        }
        guard target?.lowercased() == "clickhouse" else {
            Shell.writeError("aq translate: --to clickhouse is the one target\n\(usage)\n")
            return 2
        }
        guard let script else {
            Shell.writeError("aq translate: no script given\n\(usage)\n")
            return 2
        }
        let text: [UInt8]
        do {
            text = try FileSystem.readFile(script)
        } catch {
            Shell.writeError("aq translate: \(error)\n")
            return 1
        }
        let source = Source(bytes: text, fileName: script)
        let sql: String
        do {
            sql = try Database().translateToClickHouse(source)
        } catch let error as AQError {
            Shell.writeError("\(script): \(error)\n")
            return 1
        } catch {
            Shell.writeError("\(script): \(error)\n")
            return 1
        }
        guard let output else {
            print(sql, terminator: "")
            return 0
        }
        do {
            let sink = try OutputSink.file(output)
            sink.write(sql)
        } catch {
            Shell.writeError("aq translate: \(error)\n")
            return 1
        }
        return 0
    }
}

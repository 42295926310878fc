// The command line (placeholder until the shell lands).

import AQEngine
import AQSyntax

public enum Shell {
    /// Runs aq with these arguments (without the program name); returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let db = Database()
        var status: Int32 = 0
        var i = 0
        while i < arguments.count {
            if arguments[i] == "-c", i + 1 < arguments.count {
                do {
                    try db.execute(Source(arguments[i + 1])) { print($0.message ?? "\($0.rowCount) rows") }
                } catch {
                    printError("\(error)")
                    status = 1
                }
                i += 1
            }
            i += 1
        }
        return status
    }

    static func printError(_ s: String) {
        var s = s + "\n"
        s.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

// What the shell asks of the terminal: is this a terminal, and how wide is it.

import CEditLine

#if canImport(Glibc)
import Glibc
#endif

enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Columns of the terminal on `fd` (`$COLUMNS` or 80 when it cannot say).
    static func width(fd: Int32) -> Int {
        let columns = Int(aq_terminal_width(fd))
        if columns > 0 { return columns }
        if let text = getenv("COLUMNS"), let n = Int(String(cString: text)), n > 0 { return n }
        return 80
    }
}

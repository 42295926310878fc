// Where the input loop gets its lines: a small protocol with a plain reader for files,
// pipes and `-c` text (the terminal's libedit reader is in EditLineReader.swift).

#if canImport(Glibc)
import Glibc
#endif

/// What one read gave.
public enum LineInput: Equatable, Sendable {
    /// A line, without its line break.
    case line(String)
    /// Ctrl-C at the prompt: drop what was typed of the statement.
    case interrupted
    /// End of input (Ctrl-D on an empty line, end of file).
    case end
}

/// A source of lines for the input loop (SQLite's `shell_readline`, Lua's `lua_readline`).
public protocol LineReader: AnyObject {
    /// Whether a person types the lines: prompts, history, and errors that do not stop input.
    var isInteractive: Bool { get }
    /// Reads the next line. `pending` is the unfinished statement typed so far (for completion).
    func readLine(prompt: String, pending: String) -> LineInput
    /// Remembers a finished statement or dot command (possibly several lines) as one entry.
    func addHistory(_ entry: String)
}

/// Lines of a text already in memory: a script file's contents or a `-c` argument.
public final class TextLineReader: LineReader {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ text: String) { self.bytes = Array(text.utf8) }
    /// A script's bytes; a UTF-8 byte-order mark at the start (some editors write one) is skipped.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    public var isInteractive: Bool { false }

    public func readLine(prompt: String, pending: String) -> LineInput {
        guard position < bytes.count else { return .end }
        var end = position
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        var lineEnd = end
        if lineEnd > position, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        let line = String(decoding: bytes[position..<lineEnd], as: UTF8.self)
        position = min(end + 1, bytes.count)
        if end == bytes.count { position = bytes.count }
        return .line(line)
    }

    public func addHistory(_ entry: String) {}
}

/// Lines read from a file descriptor as they come (standard input in a pipe), so that a
/// long script's first statements run before its end has arrived. Interactive, it shows
/// prompts: the fallback for a terminal where line editing cannot start.
public final class DescriptorLineReader: LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var atStart = true
    public let isInteractive: Bool

    public init(fd: Int32, interactive: Bool = false) {
        self.fd = fd
        self.isInteractive = interactive
    }

    public func readLine(prompt: String, pending: String) -> LineInput {
        if isInteractive {
            var text = prompt
            text.withUTF8 { _ = Glibc.write(1, $0.baseAddress, $0.count) }
        }
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var lineEnd = newline
                if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = String(decoding: buffer[start..<lineEnd], as: UTF8.self)
                start = newline + 1
                return .line(line)
            }
            if atEnd {
                guard start < buffer.count else { return .end }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return .line(line)
            }
            fill()
        }
    }

    /// Reads more bytes, dropping the lines already returned.
    private func fill() {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            // A byte-order mark before the first line is no part of it.
            if atStart, buffer.count >= 3 {
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
                atStart = false
            }
        } else if n == 0 || errno != EINTR {
            atEnd = true
        }
    }

    public func addHistory(_ entry: String) {}
}

// The text of a statement or script as bytes, and the map from byte offsets to lines.
// Tokens and AST nodes carry byte ranges only; lines and columns are computed here, lazily,
// when a message is printed (as Go's token.Pos and DuckDB's QueryLocation do).

/// A half-open range of byte offsets `start..<end` into a `Source`.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range that covers both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}

/// A 1-based line and column; the column counts characters (Unicode scalars), not bytes.
public struct SourceLocation: Hashable, Sendable {
    public var line: Int
    public var column: Int
}

/// Text to be lexed: its UTF-8 bytes, an optional file name, and where it sits in that file.
public final class Source: @unchecked Sendable {
    public let bytes: [UInt8]
    /// The file the text came from (scripts, `.read`), or nil for `-c` and the REPL.
    public let fileName: String?
    /// Lines of the file before this text, when a script is run statement by statement.
    public let lineOffset: Int

    private var lineStartsCache: [Int]?

    public init(_ text: String, fileName: String? = nil, lineOffset: Int = 0) {
        self.bytes = Array(text.utf8)
        self.fileName = fileName
        self.lineOffset = lineOffset
    }

    public init(bytes: [UInt8], fileName: String? = nil, lineOffset: Int = 0) {
        self.bytes = bytes
        self.fileName = fileName
        self.lineOffset = lineOffset
    }

    /// The text of a range, decoded leniently (invalid UTF-8 becomes U+FFFD).
    public func text(_ range: SourceRange) -> String {
        let lo = max(0, min(range.start, bytes.count))
        let hi = max(lo, min(range.end, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// Offsets at which each line starts; built on first use.
    private var lineStarts: [Int] {
        if let cached = lineStartsCache { return cached }
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStartsCache = starts
        return starts
    }

    /// The line and column of a byte offset, counting lines of the whole file.
    public func location(of offset: Int) -> SourceLocation {
        let offset = max(0, min(offset, bytes.count))
        let starts = lineStarts
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = starts[lo]
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // `column` counted the scalar starts before `offset`, plus the initial 1.
        return SourceLocation(line: lo + 1 + lineOffset, column: column)
    }

    /// The text of a line (numbered as `location(of:)` numbers it), without its newline.
    public func lineText(_ line: Int) -> String {
        let index = line - 1 - lineOffset
        let starts = lineStarts
        guard index >= 0, index < starts.count else { return "" }
        let start = starts[index]
        var end = index + 1 < starts.count ? starts[index + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}

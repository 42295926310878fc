// What a load did: rows and skipped records per file, and the time it took.

public struct LoadProgress: Sendable {
    public var bytesDone: Int
    public var bytesTotal: Int
    public var filesDone: Int
    public var filesTotal: Int

    public init(bytesDone: Int, bytesTotal: Int, filesDone: Int, filesTotal: Int) {
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.filesDone = filesDone
        self.filesTotal = filesTotal
    }
}

/// A record that could not be read.
public struct SkippedRecord: Sendable {
    public var file: String
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }
}

public struct FileLoadReport: Sendable {
    public var path: String
    public var format: String
    public var rows: Int
    public var skipped: Int
    /// A problem with the file as a whole that did not stop the load (an empty file in a
    /// directory).
    public var warning: String?
    /// For a file the load stopped inside (a gzip stream that breaks off): the lines read
    /// before the break, whose records are loaded.
    public var linesRead: Int?

    public init(path: String, format: String, rows: Int, skipped: Int, warning: String? = nil) {
        self.path = path
        self.format = format
        self.rows = rows
        self.skipped = skipped
        self.warning = warning
    }
}

public struct LoadReport: Sendable {
    public var table: String
    public var files: [FileLoadReport]
    /// The first few skipped records, with file, line and reason.
    public var firstSkipped: [SkippedRecord]
    public var seconds: Double

    public init(table: String, files: [FileLoadReport], firstSkipped: [SkippedRecord], seconds: Double) {
        self.table = table
        self.files = files
        self.firstSkipped = firstSkipped
        self.seconds = seconds
    }

    public var rows: Int { files.reduce(0) { $0 + $1.rows } }
    public var skipped: Int { files.reduce(0) { $0 + $1.skipped } }
}

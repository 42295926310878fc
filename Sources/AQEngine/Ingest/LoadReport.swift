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

/// Which file a load read, so that a later load of the same path can tell whether it is
/// the same file: its path made absolute with links resolved, size, modification time
/// (nanoseconds since 1970) and a 64-bit hash of its bytes (0 when not computed).
public struct FileIdentity: Sendable, Hashable {
    public var canonicalPath: String
    public var size: Int
    public var modified: Int64
    public var contentHash: UInt64

    public init(canonicalPath: String, size: Int, modified: Int64, contentHash: UInt64 = 0) {
        self.canonicalPath = canonicalPath
        self.size = size
        self.modified = modified
        self.contentHash = contentHash
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
    /// The file read, for incremental loads; nil for records that came from memory.
    public var identity: FileIdentity?
    /// The row of the table where the file's rows begin (they are consecutive: a load appends
    /// files in order), so that a later load can replace them; nil when not known (a store
    /// written before format version 4 whose rows do not add up, or a table dropped since).
    public var firstRow: Int?
    /// The hash of the file's bytes as the reader saw them, until the loader puts it into
    /// `identity` (for a part of a file cut in parts: the hash of that part's block).
    var contentHash: UInt64 = 0

    public init(path: String, format: String, rows: Int, skipped: Int, warning: String? = nil) {
        self.path = path
        self.format = format
        self.rows = rows
        self.skipped = skipped
        self.warning = warning
    }
}

/// A file whose earlier rows a load replaced with its rows as they are now.
public struct ReplacedFile: Sendable, Equatable {
    public var path: String
    public var earlierRows: Int
    public var rows: Int
}

public struct LoadReport: Sendable {
    public var table: String
    public var files: [FileLoadReport]
    /// The first few skipped records, with file, line and reason.
    public var firstSkipped: [SkippedRecord]
    public var seconds: Double
    /// Files passed over because an earlier load read them.
    public var passedOver = PassedOver()
    /// Files read again whose earlier rows this load replaced (changed since, or FORCE).
    public var replaced: [ReplacedFile] = []
    /// Files loaded before from under the directory loaded that are no longer there (resolved
    /// paths), with the rows they gave: those rows stay.
    public var gone: [(path: String, rows: Int)] = []
    /// How many files were passed over as already loaded (unchanged or only touched).
    public var alreadyLoaded: Int { passedOver.unchanged + passedOver.touched.count }

    public init(table: String, files: [FileLoadReport], firstSkipped: [SkippedRecord], seconds: Double) {
        self.table = table
        self.files = files
        self.firstSkipped = firstSkipped
        self.seconds = seconds
    }

    public var rows: Int { files.reduce(0) { $0 + $1.rows } }
    public var skipped: Int { files.reduce(0) { $0 + $1.skipped } }
}

// What can go wrong saving or opening a store file, as data: the file, and for a damaged file
// the section and byte offset where reading stopped. `message` is the one place these are
// put into words.

import AQSyntax

public enum StoreFileError: Diagnostic, Sendable {
    /// What is wrong inside a section whose checksum was right (a file written by a faulty
    /// writer, or crafted).
    public enum Problem: Sendable, Equatable {
        case unknownSection(kind: UInt32)
        case unknownType(tag: UInt8)
        case unknownTag(what: String, tag: UInt8)
        /// A count or length that does not agree with what it describes.
        case mismatch(what: String, expected: Int, found: Int)
        case badStrings(what: String)
        case codeOutOfRange(what: String)
        case badText(what: String)
        case badQuery(view: String)
        case badDefault(table: String, column: Int)
        case missingSection(String)
        case duplicateTable(String)
        case extraBytes(Int)
    }

    /// The file cannot be read (missing, no permission): `reason` is the system's words.
    case cannotRead(path: String, reason: String)
    case isDirectory(path: String)
    case empty(path: String)
    /// The file does not start with the store's magic bytes.
    case notAStore(path: String)
    case newerVersion(path: String, version: UInt32, supported: UInt32)
    /// The file ends before `section` does.
    case truncated(path: String, section: String, offset: Int)
    case checksumMismatch(path: String, section: String, offset: Int)
    /// Every section's checksum is right, but their contents do not hash to what the header
    /// records: a section was changed and its checksum recomputed, or the header's hash was.
    case contentHashMismatch(path: String, recorded: UInt64, computed: UInt64)
    case malformed(path: String, section: String, offset: Int, problem: Problem)
    /// The file of a store opened without reading its rows is no longer as it was when
    /// opened, when they are read.
    case changedSinceOpened(path: String, size: Int, was: Int)
    /// One of the others, found when a statement first read the rows of a store opened
    /// without reading them (`StoreFile.read(deferring:)`).
    indirect case whenRead(StoreFileError)
    /// A step of the crash-safe write failed; the target file is as it was.
    case cannotWrite(path: String, step: StoreWriteStep, reason: String)
    /// `SAVE` without a file name when no store is open.
    case nothingOpen
    /// One of the others, pointing at the file name in an `OPEN` or `SAVE` statement.
    indirect case at(StoreFileError, range: SourceRange)

    public var range: SourceRange? {
        if case .at(_, let range) = self { return range }
        return nil
    }

    public var message: String {
        switch self {
        case .at(let error, _): return error.message
        case .whenRead(let error): return "cannot read the rows of the opened store: " + error.message
        case .changedSinceOpened(let path, let size, let was):
            return "cannot open \(path): the file changed since it was opened (\(size) bytes, was \(was))"
        case .cannotRead(let path, let reason): return "cannot open \(path): \(reason)"
        case .isDirectory(let path): return "cannot open \(path): it is a directory, not a store file"
        case .empty(let path): return "cannot open \(path): the file is empty, not a store file"
        case .notAStore(let path): return "cannot open \(path): not an aq store file (it does not start with the store's magic bytes)"
        case .newerVersion(let path, let version, let supported):
            return "cannot open \(path): store format version \(version) is newer than this aq reads (version \(supported)); use a newer aq"
        case .truncated(let path, let section, let offset):
            return "cannot open \(path): the file is truncated: it ends inside \(section) at byte \(offset)"
        case .checksumMismatch(let path, let section, let offset):
            return "cannot open \(path): \(section) at byte \(offset) is damaged (its checksum does not match)"
        case .contentHashMismatch(let path, let recorded, let computed):
            return "cannot open \(path): its contents have been changed: the sections hash to \(ContentHash.text(computed)), "
                + "the header records content hash \(ContentHash.text(recorded))"
        case .malformed(let path, let section, let offset, let problem):
            return "cannot open \(path): \(section) is malformed at byte \(offset): \(StoreFileError.words(problem))"
        case .cannotWrite(let path, let step, let reason):
            return "cannot save \(path): \(step.rawValue) failed: \(reason) (the file is as it was)"
        case .nothingOpen:
            return "SAVE needs a file name: no store is open (SAVE 'file.aqdb')"
        }
    }

    private static func words(_ problem: Problem) -> String {
        switch problem {
        case .unknownSection(let kind): return "unknown section kind \(kind)"
        case .unknownType(let tag): return "unknown column type tag \(tag)"
        case .unknownTag(let what, let tag): return "unknown \(what) tag \(tag)"
        case .mismatch(let what, let expected, let found): return "\(what): expected \(expected), found \(found)"
        case .badStrings(let what): return "the string offsets of \(what) do not fit its bytes"
        case .codeOutOfRange(let what): return "a code of \(what) is past the end of its dictionary"
        case .badText(let what): return "the compressed text of \(what) does not fit together"
        case .badQuery(let view): return "the query of view '\(view)' does not parse"
        case .badDefault(let table, let column): return "the default of column \(column + 1) of table '\(table)' does not parse"
        case .missingSection(let what): return "\(what) is missing"
        case .duplicateTable(let name): return "table '\(name)' appears twice"
        case .extraBytes(let n): return "\(n) bytes past the end of the section's data"
        }
    }
}

/// The steps of the crash-safe write, in order; a crash between any two leaves the old file
/// or the new one at the target.
public enum StoreWriteStep: String, Sendable, CaseIterable {
    case createTemporary = "creating the temporary file"
    case writeData = "writing the temporary file"
    case syncData = "flushing the temporary file to disk"
    case rename = "renaming the temporary file over the target"
    case syncDirectory = "flushing the directory"
}

// What can go wrong in COPY … TO before or while files are written (file system errors are
// `ExecutionError.io`).

import AQSyntax

public enum ExportError: Diagnostic, Sendable {
    case unknownOption(String, suggestion: String?, range: SourceRange)
    case unknownFormat(String, range: SourceRange)
    case unknownCompression(String, format: String, range: SourceRange)
    /// An option given a value of the wrong kind: `ROW_GROUP_SIZE 'x'`.
    case badOptionValue(option: String, expected: String, range: SourceRange)
    case unknownPartitionColumn(String, suggestion: String?, range: SourceRange)
    /// Every column would go into folder names: nothing would be left for the files.
    case everyColumnPartitioned(range: SourceRange)
    /// PARTITION_BY into a directory that already holds files, without OVERWRITE_OR_IGNORE.
    case directoryNotEmpty(String, range: SourceRange)
    case compressionFailed(String)

    public var message: String {
        switch self {
        case .unknownOption(let name, let suggestion, _):
            return "unknown COPY option '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
                + "; options are FORMAT, PARTITION_BY, COMPRESSION, ROW_GROUP_SIZE, HEADER, OVERWRITE_OR_IGNORE"
        case .unknownFormat(let name, _):
            return "unknown COPY format '\(name)': use parquet, csv or json"
        case .unknownCompression(let name, let format, _):
            let choices = format == "parquet" ? "uncompressed or gzip" : "none or gzip"
            return "unknown compression '\(name)' for \(format): use \(choices)"
        case .badOptionValue(let option, let expected, _):
            return "COPY option \(option) takes \(expected)"
        case .unknownPartitionColumn(let name, let suggestion, _):
            return "PARTITION_BY: no column '\(name)' in the copied rows" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .everyColumnPartitioned:
            return "PARTITION_BY names every column; leave at least one for the files"
        case .directoryNotEmpty(let path, _):
            return "directory '\(path)' is not empty; add OVERWRITE_OR_IGNORE to write into it"
        case .compressionFailed(let codec):
            return "\(codec) compression failed"
        }
    }

    public var range: SourceRange? {
        switch self {
        case .unknownOption(_, _, let r), .unknownFormat(_, let r), .unknownCompression(_, _, let r),
             .badOptionValue(_, _, let r), .unknownPartitionColumn(_, _, let r), .everyColumnPartitioned(let r),
             .directoryNotEmpty(_, let r):
            return r
        case .compressionFailed:
            return nil
        }
    }
}

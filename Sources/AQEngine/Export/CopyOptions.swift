// The options of `COPY … TO 'path' (…)`, read from the statement as DuckDB spells them:
// FORMAT parquet | csv | json, PARTITION_BY (columns), COMPRESSION, ROW_GROUP_SIZE, HEADER,
// OVERWRITE_OR_IGNORE.

import AQSyntax

public struct CopyOptions: Sendable {
    public enum Format: String, Sendable { case parquet, csv, json }

    public var format: Format
    public var partitionBy: [Identifier] = []
    /// Parquet pages' codec; CSV and JSON: gzip or none.
    public var compression: PageCompression
    public var rowGroupSize = 122_880
    public var header = true
    public var overwrite = false
    /// Where PARTITION_BY was written, for its errors.
    public var partitionRange: SourceRange?

    static let names = ["format", "partition_by", "compression", "codec", "row_group_size", "header",
                        "overwrite_or_ignore", "overwrite"]

    /// Reads the options; the format defaults to the path's extension (`.parquet`, `.csv`,
    /// `.json`, `.ndjson`, `.jsonl`), else CSV, as in DuckDB.
    public init(_ copy: Copy) throws {
        var format: Format?
        var compressionName: (String, SourceRange)?
        for option in copy.options {
            let name = option.name.name.lowercased()
            switch name {
            case "format":
                guard let word = option.value?.word, let f = Format(rawValue: word.lowercased()) else {
                    throw ExportError.unknownFormat(option.value?.word ?? "", range: option.range)
                }
                format = f
            case "partition_by":
                guard let columns = option.value?.columns, !columns.isEmpty else {
                    throw ExportError.badOptionValue(option: "PARTITION_BY", expected: "a list of columns", range: option.range)
                }
                partitionBy = columns
                partitionRange = option.range
            case "compression", "codec":
                guard let word = option.value?.word else {
                    throw ExportError.badOptionValue(option: "COMPRESSION", expected: "a codec name", range: option.range)
                }
                compressionName = (word.lowercased(), option.range)
            case "row_group_size":
                guard let n = option.value?.integer, n > 0 else {
                    throw ExportError.badOptionValue(option: "ROW_GROUP_SIZE", expected: "a positive integer", range: option.range)
                }
                rowGroupSize = n
            case "header":
                header = try CopyOptions.flag(option)
            case "overwrite_or_ignore", "overwrite":
                overwrite = try CopyOptions.flag(option)
            default:
                throw ExportError.unknownOption(option.name.name, suggestion: nearestName(to: name, in: CopyOptions.names),
                                                range: option.range)
            }
        }
        let path = copy.path.lowercased()
        self.format = format ?? (path.hasSuffix(".parquet") ? .parquet
            : path.hasSuffix(".json") || path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl") || path.hasSuffix(".json.gz") ? .json
            : .csv)
        switch compressionName?.0 {
        case nil:
            compression = self.format == .parquet ? .gzip : (path.hasSuffix(".gz") ? .gzip : .uncompressed)
        case "gzip":
            compression = .gzip
        case "uncompressed", "none":
            compression = .uncompressed
        case let other?:
            throw ExportError.unknownCompression(other, format: self.format.rawValue,
                                                 range: compressionName.map { $0.1 } ?? copy.pathRange)
        }
    }

    /// A boolean option: bare (true), or true / false / 1 / 0.
    static func flag(_ option: CopyOption) throws -> Bool {
        guard let value = option.value else { return true }
        guard let b = value.boolean else {
            throw ExportError.badOptionValue(option: option.name.name.uppercased(), expected: "true or false",
                                             range: option.range)
        }
        return b
    }

    /// The extension of the files written into partition folders.
    var fileExtension: String {
        switch format {
        case .parquet: return "parquet"
        case .csv: return compression == .gzip ? "csv.gz" : "csv"
        case .json: return compression == .gzip ? "json.gz" : "json"
        }
    }
}

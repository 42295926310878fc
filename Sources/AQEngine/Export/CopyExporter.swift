// COPY's rows out to files: one file, or with PARTITION_BY a Hive-style tree of folders
// (`provider=aws/day=2024-03-04/data_0.parquet`) whose names hold the partition columns'
// values, which the files then leave out.

import AQSyntax

public enum CopyExporter {
    /// Writes the rows; returns how many were written.
    public static func write(_ batches: [Batch], columns: [ColumnSchema], to path: String,
                             options: CopyOptions) throws -> Int {
        let rows = batches.reduce(0) { $0 + $1.count }
        guard !options.partitionBy.isEmpty else {
            let writer = try makeWriter(path: path, columns: columns, options: options)
            for batch in batches { try writer.append(batch) }
            try writer.finish()
            return rows
        }
        var keys: [Int] = []
        for name in options.partitionBy {
            guard let i = columns.firstIndex(where: { $0.name.lowercased() == name.name.lowercased() }) else {
                throw ExportError.unknownPartitionColumn(name.name, suggestion: nearestName(to: name.name, in: columns.map(\.name)),
                                                         range: name.range)
            }
            keys.append(i)
        }
        let kept = columns.indices.filter { !keys.contains($0) }
        guard !kept.isEmpty else { throw ExportError.everyColumnPartitioned(range: options.partitionRange ?? options.partitionBy[0].range) }
        if !options.overwrite && ExportFile.isNonEmptyDirectory(path) {
            throw ExportError.directoryNotEmpty(path, range: options.partitionRange ?? options.partitionBy[0].range)
        }
        try ExportFile.makeDirectories(path)
        let keptColumns = kept.map { columns[$0] }
        var writers: [String: ExportWriter] = [:]
        var order: [String] = []
        for batch in batches {
            var rowsOf: [String: [Int32]] = [:]
            var seen: [String] = []
            for row in 0..<batch.count {
                let folder = keys.map { k in
                    columns[k].name + "=" + folderValue(batch.columns[k].text(at: row))
                }.joined(separator: "/")
                if rowsOf[folder] == nil { seen.append(folder) }
                rowsOf[folder, default: []].append(Int32(row))
            }
            let projected = Batch(columns: kept.map { batch.columns[$0] }, count: batch.count)
            for folder in seen {
                guard let indices = rowsOf[folder] else { continue }
                if writers[folder] == nil {
                    let directory = path + "/" + folder
                    try ExportFile.makeDirectories(directory)
                    writers[folder] = try makeWriter(path: directory + "/data_0." + options.fileExtension,
                                                     columns: keptColumns, options: options)
                    order.append(folder)
                }
                try writers[folder]?.append(indices.count == batch.count ? projected : projected.gather(indices))
            }
        }
        for folder in order { try writers[folder]?.finish() }
        return rows
    }

    static func makeWriter(path: String, columns: [ColumnSchema], options: CopyOptions) throws -> ExportWriter {
        switch options.format {
        case .parquet:
            return try ParquetFileWriter(path: path, columns: columns, compression: options.compression,
                                         rowGroupSize: options.rowGroupSize)
        case .csv:
            return try TextFileWriter(path: path, columns: columns, kind: .csv(header: options.header),
                                      gzip: options.compression == .gzip)
        case .json:
            return try TextFileWriter(path: path, columns: columns, kind: .jsonLines, gzip: options.compression == .gzip)
        }
    }

    /// A value as a folder name: NULL is `NULL`; `/`, `=`, `%`, `\` and control characters
    /// are percent-encoded, as Hive does.
    static func folderValue(_ text: String?) -> String {
        guard let text else { return "NULL" }
        var out: [UInt8] = []
        for b in text.utf8 {
            if b < 0x20 || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") || b == UInt8(ascii: "%") || b == UInt8(ascii: "\\") {
                let hex = String(b, radix: 16, uppercase: true)
                out.append(contentsOf: ("%" + (hex.count == 1 ? "0" + hex : hex)).utf8)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// The output formats of results, and the one entry point that writes a result in a format.

import AQEngine

/// How results are written: `--format` on the command line, `.mode` in the shell.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, ndjson, markdown, chart, line

    /// The format named `name` (case-insensitive); `md` and `box` are accepted too.
    public init?(name: String) {
        switch name.lowercased() {
        case "md": self = .markdown
        case "box", "duckbox": self = .table
        case "jsonl", "jsonlines": self = .ndjson
        default:
            guard let format = OutputFormat(rawValue: name.lowercased()) else { return nil }
            self = format
        }
    }

    /// `table, csv, json, ndjson, markdown, chart, line` for messages.
    public static var namesList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Formats meant for other programs: statement messages go to standard error so that
    /// standard output holds only data.
    public var isMachineReadable: Bool { self == .csv || self == .json || self == .ndjson }

    /// Formats a person reads at a terminal: statement messages, the timer and notes are
    /// written with the results. For the others (data for programs and documents) they go
    /// to standard error, so that standard output holds only the data.
    public var showsDiagnostics: Bool { self == .table || self == .chart || self == .line }
}

/// Limits for showing a result on a screen; unlimited when writing to a file or a pipe.
public struct DisplayLimits: Sendable, Equatable {
    /// Rows shown before the middle of a result is elided (nil: all).
    public var maxRows: Int?
    /// Width in characters the table must fit (nil: any width).
    public var maxWidth: Int?
    /// Whether ANSI styling (dim NULLs) may be used.
    public var color: Bool
    /// `.nullvalue`: how NULL is shown (nil: each format's own, `NULL` or an empty field).
    public var nullValue: String?
    /// `.headers off`: CSV without its header row, markdown without its header.
    public var headers: Bool

    public init(maxRows: Int? = nil, maxWidth: Int? = nil, color: Bool = false, nullValue: String? = nil,
                headers: Bool = true) {
        self.maxRows = maxRows
        self.maxWidth = maxWidth
        self.color = color
        self.nullValue = nullValue
        self.headers = headers
    }

    public static let unlimited = DisplayLimits()
}

extension OutputFormat {
    /// Writes the rows of `result` in this format as they are read. Messages are written by
    /// the caller. `csv`, `json`, `ndjson` and `line` write each batch as it comes, in
    /// constant memory; `table` on a screen keeps only the rows it shows (the first and last
    /// of `maxRows`), and elsewhere, as `markdown` and `chart`, holds the whole result to
    /// size its columns. An error while reading (a limit, Ctrl-C) is thrown after what was
    /// written before it.
    public func write(_ result: ResultStream, to sink: OutputSink, limits: DisplayLimits) throws {
        switch self {
        case .table: try TableFormat(limits: limits).write(result, to: sink)
        case .csv: try CSVFormat.write(result, to: sink, limits: limits)
        case .json: try JSONFormat.write(result, to: sink)
        case .ndjson: try NDJSONFormat.write(result, to: sink)
        case .markdown: try MarkdownFormat.write(result, to: sink, limits: limits)
        case .line: try LineFormat.write(result, to: sink, limits: limits)
        case .chart:
            let result = try result.collect()
            // A result with nothing to draw is shown as a table, with the reason.
            guard let lines = ChartFormat(width: limits.maxWidth ?? 80).lines(result) else {
                write(result, to: sink, limits: limits, as: .table)
                sink.line("(no chart: \(ChartFormat.unchartable))")
                return
            }
            for line in lines { sink.line(line) }
        }
    }

    /// Writes the rows of a result already held (reading them cannot fail).
    public func write(_ result: StatementResult, to sink: OutputSink, limits: DisplayLimits) {
        write(result, to: sink, limits: limits, as: self)
    }

    private func write(_ result: StatementResult, to sink: OutputSink, limits: DisplayLimits, as format: OutputFormat) {
        do {
            try format.write(ResultStream(result), to: sink, limits: limits)
        } catch {
            // Held batches are read without error.
        }
    }
}

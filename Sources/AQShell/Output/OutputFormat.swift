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
    /// Writes the rows of `result` in this format. Messages are written by the caller.
    public func write(_ result: StatementResult, to sink: OutputSink, limits: DisplayLimits) {
        switch self {
        case .table: TableFormat(limits: limits).write(result, to: sink)
        case .csv: CSVFormat.write(result, to: sink, limits: limits)
        case .json: JSONFormat.write(result, to: sink)
        case .ndjson: NDJSONFormat.write(result, to: sink)
        case .markdown: MarkdownFormat.write(result, to: sink, limits: limits)
        case .line: LineFormat.write(result, to: sink, limits: limits)
        case .chart:
            // A result with nothing to draw is shown as a table, with the reason.
            guard let lines = ChartFormat(width: limits.maxWidth ?? 80).lines(result) else {
                TableFormat(limits: limits).write(result, to: sink)
                sink.line("(no chart: \(ChartFormat.unchartable))")
                return
            }
            for line in lines { sink.line(line) }
        }
    }
}

// The `table` format: a box with column names and types, numbers right-aligned, NULL shown
// as `NULL`, and a footer with the row count. On a screen it fits the width and elides rows.

import AQEngine
import AQSyntax

/// Writes results as aligned boxes:
///
///     ┌────────┬───────┐
///     │ action │   n   │
///     │ varchar│ integer│
///     ├────────┼───────┤
///     │ pull   │  1204 │
///     └────────┴───────┘
///     1 row
struct TableFormat {
    var limits: DisplayLimits

    /// A cell that no column is narrowed below (unless it is narrower itself).
    static let minimumColumnWidth = 10
    /// Cells longer than this are cut on a screen even when the table would fit.
    static let maximumCellWidth = 80

    private struct Column {
        var name: String
        var type: String
        var numeric: Bool
        var width: Int
        /// Times and numbers are never narrowed: a cut timestamp or number misleads.
        var keepWhole: Bool
    }

    private enum Cell {
        case null
        case text(String, width: Int)
    }

    /// Writes `result` as it is read. With `maxRows`, only the rows shown are kept — the
    /// first half and, in a few recent batches, the last — so a result of any size takes
    /// little memory; without, every row is held to size the columns.
    func write(_ result: ResultStream, to sink: OutputSink) throws {
        var columns = result.columns.map {
            Column(name: ControlText.escaped($0.name), type: typeLabel($0.type), numeric: isNumeric($0.type), width: 0,
                   keepWhole: [.timestamp, .date, .interval, .integer, .double, .boolean].contains($0.type))
        }
        for i in columns.indices {
            columns[i].width = max(displayWidth(columns[i].name), displayWidth(columns[i].type), 1)
        }
        let cap = limits.maxWidth == nil ? Int.max : TableFormat.maximumCellWidth

        /// The cells of one row, widening the columns to fit them.
        func cells(_ batch: Batch, _ row: Int) -> [Cell] {
            var cells: [Cell] = []
            cells.reserveCapacity(batch.columns.count)
            for (c, vector) in batch.columns.enumerated() {
                if let text = cellText(vector, row) {
                    let visible = cap == Int.max ? ControlText.escaped(text) : fitted(ControlText.escaped(text), to: cap)
                    let width = displayWidth(visible)
                    columns[c].width = max(columns[c].width, width)
                    cells.append(.text(visible, width: width))
                } else {
                    columns[c].width = max(columns[c].width, limits.nullValue.map { displayWidth(ControlText.escaped($0)) } ?? 4)
                    cells.append(.null)
                }
            }
            return cells
        }

        // Rows shown: all, or the first and last halves of `maxRows` (as DuckDB's box does).
        let maxRows = limits.maxRows.flatMap { $0 > 0 ? $0 : nil }
        let headCount = maxRows.map { ($0 + 1) / 2 } ?? Int.max
        let tailCount = maxRows.map { $0 - ($0 + 1) / 2 } ?? 0
        var head: [[Cell]] = []
        // The batches after the head that may hold the last `tailCount` rows: (batch, first row).
        var recent: [(batch: Batch, start: Int)] = []
        var recentRows = 0
        var total = 0
        while let batch = try result.nextBatch() {
            var row = 0
            while row < batch.count, total < headCount {
                head.append(cells(batch, row))
                row += 1
                total += 1
            }
            guard row < batch.count else { continue }
            recent.append((batch, row))
            recentRows += batch.count - row
            total += batch.count - row
            while let first = recent.first, recentRows - (first.batch.count - first.start) >= tailCount {
                recent.removeFirst()
                recentRows -= first.batch.count - first.start
            }
        }
        var tail: [[Cell]] = []
        var skip = recentRows - min(tailCount, recentRows)
        for (batch, start) in recent {
            for row in start..<batch.count {
                if skip > 0 { skip -= 1 } else { tail.append(cells(batch, row)) }
            }
        }
        let elided = total > head.count + tail.count
        var rows: [[Cell]?] = head  // nil: the elision marker row
        if elided, !tail.isEmpty { rows.append(nil) }
        rows += tail.map { Optional($0) }

        let shownColumns = fitColumns(&columns)
        draw(columns: columns, shown: shownColumns, rows: rows, to: sink)

        var footer = total == 1 ? "1 row" : "\(grouped(total)) rows"
        if elided {
            footer = "\(grouped(head.count + tail.count)) of \(grouped(total)) rows shown"
        }
        if shownColumns.count < columns.count {
            footer += " (\(shownColumns.count) of \(columns.count) columns shown)"
        }
        sink.line(footer)
    }

    /// Narrows wide columns, then leaves out middle columns, until the table fits
    /// `maxWidth`. Returns the indexes of the columns shown (a gap marks the elided ones).
    private func fitColumns(_ columns: inout [Column]) -> [Int] {
        var shown = Array(columns.indices)
        guard let maxWidth = limits.maxWidth, !columns.isEmpty else { return shown }
        func tableWidth() -> Int {
            let elided = shown.count < columns.count ? 4 : 0
            return shown.reduce(1) { $0 + columns[$1].width + 3 } + elided
        }
        // Narrow the widest column one step at a time.
        while tableWidth() > maxWidth {
            let narrowable = shown.filter { !columns[$0].keepWhole }
            guard let widest = narrowable.max(by: { columns[$0].width < columns[$1].width }),
                  columns[widest].width > TableFormat.minimumColumnWidth else { break }
            let excess = tableWidth() - maxWidth
            let secondWidest = narrowable.filter { $0 != widest }.map { columns[$0].width }.max() ?? 0
            let target = max(TableFormat.minimumColumnWidth, secondWidest, columns[widest].width - excess)
            columns[widest].width = target < columns[widest].width ? target : columns[widest].width - 1
        }
        // Then leave out columns from the middle.
        while tableWidth() > maxWidth, shown.count > 1 {
            shown.remove(at: shown.count / 2)
        }
        return shown
    }

    private func draw(columns: [Column], shown: [Int], rows: [[Cell]?], to sink: OutputSink) {
        // The elided columns show as one `…` column right after this position in `shown`.
        var gapAfter = -1
        if shown.count < columns.count {
            gapAfter = shown.indices.dropLast().first { shown[$0 + 1] > shown[$0] + 1 } ?? shown.count - 1
        }
        func border(_ left: String, _ middle: String, _ right: String) -> String {
            var line = left
            for (k, c) in shown.enumerated() {
                line += String(repeating: "─", count: columns[c].width + 2)
                if k == gapAfter { line += middle + "───" }
                line += k == shown.count - 1 ? right : middle
            }
            if shown.isEmpty { line += right }
            return line
        }
        func rowLine(_ cell: (Int) -> (text: String, width: Int, right: Bool), gap: String) -> String {
            var line = "│"
            for (k, c) in shown.enumerated() {
                let (text, width, right) = cell(c)
                let pad = String(repeating: " ", count: max(0, columns[c].width - width))
                line += " " + (right ? pad + text : text + pad) + " │"
                if k == gapAfter { line += " " + gap + " │" }
            }
            return line
        }
        func centered(_ text: String, in column: Int) -> (String, Int, Bool) {
            let clipped = truncated(text, to: columns[column].width)
            let w = displayWidth(clipped)
            let left = (columns[column].width - w) / 2
            return (String(repeating: " ", count: left) + clipped, left + w, false)
        }

        sink.line(border("┌", "┬", "┐"))
        sink.line(rowLine({ centered(columns[$0].name, in: $0) }, gap: "…"))
        sink.line(rowLine({ centered(columns[$0].type, in: $0) }, gap: " "))
        sink.line(border("├", "┼", "┤"))
        for row in rows {
            guard let row else {
                sink.line(rowLine({ c in
                    let mark = "·"
                    return columns[c].numeric ? (mark, 1, true) : (mark, 1, false)
                }, gap: "·"))
                continue
            }
            sink.line(rowLine({ c in
                switch row[c] {
                case .null:
                    if let null = limits.nullValue {
                        let shown = truncated(ControlText.escaped(null), to: columns[c].width)
                        return (shown, displayWidth(shown), columns[c].numeric)
                    }
                    let text = limits.color ? "\u{1B}[2mNULL\u{1B}[0m" : "NULL"
                    return (text, 4, columns[c].numeric)
                case .text(let text, let width):
                    if width > columns[c].width {
                        let cut = fitted(text, to: columns[c].width)
                        return (cut, displayWidth(cut), columns[c].numeric)
                    }
                    return (text, width, columns[c].numeric)
                }
            }, gap: "…"))
        }
        sink.line(border("└", "┴", "┘"))
    }
}

/// `1234567` as `1,234,567`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return n < 0 ? "-" + out : out
}

/// A cell's text cut to at most `width` columns. Names whose end tells most (an ARN's
/// `…role/deployer`, a path's last part) keep their end; other text keeps its start.
func fitted(_ text: String, to width: Int) -> String {
    guard displayWidth(text) > width else { return text }
    let keepsEnd = text.hasPrefix("arn:") || (text.contains("/") && !text.contains(" "))
    guard keepsEnd, width > 1 else { return truncated(text, to: width) }
    var tail: [Unicode.Scalar] = []
    var used = 0
    for scalar in text.unicodeScalars.reversed() {
        let w = scalarWidth(scalar)
        if used + w > width - 1 { break }
        tail.append(scalar)
        used += w
    }
    var out = "…"
    out.unicodeScalars.append(contentsOf: tail.reversed())
    return out
}

/// `text` cut to at most `width` columns, ending in `…` when cut.
func truncated(_ text: String, to width: Int) -> String {
    guard displayWidth(text) > width else { return text }
    guard width > 1 else { return width == 1 ? "…" : "" }
    var out = ""
    var used = 0
    for scalar in text.unicodeScalars {
        let w = scalarWidth(scalar)
        if used + w > width - 1 { break }
        out.unicodeScalars.append(scalar)
        used += w
    }
    return out + "…"
}

/// Columns a text takes on a terminal: wide East Asian characters count two, combining
/// marks none.
func displayWidth(_ text: String) -> Int {
    if !text.utf8.contains(where: { $0 >= 0x80 }) { return text.utf8.count }
    return text.unicodeScalars.reduce(0) { $0 + scalarWidth($1) }
}

/// The terminal width of one scalar (a small `wcwidth`).
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x300 { return 1 }
    if (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || (0xFE00...0xFE0F).contains(v) { return 0 }
    if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
        || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
        || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
        || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
        || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
        return 2
    }
    return 1
}

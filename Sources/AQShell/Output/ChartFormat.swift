// Charts of a result in the terminal (`.chart`, `--format chart`): a time column and a
// number as a histogram over time, a category and a number as horizontal bars.

import AQEngine
import AQSyntax

/// Draws a result as a chart `width` characters wide.
struct ChartFormat {
    var width: Int
    /// Rows of the histogram's plot.
    var height = 12
    /// Bars drawn for categories before the rest are counted in a last line.
    var maxBars = 60

    /// Why a result cannot be drawn.
    static let unchartable = "a chart needs a number column and a time or text column "
        + "(as SELECT date_trunc('day', time) AS day, count(*) FROM events GROUP BY 1)"

    /// The chart's lines, or nil when the result has no columns to draw.
    func lines(_ result: StatementResult) -> [String]? {
        let columns = result.columns
        let isTime: (DataType) -> Bool = { $0 == .timestamp || $0 == .date }
        // The first number is drawn against the first other column: over time when that
        // is a time, per category otherwise.
        guard let value = columns.indices.first(where: { isNumeric(columns[$0].type) }),
              let label = columns.indices.first(where: { !isNumeric(columns[$0].type) }) else { return nil }
        if isTime(columns[label].type) { return histogram(result, time: label, value: value) }
        return bars(result, label: label, value: value)
    }

    /// The number in a row's value column (nil for NULL).
    private func number(_ v: Vector, _ row: Int) -> Double? {
        switch v.value(at: row) {
        case .integer(let i): return Double(i)
        case .double(let d): return d.isFinite ? d : nil
        default: return nil
        }
    }

    /// One line per row: the label, a bar scaled to the largest value, the value.
    func bars(_ result: StatementResult, label: Int, value: Int) -> [String] {
        var rows: [(String, Double?, String)] = []
        forEachRow(result) { batch, r in
            rows.append((cellText(batch.columns[label], r).map { ControlText.escaped($0) } ?? "NULL", number(batch.columns[value], r),
                         cellText(batch.columns[value], r) ?? "NULL"))
        }
        let shown = rows.prefix(maxBars)
        let labelWidth = min(max(4, shown.map { displayWidth($0.0) }.max() ?? 0), max(8, width / 3))
        let valueWidth = shown.map { $0.2.count }.max() ?? 1
        let barWidth = max(4, width - labelWidth - valueWidth - 3)
        // A last row named `total` (SUMMARY's) sums the others: it gets its number, no bar.
        let hasTotal = rows.count > 1 && shown.count == rows.count && rows[rows.count - 1].0 == "total"
        let scaled = hasTotal ? shown.dropLast() : shown
        let top = max(0, scaled.compactMap(\.1).max() ?? 0)
        let bottom = min(0, scaled.compactMap(\.1).min() ?? 0)
        var out = ["\(result.columns[value].name) by \(result.columns[label].name)"]
        for (i, (text, v, shownValue)) in shown.enumerated() {
            let blank = hasTotal && i == shown.count - 1
            let bar = BarText.bar(blank ? bottom : v ?? bottom, min: bottom, max: top == bottom ? bottom + 1 : top,
                                  width: barWidth)
            out.append(fit(text, labelWidth) + " │" + bar + " " + String(repeating: " ", count: valueWidth - shownValue.count) + shownValue)
        }
        if rows.count > shown.count { out.append("… \(rows.count - shown.count) more rows") }
        return out
    }

    /// Columns of block characters rising from a baseline, one per step of time (or per
    /// equal slice of the span when there are more steps than columns), summed.
    func histogram(_ result: StatementResult, time: Int, value: Int) -> [String] {
        var points: [(Int64, Double)] = []
        forEachRow(result) { batch, r in
            let t: Int64?
            switch batch.columns[time].value(at: r) {
            case .timestamp(let x): t = x
            case .date(let d): t = d.multipliedReportingOverflow(by: 86_400_000_000_000).overflow ? nil : d * 86_400_000_000_000
            default: t = nil
            }
            if let t, let v = number(batch.columns[value], r) { points.append((t, v)) }
        }
        let title = "\(result.columns[value].name) by \(result.columns[time].name)"
        guard let first = points.map(\.0).min(), let last = points.map(\.0).max() else { return [title, "(no rows to draw)"] }
        points.sort { $0.0 < $1.0 }
        let top = max(0, points.map(\.1).max() ?? 0)
        let topText = shortNumber(top)
        let axisWidth = max(topText.count, 1)
        let plotWidth = max(8, width - axisWidth - 2)
        // The step between times, when the points come at a regular pace.
        let gaps = zip(points.dropFirst(), points).map { $0.0 - $1.0 }.filter { $0 > 0 }
        let step = gaps.min() ?? 1
        let steps = (last - first) / max(step, 1) + 1
        let slots = steps <= Int64(plotWidth) ? Int(steps) : plotWidth
        let slotWidth = max(1, plotWidth / max(slots, 1))
        var sums = [Double](repeating: 0, count: slots)
        let span = Double(last - first) + 1
        for (t, v) in points {
            let k = steps <= Int64(plotWidth) ? Int((t - first) / max(step, 1)) : Int(Double(t - first) / span * Double(slots))
            sums[min(max(k, 0), slots - 1)] += v
        }
        let blocks = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        var out = [title]
        for row in 0..<height {
            let level = (height - 1 - row) * 8
            var line = row == 0 ? pad(topText, axisWidth) : String(repeating: " ", count: axisWidth)
            line += " ┤"
            for s in sums {
                let eighths = top > 0 ? Int((max(0, s) / top * Double(height * 8)).rounded()) : 0
                let cell = blocks[min(8, max(0, eighths - level))]
                line += String(repeating: cell, count: max(1, slotWidth - (slotWidth > 2 ? 1 : 0)))
                if slotWidth > 2 { line += " " }
            }
            out.append(line)
        }
        let used = slots * slotWidth
        out.append(pad("0", axisWidth) + " └" + String(repeating: "─", count: used))
        let from = TimeLabel.text(first), to = TimeLabel.text(last)
        let gap = max(1, used + 2 - from.count - to.count)
        out.append(String(repeating: " ", count: axisWidth) + "  " + from + String(repeating: " ", count: gap) + to)
        return out
    }

    /// 1234 → `1234`, 12.5 → `12.5`.
    private func shortNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    private func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }

    /// The text cut or padded to `width` characters.
    private func fit(_ s: String, _ width: Int) -> String {
        let n = displayWidth(s)
        if n <= width { return s + String(repeating: " ", count: width - n) }
        return String(s.prefix(width - 1)) + "…"
    }

    private func displayWidth(_ s: String) -> Int { s.count }
}

/// A time for an axis: the date at midnight, else the timestamp to the second.
enum TimeLabel {
    static func text(_ nanos: Int64) -> String {
        let text = Vector(type: .timestamp, storage: .int64([nanos])).text(at: 0) ?? ""
        if text.hasSuffix(" 00:00:00") { return String(text.prefix(10)) }
        return String(text.prefix(19))
    }
}

// LOAD: reads audit logs into `events` (or a CSV / JSON-lines file into a table of its own)
// and words the load report: rows, skipped records with their first reasons, time taken.

import AQSyntax

extension Database {
    func runLoad(_ load: Load) throws -> StatementResult {
        let report: LoadReport
        do {
            if let table = load.table {
                report = try withinMemoryLimit(settings.memoryLimit) {
                    try TableFileLoader.load(path: load.path, table: table.name, into: catalog, cancellation: cancellation)
                }
            } else {
                report = try loadUnlocked(path: load.path, format: load.format?.name, force: load.force)
            }
        } catch let error as any Diagnostic where error.range == nil {
            // A loader knows the file, not the statement: point at the path.
            if case ExecutionError.cancelled = error { throw error }
            throw ExecutionError.failed(error.message, range: load.pathRange)
        }
        return StatementResult(message: Database.describe(report))
    }

    /// A load report as the shell prints it, for `LOAD`, `--load` and `.load` alike (the
    /// last two leave out the line per file, `listingFiles: false`):
    ///
    ///     loaded 1,204 rows into events from 2 files in 0.42 s, skipped 2 records
    ///       logs/a.json: 1,000 rows (cloudtrail)
    ///       logs/b.csv: 204 rows, 2 skipped (acr_audit)
    ///     skipped:
    ///       logs/b.csv:17: missing time
    ///
    /// A file read again whose earlier rows were replaced gets a line (`replaced logs/a.json:
    /// 1,000 rows before, 1,204 now`), as does a file loaded before from the directory that is
    /// gone (its rows stay).
    public static func describe(_ report: LoadReport, listingFiles: Bool = true) -> String {
        var head = "loaded \(count(report.rows, "row")) into \(report.table)"
        if report.files.count == 1, let f = report.files.first {
            head += " from \(f.path) (\(f.format))"
        } else {
            head += " from \(count(report.files.count, "file"))"
        }
        head += " in \(seconds(report.seconds))"
        if report.skipped > 0 { head += ", skipped \(count(report.skipped, "record"))" }
        if report.alreadyLoaded > 0 {
            head += "; passed over \(count(report.alreadyLoaded, "file")) already loaded"
            let touched = report.passedOver.touched.count
            if touched > 0 {
                head += touched == 1 ? " (1 with a new modification time but the same contents)"
                    : " (\(grouped(touched)) with a new modification time but the same contents)"
            }
            head += " (LOAD … FORCE reads them again)"
        }
        var lines = [head]
        if listingFiles, report.files.count > 1 {
            for f in report.files {
                var line = "  \(f.path): \(count(f.rows, "row"))"
                if f.skipped > 0 { line += ", \(grouped(f.skipped)) skipped" }
                lines.append(line + " (\(f.format))")
            }
        }
        for f in report.files {
            if let warning = f.warning { lines.append("warning: \(f.path): \(warning)") }
        }
        for r in report.replaced {
            lines.append("replaced \(r.path): \(count(r.earlierRows, "row")) before, \(grouped(r.rows)) now")
        }
        for g in report.gone {
            lines.append("note: \(g.path): loaded before, no longer there; its \(count(g.rows, "row")) stay")
        }
        for path in report.passedOver.changed {
            lines.append("warning: \(path): changed since it was loaded; not read again, its rows from then stay "
                         + "(LOAD '\(path)' FORCE adds its rows as they are now)")
        }
        if !report.firstSkipped.isEmpty {
            lines.append("skipped:")
            for s in report.firstSkipped { lines.append("  \(s.file):\(s.line): \(s.reason)") }
            let more = report.skipped - report.firstSkipped.count
            if more > 0 { lines.append("  … and \(count(more, "more record"))") }
        }
        return lines.joined(separator: "\n")
    }

    /// `0.42 s`, `12 ms`.
    static func seconds(_ s: Double) -> String {
        if s < 1 {
            let ms = Int((s * 1000).rounded())
            return "\(ms) ms"
        }
        let hundredths = Int((s * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac) s"
    }
}

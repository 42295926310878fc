// Helpers for the log-reader tests: fixture paths, loading into a fresh catalog, and reading
// the `events` chunks back as rows of values by column name.

import Foundation
import XCTest
@testable import AQEngine

enum IngestTest {
    /// The repository root, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ name: String) -> String { root + "/Tests/fixtures/" + name }
    static var examples: String { root + "/examples/logs" }

    /// Loads `path` into a new catalog.
    static func load(_ path: String, format: String? = nil) throws -> (Catalog, LoadReport) {
        let catalog = Catalog()
        let report = try AuditLogLoader.load(path: path, format: format, into: catalog)
        return (catalog, report)
    }

    /// Every row of `table` in load order, as column name → value.
    static func rows(_ catalog: Catalog, table: String = "events") -> [[String: Value]] {
        guard let t = catalog.table(named: table) else { return [] }
        var out: [[String: Value]] = []
        for chunk in t.chunks {
            for r in 0..<chunk.count {
                var row: [String: Value] = [:]
                for (c, column) in t.columns.enumerated() { row[column.name] = chunk.columns[c].value(at: r) }
                out.append(row)
            }
        }
        return out
    }

    /// The values of one column of `table`, in load order.
    static func column(_ catalog: Catalog, _ name: String, table: String = "events") -> [Value] {
        guard let t = catalog.table(named: table), let c = t.columnIndex(name) else { return [] }
        return t.chunks.flatMap { chunk in (0..<chunk.count).map { chunk.columns[c].value(at: $0) } }
    }

    /// A new empty directory for a test's files, inside `TestScratch.root`.
    static func temporaryDirectory() -> String {
        let path = TestScratch.root + "/ingest-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @discardableResult
    static func write(_ text: String, to name: String, in directory: String) -> String {
        let path = directory + "/" + name
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @discardableResult
    static func write(bytes: [UInt8], to name: String, in directory: String) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// gzip-compresses a file with the system's gzip (keeps the original).
    static func gzip(_ path: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c '\(path)' > '\(path).gz'"]
        try? process.run()
        process.waitUntilExit()
        return path + ".gz"
    }

    static func ts(_ text: String) -> Value { .timestamp(TimeMath.parseTimestamp(text)!) }
    static func s(_ text: String) -> Value { .varchar(text) }
}

/// Checks `row` against `expected`, column by column, naming the column that differs.
func assertRow(_ row: [String: Value], _ expected: [String: Value], file: StaticString = #filePath, line: UInt = #line) {
    for (column, value) in expected.sorted(by: { $0.key < $1.key }) {
        XCTAssertEqual(row[column], value, "column \(column)", file: file, line: line)
    }
}

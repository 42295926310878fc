// The generated logs in examples/logs (gen.py: CloudTrail .json.gz files, ACR audit JSON
// lines and a CSV export, event line CSVs, IBM JSON lines), loaded and counted by format,
// provider and action against counts DuckDB's reference ingest computed from the same files
// (Tests/fixtures/make_example_counts.py).

import Foundation
import XCTest
@testable import AQEngine

final class IngestGeneratedTests: XCTestCase {
    typealias T = IngestTest

    struct Counts: Decodable {
        var rows: Int
        var by_format: [String: Int]
        var by_provider: [String: Int]
        var by_format_action: [String: Int]
        var failures: Int
        var distinct_actors: Int
        var time_sum_seconds: Int64
    }

    func testCountsMatchTheReferenceIngest() throws {
        let expected = try JSONDecoder().decode(Counts.self, from: Data(contentsOf: URL(fileURLWithPath: T.fixture("example-counts.json"))))
        let catalog = Catalog()
        var reports: [LoadReport] = []
        for part in ["aws", "alibaba", "ibm"] {
            reports.append(try AuditLogLoader.load(path: T.examples + "/" + part, format: nil, into: catalog))
        }
        XCTAssertEqual(reports.reduce(0) { $0 + $1.skipped }, 0)
        XCTAssertTrue(reports.allSatisfy { $0.files.allSatisfy { $0.warning == nil } })
        let rows = T.rows(catalog)
        XCTAssertEqual(rows.count, expected.rows)
        XCTAssertEqual(reports.reduce(0) { $0 + $1.rows }, expected.rows)

        func text(_ v: Value?) -> String { if case .varchar(let s)? = v { return s } else { return "NULL" } }
        var byFormat: [String: Int] = [:], byProvider: [String: Int] = [:], byAction: [String: Int] = [:]
        var failures = 0
        var actors: Set<String> = []
        var timeSum: Int64 = 0
        for row in rows {
            byFormat[text(row["format"]), default: 0] += 1
            byProvider[text(row["provider"]), default: 0] += 1
            byAction[text(row["format"]) + "/" + text(row["action"]), default: 0] += 1
            if row["success"] == .boolean(false) { failures += 1 }
            if case .varchar(let a)? = row["actor"] { actors.insert(a) }
            if case .timestamp(let t)? = row["time"] { timeSum += t / 1_000_000_000 }
        }
        XCTAssertEqual(byFormat, expected.by_format)
        XCTAssertEqual(byProvider, expected.by_provider)
        XCTAssertEqual(byAction, expected.by_format_action)
        XCTAssertEqual(failures, expected.failures)
        XCTAssertEqual(actors.count, expected.distinct_actors)
        XCTAssertEqual(timeSum, expected.time_sum_seconds)
    }

    /// Rows keep sorted path order, and the table is cut into full chunks however small the
    /// files are (the last chunk excepted).
    func testRowsArriveInPathOrderInFullChunks() throws {
        let expected = try JSONDecoder().decode(Counts.self, from: Data(contentsOf: URL(fileURLWithPath: T.fixture("example-counts.json"))))
        let (catalog, report) = try T.load(T.examples + "/alibaba")
        let paths = report.files.map(\.path)
        XCTAssertEqual(paths, paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        XCTAssertTrue(paths.first!.hasSuffix("audit/acr_access_log_2024-03-04.json"))
        let table = catalog.table(named: "events")!
        XCTAssertEqual(table.chunks.count, 1)
        XCTAssertEqual(table.rowCount, expected.by_provider["alibaba"])
        let many = Catalog()
        for _ in 0..<15 { _ = try AuditLogLoader.load(path: T.examples + "/alibaba/audit", format: nil, into: many) }
        // Each load's last chunk is partial; the others are full.
        let events = many.table(named: "events")!
        XCTAssertEqual(events.rowCount, 15 * (expected.by_format["acr_audit"] ?? 0))
        XCTAssertTrue(events.chunks.allSatisfy { $0.count <= Batch.capacity })
    }

    /// Small files are read in runs (one worker, one segment); big ones alone.
    func testWorkUnitsGroupSmallFiles() {
        func files(_ sizes: [Int]) -> [InputPath] { sizes.enumerated().map { InputPath(path: "f\($0.offset)", size: $0.element) } }
        XCTAssertEqual(WorkPlan.runs(files(Array(repeating: 1000, count: 150))), [0..<64, 64..<128, 128..<150])
        XCTAssertEqual(WorkPlan.runs(files([4 << 20, 3 << 20, 2 << 20, 100])), [0..<2, 2..<4])
        XCTAssertEqual(WorkPlan.runs(files([20 << 20, 100, 100, 9 << 20, 100])), [0..<1, 1..<3, 3..<4, 4..<5])
        XCTAssertEqual(WorkPlan.runs(files([])), [])
    }

    /// Progress ends with every byte and file done; hidden files are passed over.
    func testProgressAndHiddenFiles() throws {
        let dir = T.temporaryDirectory()
        try FileManager.default.copyItem(atPath: T.examples + "/ibm", toPath: dir + "/ibm")
        T.write("{broken", to: ".hidden.json", in: dir)
        T.write("{broken", to: ".git/config", in: dir)
        var updates: [LoadProgress] = []
        let report = try AuditLogLoader.load(path: dir, format: nil, into: Catalog()) { updates.append($0) }
        let visible = try FileManager.default.contentsOfDirectory(atPath: T.examples + "/ibm").filter { !$0.hasPrefix(".") }.count
        XCTAssertGreaterThan(visible, 1)
        XCTAssertEqual(report.files.count, visible)
        XCTAssertEqual(report.skipped, 0)
        let last = try XCTUnwrap(updates.last)
        XCTAssertEqual(last.filesDone, visible)
        XCTAssertEqual(last.filesTotal, visible)
        XCTAssertEqual(last.bytesDone, last.bytesTotal)
        let sizes = try FileManager.default.subpathsOfDirectory(atPath: dir + "/ibm").reduce(0) {
            $0 + ((try FileManager.default.attributesOfItem(atPath: dir + "/ibm/" + $1)[.size] as? NSNumber)?.intValue ?? 0)
        }
        XCTAssertEqual(last.bytesTotal, sizes)
        XCTAssertTrue(updates.allSatisfy { $0.bytesDone <= $0.bytesTotal })
    }
}

extension IngestGeneratedTests {
    /// examples/shapes: every other shape, detected from content (one file named `.log` is gzip).
    func testExampleShapes() throws {
        let (catalog, report) = try T.load(T.root + "/examples/shapes")
        XCTAssertEqual(report.skipped, 0)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: report.files.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.format) }), [
            "acr-audit-documented.jsonl": "acr_audit", "acr-event-line.jsonl": "acr_event_line",
            "cloudtrail-ecr-examples.json": "cloudtrail", "cloudtrail-ecr-examples.log": "cloudtrail",
            "ibm-at-events.json": "ibm_at",
        ])
        XCTAssertEqual(report.files.map(\.rows), [7, 3, 6, 6, 10])
        XCTAssertEqual(catalog.table(named: "events")?.rowCount, 32)
    }
}

// Input that cannot be read: broken records are skipped, counted and reported with file,
// line and reason while the others load; broken files are errors naming them (or warnings
// inside a directory); nothing already loaded is lost; nothing crashes.

import Foundation
import XCTest
@testable import AQEngine

final class IngestBadInputTests: XCTestCase {
    typealias T = IngestTest

    static let good = #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"ListImages","eventID":"e%d"}"#
    func good(_ n: Int) -> String { Self.good.replacingOccurrences(of: "%d", with: String(n)) }

    func testBrokenRecordsAreSkippedWithLineAndReason() throws {
        let dir = T.temporaryDirectory()
        let lines = [
            good(1),
            #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"#,   // broken JSON
            good(3),
            "[1, 2]",                                                                          // elements not objects
            "42",                                                                              // not an object
            #"{"eventVersion":"1.08","eventTime":"2024-01-01T24:00:00Z"}"#,                    // hour 24
            #"{"eventVersion":"1.08","eventTime":"2024-01-01T23:59:60Z"}"#,                    // second 60
            #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00.1234567890Z"}"#,         // 10 fraction digits
            #"{"eventVersion":"1.08","eventName":"NoTime"}"#,                                  // no time: kept
            "",
            good(11),
        ]
        let path = T.write(lines.joined(separator: "\n") + "\n", to: "mixed.jsonl", in: dir)
        let (catalog, report) = try T.load(path)
        let rows = T.rows(catalog)
        XCTAssertEqual(rows.map { $0["event_id"] }, [T.s("e1"), T.s("e3"), .null, T.s("e11")])
        XCTAssertEqual(rows[2]["time"], .null)
        XCTAssertEqual(rows[2]["operation"], T.s("NoTime"))
        XCTAssertEqual(report.rows, 4)
        XCTAssertEqual(report.skipped, 7)
        XCTAssertEqual(report.files.first?.skipped, 7)
        XCTAssertEqual(report.firstSkipped.map(\.line), [2, 4, 4, 5, 6, 7, 8])
        XCTAssertEqual(report.firstSkipped.map(\.file), Array(repeating: path, count: 7))
        XCTAssertEqual(report.firstSkipped.map(\.reason), [
            "broken JSON", "not a JSON object", "not a JSON object", "not a JSON object",
            "time '2024-01-01T24:00:00Z' does not parse", "time '2024-01-01T23:59:60Z' does not parse",
            "time '2024-01-01T00:00:00.1234567890Z' does not parse",
        ])
    }

    func testOnlyTheFirstSkippedRecordsAreListed() throws {
        let dir = T.temporaryDirectory()
        let text = (0..<25).map { _ in "{broken" }.joined(separator: "\n") + "\n" + good(1) + "\n"
        let (catalog, report) = try T.load(T.write(text, to: "many.jsonl", in: dir), format: "cloudtrail")
        XCTAssertEqual(report.skipped, 25)
        XCTAssertEqual(report.firstSkipped.count, 10)
        XCTAssertEqual(report.firstSkipped.last?.line, 10)
        XCTAssertEqual(catalog.table(named: "events")?.rowCount, 1)
    }

    func testTruncatedRecordsFileKeepsTheRecordsBeforeTheBreak() throws {
        let dir = T.temporaryDirectory()
        let text = "{\"Records\":[" + (1...3).map(good).joined(separator: ",") + "," + String(good(4).prefix(30))
        let (catalog, report) = try T.load(T.write(text, to: "cut.json", in: dir))
        XCTAssertEqual(T.rows(catalog).map { $0["event_id"] }, [T.s("e1"), T.s("e2"), T.s("e3")])
        XCTAssertEqual(report.skipped, 1)
        XCTAssertEqual(report.firstSkipped.first?.reason, "broken JSON; the rest of the file is not read")
    }

    func testCSVRowsWithTheWrongNumberOfFieldsAreSkipped() throws {
        let dir = T.temporaryDirectory()
        let text = """
        Namespace,Repository,Tag,Event category,Client network type,Client public IP address,Event time
        ns,repo,v1,Pull,Public,1.2.3.4,2024-04-12 16:58:30
        ns,repo,v1,Pull,Public,2024-04-12 16:58:30
        ns,repo,v1,Pull,Public,1.2.3.4,2024-04-12 16:58:31,extra

        ns,"repo
        two",v2,Push,Public,1.2.3.4,2024-04-12 16:58:32
        ns,repo,v1,Pull,Public,1.2.3.4,not a time
        ns,repo,"v3,Pull,Public,1.2.3.4,2024-04-12 16:58:33
        ns,repo,v4,Pull,Public,1.2.3.4,2024-04-12 16:58:34

        """
        let (catalog, report) = try T.load(T.write(text, to: "events.csv", in: dir))
        let rows = T.rows(catalog)
        // The row after the unclosed quote is read from its own line on.
        XCTAssertEqual(rows.map { $0["tag"] }, [T.s("v1"), T.s("v2"), T.s("v4")])
        XCTAssertEqual(rows[1]["repository"], T.s("ns/repo\ntwo"))
        XCTAssertEqual(report.firstSkipped.map(\.line), [3, 4, 8, 9])
        XCTAssertEqual(report.firstSkipped.map(\.reason), [
            "expected 7 fields, found 6", "expected 7 fields, found 8", "time 'not a time' does not parse",
            "a quoted field does not end",
        ])
    }

    func testTruncatedAndCorruptGzipStopTheLoadKeepingWhatWasRead() throws {
        let dir = T.temporaryDirectory()
        let text = (1...2000).map(good).joined(separator: "\n") + "\n"
        let gz = T.gzip(T.write(text, to: "big.jsonl", in: dir))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gz)))
        let cut = T.write(bytes: Array(bytes.prefix(bytes.count / 2)), to: "cut.jsonl.gz", in: dir)
        let catalog = Catalog()
        XCTAssertThrowsError(try AuditLogLoader.load(path: cut, format: nil, into: catalog)) { error in
            guard let stopped = error as? LoadStopped else { return XCTFail("\(error)") }
            let loaded = catalog.table(named: "events")?.rowCount ?? 0
            XCTAssertGreaterThan(loaded, 100)
            XCTAssertLessThan(loaded, 2000)
            XCTAssertEqual(stopped.rowsKept, loaded)
            let lines = stopped.kept.first?.linesRead ?? 0
            XCTAssertTrue(lines == loaded || lines == loaded + 1, "the record cut in half is the last line read")
            XCTAssertTrue(stopped.message.hasPrefix(cut + ": gzip stream is truncated after "), stopped.message)
            XCTAssertTrue(stopped.message.hasSuffix("; the load stopped there: kept \(LoadStopped.count(loaded, "row")) "
                + "(\(cut): \(LoadStopped.count(loaded, "row")), lines 1–\(LoadStopped.grouped(lines))), not read: the rest of \(cut)"),
                stopped.message)
        }

        var corrupt = bytes
        for i in (bytes.count / 2)..<(bytes.count / 2 + 64) { corrupt[i] ^= 0x5A }
        XCTAssertThrowsError(try T.load(T.write(bytes: corrupt, to: "corrupt.gz", in: dir))) { error in
            XCTAssertTrue((error as? LoadStopped)?.message.contains("corrupt.gz: gzip stream is corrupt after") ?? false, "\(error)")
        }
    }

    /// A dangling link in a directory fails the load before any file is read: nothing of it is
    /// loaded, and the message says so.
    func testUnreadableFileIsAnErrorAndADanglingLinkLoadsNothing() throws {
        XCTAssertThrowsError(try T.load("/nonexistent/logs.json")) { error in
            XCTAssertEqual((error as? ExecutionError)?.message, "/nonexistent/logs.json: no such file or directory")
        }
        let dir = T.temporaryDirectory()
        T.write(good(1) + "\n", to: "a.jsonl", in: dir)
        try FileManager.default.createSymbolicLink(atPath: dir + "/b.jsonl", withDestinationPath: dir + "/missing")
        T.write(good(3) + "\n", to: "c.jsonl", in: dir)
        let catalog = Catalog()
        _ = try AuditLogLoader.load(path: T.fixture("seeds/acr-audit.jsonl"), format: nil, into: catalog)
        XCTAssertThrowsError(try AuditLogLoader.load(path: dir, format: nil, into: catalog)) { error in
            XCTAssertEqual((error as? LoadStopped)?.message, dir + "/b.jsonl: no such file or directory; nothing was loaded")
        }
        // The earlier load stays; nothing of the failed one was added.
        XCTAssertEqual(T.rows(catalog).count, 7)
    }

    func testEmptyAndUnknownFiles() throws {
        let dir = T.temporaryDirectory()
        let empty = T.write("", to: "empty.json", in: dir)
        let blank = T.write("  \n\n", to: "blank.jsonl", in: dir)
        let unknown = T.write("hello,world\n1,2\n", to: "notes.csv", in: dir)
        let unknownJSON = T.write("{\"name\":\"x\"}\n", to: "other.json", in: dir)
        XCTAssertThrowsError(try T.load(empty)) { XCTAssertEqual(($0 as? ExecutionError)?.message, empty + ": file is empty") }
        XCTAssertThrowsError(try T.load(blank)) { XCTAssertEqual(($0 as? ExecutionError)?.message, blank + ": file is empty") }
        let expected = ": no known format (expected cloudtrail, acr_audit, acr_event_line or ibm_at)"
        XCTAssertThrowsError(try T.load(unknown)) { XCTAssertEqual(($0 as? ExecutionError)?.message, unknown + expected) }
        XCTAssertThrowsError(try T.load(unknownJSON)) { XCTAssertEqual(($0 as? ExecutionError)?.message, unknownJSON + expected) }
        // In a directory: warnings, and the other files load.
        T.write(good(1) + "\n", to: "z.jsonl", in: dir)
        let (catalog, report) = try T.load(dir)
        XCTAssertEqual(catalog.table(named: "events")?.rowCount, 1)
        XCTAssertEqual(report.files.map(\.warning), ["file is empty", "file is empty", "no known format (expected cloudtrail, acr_audit, acr_event_line or ibm_at)",
                                                     "no known format (expected cloudtrail, acr_audit, acr_event_line or ibm_at)", nil])
        // An empty directory loads nothing.
        XCTAssertEqual(try T.load(T.temporaryDirectory()).1.rows, 0)
    }

    func testUnknownFormatName() {
        XCTAssertThrowsError(try T.load(T.fixture("seeds/acr-audit.jsonl"), format: "cloudtrial")) {
            XCTAssertEqual(($0 as? ExecutionError)?.message, "unknown format 'cloudtrial' (did you mean 'cloudtrail'?)")
        }
        XCTAssertThrowsError(try T.load(T.fixture("seeds/acr-audit.jsonl"), format: "parquet")) {
            XCTAssertEqual(($0 as? ExecutionError)?.message,
                           "unknown format 'parquet' (expected cloudtrail, acr_audit, acr_event_line or ibm_at)")
        }
    }

    func testFormatOverridesDetection() throws {
        // ACR audit records read as CloudTrail: mostly NULL columns, one row each.
        let (catalog, report) = try T.load(T.fixture("seeds/acr-audit.jsonl"), format: "cloudtrail")
        XCTAssertEqual(report.files.map(\.format), ["cloudtrail"])
        let rows = T.rows(catalog)
        XCTAssertEqual(rows.count, 7)
        XCTAssertEqual(rows[0]["provider"], T.s("aws"))
        XCTAssertEqual(rows[0]["time"], .null)
        XCTAssertEqual(rows[0]["operation"], .null)
    }

    func testDeepNestingInvalidUTF8AndAHugeLine() throws {
        let dir = T.temporaryDirectory()
        let depth = 200_000
        let deep = "{\"eventVersion\":\"1.08\",\"eventName\":\"Deep\",\"requestParameters\":{\"x\":" +
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}"
        let unbalanced = "{\"eventVersion\":\"1.08\",\"x\":" + String(repeating: "[{", count: depth) + "}"
        var bytes = Array((deep + "\n" + unbalanced + "\n").utf8)
        // A value with bytes that are not UTF-8.
        bytes += Array("{\"eventVersion\":\"1.08\",\"eventName\":\"Bad".utf8) + [0xFF, 0xC3, 0x28] + Array("\"}\n".utf8)
        let path = T.write(bytes: bytes, to: "odd.jsonl", in: dir)
        let (catalog, report) = try T.load(path)
        let rows = T.rows(catalog)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0]["operation"], T.s("Deep"))
        XCTAssertEqual(report.firstSkipped.map(\.line), [2])
        if case .varchar(let s)? = rows[1]["operation"] {
            XCTAssertTrue(s.hasPrefix("Bad"))
        } else {
            XCTFail("invalid UTF-8 value not kept")
        }

        // One line of 10 MB (a huge request parameter, under the maximum record size) between
        // two ordinary records; longer ones: IngestHostileInputTests.
        var huge = Array((good(1) + "\n{\"eventVersion\":\"1.08\",\"eventName\":\"Huge\",\"requestParameters\":{\"blob\":\"").utf8)
        huge += [UInt8](repeating: 0x61, count: 10 << 20)
        huge += Array(("\"}}\n" + good(3) + "\n").utf8)
        let hugePath = T.write(bytes: huge, to: "huge.jsonl", in: dir)
        let (hugeCatalog, hugeReport) = try T.load(hugePath)
        XCTAssertEqual(hugeReport.skipped, 0)
        XCTAssertEqual(T.column(hugeCatalog, "operation"), [T.s("ListImages"), T.s("Huge"), T.s("ListImages")])
    }

    func testCancellationStopsTheLoad() throws {
        let token = CancellationToken()
        token.cancel()
        let catalog = Catalog()
        XCTAssertThrowsError(try AuditLogLoader.load(path: T.examples, format: nil, into: catalog, cancellation: token)) {
            guard case ExecutionError.cancelled? = $0 as? ExecutionError else { return XCTFail("\($0)") }
        }
    }

    func testAnEventsTableWithOtherColumnsIsNotOverwritten() {
        let catalog = Catalog()
        catalog.add(Table(name: "events", columns: [ColumnSchema(name: "x", type: .integer)]))
        XCTAssertThrowsError(try AuditLogLoader.load(path: T.fixture("seeds/acr-audit.jsonl"), format: nil, into: catalog)) {
            XCTAssertEqual(($0 as? ExecutionError)?.message, "table 'events' exists with other columns; drop it before loading logs")
        }
    }
}

extension IngestBadInputTests {
    /// Many broken lines that open a container: each is retried only up to the next record,
    /// so the load stays linear in the file's size.
    func testManyUnclosedLinesStayLinear() throws {
        let line = #"{"eventVersion":"1.08","requestParameters":{"imageIds":[{"imageTag":"x"}"#
        let text = (0..<20_000).map { $0 % 2 == 0 ? line : good($0) }.joined(separator: "\n") + "\n"
        let started = Date()
        let (catalog, report) = try T.load(T.write(text, to: "unclosed.jsonl", in: T.temporaryDirectory()))
        XCTAssertEqual(report.skipped, 10_000)
        XCTAssertEqual(catalog.table(named: "events")?.rowCount, 10_000)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    /// Pretty-printed objects, one after another, are records.
    func testPrettyPrintedObjectsOneAfterAnother() throws {
        let pretty = (1...3).map { "{\n  \"eventVersion\": \"1.08\",\n  \"eventID\": \"e\($0)\",\n  \"userIdentity\": {\n    \"type\": \"Root\"\n  }\n}" }
        let (catalog, report) = try T.load(T.write(pretty.joined(separator: "\n") + "\n", to: "pretty.json", in: T.temporaryDirectory()))
        XCTAssertEqual(report.skipped, 0)
        XCTAssertEqual(T.column(catalog, "event_id"), [T.s("e1"), T.s("e2"), T.s("e3")])
        XCTAssertEqual(T.column(catalog, "actor_type"), [T.s("root"), T.s("root"), T.s("root")])
    }
}

extension IngestBadInputTests {
    /// A directory inside the load that cannot be listed fails the load before anything is
    /// read. (Needs a user that permissions apply to.)
    func testUnreadableDirectoryFailsTheLoad() throws {
        try XCTSkipIf(geteuid() == 0, "permissions do not apply to root")
        let dir = T.temporaryDirectory()
        T.write(good(1) + "\n", to: "a.jsonl", in: dir)
        T.write(good(2) + "\n", to: "b/inner.jsonl", in: dir)
        T.write(good(3) + "\n", to: "c.jsonl", in: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: dir + "/b")
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/b") }
        let catalog = Catalog()
        XCTAssertThrowsError(try AuditLogLoader.load(path: dir, format: nil, into: catalog)) {
            XCTAssertEqual(($0 as? LoadStopped)?.message, dir + "/b: permission denied; nothing was loaded")
        }
        XCTAssertEqual(T.column(catalog, "event_id"), [])
    }
}

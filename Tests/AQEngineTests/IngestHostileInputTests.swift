// Logs written to mislead: nothing may be loaded or lost without a word, a gzip bomb stops
// at the memory limit, a LOAD into a user's own `events` keeps its constraints.

import Foundation
import XCTest
import AQSyntax
@testable import AQEngine

final class IngestHostileInputTests: XCTestCase {
    typealias T = IngestTest

    func good(_ n: Int) -> String { IngestBadInputTests.good.replacingOccurrences(of: "%d", with: String(n)) }

    func testAnUnclosedQuoteKeepsTheValidRowsAfterIt() throws {
        let text = """
        Namespace,Repository,Tag,Event category,Client network type,Client public IP address,Event time
        ns,repo,v1,Pull,Public,1.2.3.4,2024-04-12 16:58:30
        ns,"repo,v2,Pull,Public,1.2.3.4,2024-04-12 16:58:31
        ns,repo,v3,Pull,Public,1.2.3.4,2024-04-12 16:58:32
        ns,repo,v4,Pull,Public,1.2.3.4,2024-04-12 16:58:33

        """
        let (catalog, report) = try T.load(T.write(text, to: "quote.csv", in: T.temporaryDirectory()))
        XCTAssertEqual(T.column(catalog, "tag"), [T.s("v1"), T.s("v3"), T.s("v4")])
        XCTAssertEqual(report.rows, 3)
        XCTAssertEqual(report.firstSkipped.map(\.line), [3])
        XCTAssertEqual(report.firstSkipped.map(\.reason), ["a quoted field does not end"])
    }

    func testTextAfterAnObjectSkipsTheLineOnce() throws {
        let text = good(1) + "xyz\n" + good(2) + "  \n" + good(3) + good(4) + "\n"
        let (catalog, report) = try T.load(T.write(text, to: "junk.jsonl", in: T.temporaryDirectory()))
        XCTAssertEqual(T.column(catalog, "event_id"), [T.s("e2"), T.s("e3"), T.s("e4")])
        XCTAssertEqual(report.skipped, 1)
        XCTAssertEqual(report.firstSkipped.map(\.line), [1])
        XCTAssertEqual(report.firstSkipped.map(\.reason), ["text after the JSON object"])
    }

    func testANamedFormatThatDoesNotFitTheFileIsAnError() throws {
        let dir = T.temporaryDirectory()
        let notes = T.write("Meeting notes\nremember to rotate keys\n", to: "notes.txt", in: dir)
        XCTAssertThrowsError(try T.load(notes, format: "ibm_at")) {
            XCTAssertEqual(($0 as? ExecutionError)?.message, notes + ": not JSON (ibm_at logs are JSON records)")
        }
        XCTAssertThrowsError(try T.load(notes, format: "acr_audit")) {
            XCTAssertEqual(($0 as? ExecutionError)?.message, notes + ": the CSV header names no field of acr_audit")
        }
        // In a directory with a named format: a warning, no junk rows.
        T.write(good(1) + "\n", to: "a.jsonl", in: dir)
        let (catalog, report) = try T.load(dir, format: "cloudtrail")
        XCTAssertEqual(catalog.table(named: "events")?.rowCount, 1)
        XCTAssertEqual(report.files.map(\.warning), [nil, "not JSON (cloudtrail logs are JSON records)"])
    }

    /// A few MB of gzip that inflates to 64 MB, read under a 16 MB limit.
    func testAGzipBombStopsAtTheLimit() throws {
        let dir = T.temporaryDirectory()
        var zeros = Array(good(1).utf8) + [10]
        zeros += [UInt8](repeating: 0x20, count: 64 << 20)
        let bomb = T.gzip(T.write(bytes: zeros, to: "bomb.jsonl", in: dir))
        try FileManager.default.removeItem(atPath: dir + "/bomb.jsonl")
        let catalog = Catalog()
        XCTAssertThrowsError(try AuditLogLoader.load(path: dir, format: nil, into: catalog, maxFileBytes: 16 << 20)) {
            XCTAssertEqual(($0 as? LoadStopped)?.message,
                           bomb + ": larger than the memory limit of 16.8 MB once read (SET memory_limit raises it); nothing was loaded")
        }
        XCTAssertEqual(catalog.table(named: "events")?.rowCount ?? 0, 0)
        // Cancelled while inflating: stops too.
        let token = CancellationToken()
        token.cancel()
        XCTAssertThrowsError(try AuditLogLoader.load(path: bomb, format: nil, into: Catalog(), cancellation: token)) {
            guard case ExecutionError.cancelled? = $0 as? ExecutionError else { return XCTFail("\($0)") }
        }
    }

    /// A stop by the memory watch (which sees the process, not a file) names the file that
    /// was being read, alone or in a directory, as the file's own errors do.
    func testAStopForMemoryNamesTheFileBeingRead() throws {
        let dir = T.temporaryDirectory()
        let bomb = T.gzip(T.write(good(1) + "\n", to: "bomb.jsonl", in: dir))
        try FileManager.default.removeItem(atPath: dir + "/bomb.jsonl")
        for path in [bomb, dir] {
            let token = CancellationToken()
            token.exceedMemory(limit: 200_000_000, needed: 300_000_000)
            XCTAssertThrowsError(try AuditLogLoader.load(path: path, format: nil, into: Catalog(), cancellation: token)) {
                XCTAssertEqual(($0 as? LoadStopped)?.message,
                               bomb + ": memory limit of 200.0 MB exceeded (300.0 MB needed); nothing was loaded", path)
            }
        }
    }

    /// A LOAD into an `events` table the user created with constraints checks them as INSERT
    /// does: a load that breaks one adds no row.
    func testLoadIntoAUserEventsTableKeepsItsConstraints() throws {
        let columns = EventColumn.allCases.map { c -> String in
            var text = "\(c.name) \(c.type)"
            if c == .actor { text += " NOT NULL" }
            if c == .eventID { text += " UNIQUE" }
            return text
        }
        let db = Database()
        try db.query("CREATE TABLE events (\(columns.joined(separator: ", ")))")
        let dir = T.temporaryDirectory()
        let withActor = #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"ListImages","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a","userName":"a"},"eventID":"e%d"}"#
        let one = T.write(withActor.replacingOccurrences(of: "%d", with: "1") + "\n", to: "one.jsonl", in: dir)
        try db.query("LOAD '\(one)'")
        XCTAssertEqual(db.catalog.table(named: "events")?.rowCount, 1)

        let noActor = T.write(good(2) + "\n", to: "no-actor.jsonl", in: dir)
        XCTAssertThrowsError(try db.query("LOAD '\(noActor)'")) {
            XCTAssertEqual(($0 as? AQError)?.diagnostic.message, "NULL in NOT NULL column 'actor'; nothing was loaded")
        }
        let again = T.write(withActor.replacingOccurrences(of: "%d", with: "1") + "\n", to: "again.jsonl", in: dir)
        XCTAssertThrowsError(try db.query("LOAD '\(again)'")) {
            XCTAssertEqual(($0 as? AQError)?.diagnostic.message,
                           "duplicate key event_id = 'e1' violates a unique constraint of table events; nothing was loaded")
        }
        XCTAssertEqual(db.catalog.table(named: "events")?.rowCount, 1)
        XCTAssertEqual(try db.query("SELECT count(*) FROM events").value(row: 0, column: 0), .integer(1))
    }

    /// A line longer than the maximum record size (a file without newlines) is skipped with
    /// its line number, unparsed; the records around it load, whole or read in parts.
    func testALineLongerThanTheMaximumRecordSizeIsSkippedAlone() throws {
        defer { WorkPlan.partSize = 16 << 20 }
        let dir = T.temporaryDirectory()
        let huge = #"{"eventVersion":"1.08","userAgent":""# + String(repeating: "x", count: RecordSize.maximum + 10)
        let path = T.write([good(1), huge, good(3)].joined(separator: "\n") + "\n", to: "huge.jsonl", in: dir)
        let open = T.write(good(1) + "\n" + huge, to: "open.jsonl", in: dir)
        for partSize in [64 << 20, 1 << 20] {
            WorkPlan.partSize = partSize
            let (catalog, report) = try T.load(path)
            XCTAssertEqual(T.column(catalog, "event_id"), [.varchar("e1"), .varchar("e3")], "parts of \(partSize) bytes")
            XCTAssertEqual(report.firstSkipped.map(\.line), [2])
            XCTAssertEqual(report.firstSkipped.map(\.reason), ["longer than the maximum record size of 16 MB"])
            let (openCatalog, openReport) = try T.load(open)
            XCTAssertEqual(T.column(openCatalog, "event_id"), [.varchar("e1")])
            XCTAssertEqual(openReport.firstSkipped.map(\.reason), ["longer than the maximum record size of 16 MB"])
        }
        // CSV: a row with more text than the maximum is skipped; the next row loads.
        let header = "instance_id,action,http_request_id,time\n"
        let row = { (n: Int) in "cri-1,GetBlob,r\(n),2024-04-12T16:58:30+08:00\n" }
        let csv = T.write(header + row(1) + String(repeating: ",", count: RecordSize.maximum + 1) + "\n" + row(3),
                          to: "wide.csv", in: dir)
        let (csvCatalog, csvReport) = try T.load(csv, format: "acr_audit")
        XCTAssertEqual(T.column(csvCatalog, "request_id"), [.varchar("r1"), .varchar("r3")])
        XCTAssertEqual(csvReport.firstSkipped.map(\.reason), ["longer than the maximum record size of 16 MB"])
    }

    /// A BatchGetImage record naming 2,000 images gives 2,000 rows that share one copy of the
    /// record's text: the table holds a few MB, not 2,000 copies (450 MB).
    func testRowsOfABatchRecordShareOneCopyOfItsText() throws {
        let images = (0..<2000).map { #"{"imageTag":"v\#($0)","imageDigest":"sha256:\#(String(repeating: "0", count: 60))\#(1000 + $0)"}"# }
        let record = #"{"Records":[{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"BatchGetImage","eventID":"b1","requestParameters":{"repositoryName":"ns/app","imageIds":["#
            + images.joined(separator: ",") + "]}}]}"
        XCTAssertGreaterThan(record.utf8.count, 200_000)
        let path = T.write(record, to: "batch.json", in: T.temporaryDirectory())
        let db = Database()
        try db.load(path: path)
        let counts = try db.query("SELECT count(*), count(DISTINCT raw), count(DISTINCT tag) FROM events")
        XCTAssertEqual((0..<3).map { counts.value(row: 0, column: $0) }, [.integer(2000), .integer(1), .integer(2000)])
        XCTAssertLessThan(db.catalog.byteSize, 10 * record.utf8.count, "rows share the record's text")
    }
}

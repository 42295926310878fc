// `aq FILE.aqdb`, SAVE and OPEN through the built binary: a store saved by one process
// answers the same in another, the daily `LOAD 'logs/'; SAVE` passes over what is stored and
// replaces the rows of a file that changed, and a damaged store stops aq with a clear error.

import Foundation
import XCTest

final class StoreCommandTests: XCTestCase {
    private let logs: String = {
        let here = "\(#filePath)"
        return (here.range(of: "/Tests/").map { String(here[..<$0.lowerBound]) } ?? ".") + "/examples/logs"
    }()

    private let queries = """
        SELECT provider, format, action, count(*) AS n, min(time) AS first, max(time) AS last FROM events GROUP BY ALL ORDER BY ALL;
        SELECT json_extract_string(raw, '$.eventName') AS e, count(*) AS n FROM events GROUP BY e ORDER BY e NULLS FIRST;
        SELECT sum(length(raw)) AS bytes, count(DISTINCT raw) AS distinct_raw FROM events;
        SELECT * FROM v;
        SELECT * FROM t ORDER BY a;
        SHOW SOURCES;
        """

    private let setup = """
        CREATE VIEW v AS SELECT repository, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, repository LIMIT 5;
        CREATE TABLE t (a INTEGER PRIMARY KEY, l VARCHAR[], d DOUBLE);
        INSERT INTO t VALUES (1, ['x', NULL], 2.5), (2, NULL, NULL);
        """

    func testAStoreAnswersTheSameInANewProcess() throws {
        let store = try temporaryDirectory() + "/month.aqdb"
        let loaded = try runAQ(["--load", logs, "--format", "csv", "-c", setup + queries + "SAVE '\(store)';"])
        XCTAssertEqual(loaded.status, 0, loaded.stderr)
        let opened = try runAQ([store, "--format", "csv", "-c", queries])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(opened.stdout, loaded.stdout.components(separatedBy: "saved ")[0])
        let saved = try XCTUnwrap((loaded.stdout + loaded.stderr).components(separatedBy: "\n").first { $0.hasPrefix("saved ") })
        let hash = try XCTUnwrap(saved.components(separatedBy: "; content hash ").last)
        XCTAssertEqual(opened.stderr, "store: \(store) (content hash \(hash))\n")

        // The daily command: nothing new, so every file is passed over; SAVE writes back.
        let daily = try runAQ([store, "-c", "LOAD '\(logs)/'; SAVE"])
        XCTAssertEqual(daily.status, 0, daily.stderr)
        let files = (try FileManager.default.subpathsOfDirectory(atPath: logs)).filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: logs + "/" + $0, isDirectory: &isDirectory)
            return !isDirectory.boolValue && !($0 as NSString).lastPathComponent.hasPrefix(".")
        }.count
        XCTAssertTrue(daily.stdout.contains("loaded 0 rows into events from 0 files in "), daily.stdout)
        XCTAssertTrue(daily.stdout.contains("; passed over \(files) files already loaded (LOAD … FORCE reads them again)"), daily.stdout)
        XCTAssertTrue(daily.stdout.contains("saved 2 tables, "), daily.stdout)
        // Nothing changed, so the store's contents, and their hash, are what they were.
        XCTAssertTrue(daily.stdout.contains("; content hash \(hash)\n"), daily.stdout)
        let again = try runAQ([store, "--format", "csv", "-c", queries])
        XCTAssertEqual(again.stdout, opened.stdout)
    }

    func testADamagedStoreStopsAqWithAClearError() throws {
        let directory = try temporaryDirectory()
        let store = directory + "/s.aqdb"
        XCTAssertEqual(try runAQ(["-c", "CREATE TABLE a AS SELECT range AS n FROM range(100); SAVE '\(store)'"]).status, 0)
        let good = try XCTUnwrap(FileManager.default.contents(atPath: store))
        // Damage in the table section (the first): `aq FILE` stops at once.
        var bytes = good
        bytes[32 + 24 + 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: store))
        let damaged = try runAQ([store, "-c", "SELECT 1"])
        XCTAssertEqual(damaged.status, 1)
        XCTAssertTrue(damaged.stderr.hasPrefix("aq: cannot open \(store): section 1 (table section) at byte "), damaged.stderr)
        XCTAssertTrue(damaged.stderr.contains("is damaged (its checksum does not match)"), damaged.stderr)
        // Damage in the rows (the chunk section, the largest): the rows are checked when first
        // read, and a statement that reads them fails with what is wrong.
        bytes = good
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: store))
        let rows = try runAQ([store, "-c", "SELECT sum(n) FROM a"])
        XCTAssertEqual(rows.status, 1)
        XCTAssertTrue(rows.stderr.contains("cannot read the rows of the opened store: cannot open \(store): section 2 (chunk section) at byte "),
                      rows.stderr)
        let statement = try runAQ(["-c", "CREATE TABLE keep AS SELECT 7 AS x; OPEN '\(store)';\nSELECT 1"])
        XCTAssertEqual(statement.status, 1)
        XCTAssertTrue(statement.stderr.contains("line 1, column 42: cannot open \(store): section "), statement.stderr)
        let truncated = directory + "/t.aqdb"
        try bytes.prefix(100).write(to: URL(fileURLWithPath: truncated))
        let short = try runAQ([truncated])
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.stderr.hasPrefix("aq: cannot open \(truncated): the file is truncated: it ends inside "), short.stderr)
    }

    func testOpeningAStoreRemovesTheTemporaryFileOfASaveThatDied() throws {
        let directory = try temporaryDirectory()
        let store = directory + "/s.aqdb"
        XCTAssertEqual(try runAQ(["-c", "CREATE TABLE a AS SELECT range AS n FROM range(100); SAVE '\(store)'"]).status, 0)
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let left = directory + "/.s.aqdb.tmp-\(ended.processIdentifier)"
        XCTAssertTrue(FileManager.default.createFile(atPath: left, contents: Data([1, 2, 3])))
        let opened = try runAQ([store, "-c", "SELECT count(*) FROM a"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(opened.stderr, "note: removed \(left), left by an interrupted SAVE\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: left))
    }
    /// `count` ACR audit records as JSON lines, request ids `prefix0`, `prefix1`, ….
    private func records(_ prefix: String, _ count: Int) -> String {
        (0..<count).map { #"{"instance_id":"cri-1","action":"GetBlob","http_request_id":"\#(prefix)\#($0)","time":"2024-04-12T16:58:30+08:00"}"# + "\n" }
            .joined()
    }

    func testTheDailyLoadHoldsEachFileOnceAsItIsNow() throws {
        let directory = try temporaryDirectory()
        let logs = directory + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws { try text.write(toFile: logs + "/" + name, atomically: false, encoding: .utf8) }
        try write("a.jsonl", records("a", 10))
        try write("b.jsonl", records("b", 10))
        try write("c.jsonl", records("c", 10))
        let store = directory + "/month.aqdb"
        XCTAssertEqual(try runAQ(["-c", "LOAD '\(logs)'; SAVE '\(store)'"]).status, 0)
        // A day later: a grew, b is as it was, c was rewritten shorter, d is new.
        try write("a.jsonl", records("a", 15))
        try write("c.jsonl", records("x", 8))
        try write("d.jsonl", records("d", 3))
        let daily = try runAQ([store, "-c", "LOAD '\(logs)'; SAVE"])
        XCTAssertEqual(daily.status, 0, daily.stderr)
        XCTAssertTrue(daily.stdout.contains("loaded 26 rows into events from 3 files in "), daily.stdout)
        XCTAssertTrue(daily.stdout.contains("; passed over 1 file already loaded "), daily.stdout)
        XCTAssertTrue(daily.stdout.contains("replaced \(logs)/a.jsonl: 10 rows before, 15 now\n"), daily.stdout)
        XCTAssertTrue(daily.stdout.contains("replaced \(logs)/c.jsonl: 10 rows before, 8 now\n"), daily.stdout)
        let q = "SELECT request_id, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL; SHOW SOURCES;"
        let fresh = try runAQ(["--load", logs, "--format", "csv", "-c", q])
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertTrue(fresh.stdout.contains("alibaba,acr_audit,4,36,0,"), fresh.stdout)
        XCTAssertEqual(try runAQ([store, "--format", "csv", "-c", q]).stdout, fresh.stdout)
        // FORCE reads every file again in place of its rows; a file gone keeps its rows.
        let forced = try runAQ([store, "-c", "LOAD '\(logs)' FORCE; SAVE"])
        XCTAssertTrue(forced.stdout.contains("replaced \(logs)/b.jsonl: 10 rows before, 10 now\n"), forced.stdout)
        XCTAssertEqual(try runAQ([store, "--format", "csv", "-c", q]).stdout, fresh.stdout)
        try FileManager.default.removeItem(atPath: logs + "/d.jsonl")
        let gone = try runAQ([store, "--format", "csv", "-c", "LOAD '\(logs)'; SELECT count(*) FROM events"])
        // With --format csv, messages go to standard error and the rows to standard output.
        XCTAssertTrue(gone.stderr.contains("note: \(logs)/d.jsonl: loaded before, no longer there; its 3 rows stay\n"), gone.stderr)
        XCTAssertEqual(gone.stdout, "count(*)\n36\n")
    }
}

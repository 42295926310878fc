// SAVE and OPEN: every type, NULLs, empty tables, large dictionaries, `raw` and its
// sub-columns, views and constraints come back as they were; a write stopped at any step
// leaves a file that opens; damaged, truncated, foreign and newer files are refused with a
// clear error and the database keeps what it holds; LOAD passes over files already loaded.

import Foundation
import XCTest
@testable import AQEngine

final class StoreFileTests: XCTestCase {
    /// Queries whose answers must be the same before SAVE and after OPEN.
    static let queries = [
        "SELECT * FROM t ORDER BY a",
        "SELECT * FROM empty",
        "SELECT count(*), count(DISTINCT s), min(s), max(s) FROM big",
        "SELECT * FROM v",
        "SELECT count(*), count(raw), count(DISTINCT raw), count(DISTINCT action) FROM events",
        "SELECT provider, format, action, count(*), min(time), max(time) FROM events GROUP BY ALL ORDER BY ALL",
        "SELECT json_extract_string(raw, '$.eventName') e, count(*) FROM events GROUP BY e ORDER BY e NULLS FIRST",
        "SELECT sum(length(raw)), max(raw) FROM events",
        "SELECT * FROM events ORDER BY time, event_id LIMIT 5",
        "SHOW SOURCES",
        "SHOW RAW PATHS",
        "DESCRIBE t",
    ]

    private func answers(_ db: Database) throws -> [String] {
        try Self.queries.map { q in
            let r = try db.query(q)
            return q + "\n" + r.columns.map { "\($0.name) \($0.type)" }.joined(separator: ",") + "\n"
                + r.rows.map { $0.map { "\($0)" }.joined(separator: "|") }.joined(separator: "\n")
        }
    }

    /// A database with every kind of column: logs, a table of every type with NULLs and
    /// constraints, an empty table, a large dictionary, a view.
    private func sample() throws -> Database {
        let db = Database()
        try db.query("LOAD '\(IngestTest.examples)'")
        try db.query("""
            CREATE TABLE t (a INTEGER PRIMARY KEY, b VARCHAR NOT NULL DEFAULT 'none', c BOOLEAN, d DOUBLE, e DATE,
                            f TIMESTAMP, g INTERVAL, h JSON, i INTEGER[], j VARCHAR[][], UNIQUE (b, c));
            INSERT INTO t VALUES
              (1, 'one', true, 1.5, DATE '2024-03-01', TIMESTAMP '2024-03-01 10:00:00.123456789', INTERVAL 3 DAY,
               '{"k": [1, 2], "s": "x"}', [1, NULL, 3], [['a', NULL], [], NULL]),
              (2, 'two', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (3, '', false, -0.0, DATE '1969-12-31', TIMESTAMP '1900-01-01 00:00:00', INTERVAL 2 MONTH, 'null', [], [[]]);
            INSERT INTO t (a, c) VALUES (4, true);
            CREATE TABLE empty (x INTEGER, y VARCHAR, z INTEGER[]);
            CREATE TABLE big AS SELECT 'value-' || range::VARCHAR AS s, range AS n FROM range(70000);
            CREATE VIEW v (kind, n) AS WITH x AS (SELECT action, count(*) AS n FROM events GROUP BY 1)
              SELECT * FROM x ORDER BY n DESC, action;
            """)
        return db
    }

    private func temporaryStore() -> String { IngestTest.temporaryDirectory() + "/store.aqdb" }

    func testEverythingRoundTrips() throws {
        let db = try sample()
        let before = try answers(db)
        let path = temporaryStore()
        let saved = try db.query("SAVE '\(path)'")
        XCTAssertTrue(saved.message?.hasPrefix("saved 4 tables, ") ?? false, saved.message ?? "")
        let opened = Database()
        let message = try opened.query("OPEN '\(path)'").message ?? ""
        XCTAssertTrue(message.hasPrefix("opened \(path): 4 tables, 72,570 rows, 1 view in "), message)
        let hash = try XCTUnwrap(saved.message?.components(separatedBy: "; content hash ").last)
        XCTAssertTrue(message.hasSuffix("; content hash \(hash)"), message)
        XCTAssertEqual(try answers(opened), before)
        // Constraints hold after OPEN: the key, NOT NULL and the default.
        XCTAssertThrowsError(try opened.query("INSERT INTO t (a) VALUES (1)")) { error in
            XCTAssertTrue("\(error)".contains("duplicate key a = 1"), "\(error)")
        }
        XCTAssertThrowsError(try opened.query("INSERT INTO t (a, b) VALUES (9, NULL)"))
        try opened.query("INSERT INTO t (a, c) VALUES (5, false)")
        XCTAssertEqual(try opened.query("SELECT b FROM t WHERE a = 5").rows, [[.varchar("none")]])
        // Dictionary columns and sub-columns stay compact and shared.
        let events = try XCTUnwrap(opened.catalog.table(named: "events"))
        let original = try XCTUnwrap(db.catalog.table(named: "events"))
        XCTAssertEqual(events.storageBytes(), original.storageBytes())
        // SAVE without a name writes back to the store opened.
        try opened.query("SAVE")
        let again = Database()
        try again.open(path: path)
        XCTAssertEqual(try again.query("SELECT count(*) FROM t").rows, [[.integer(5)]])
        XCTAssertEqual(again.openedStore, path)
    }

    func testSaveWithoutAFileNeedsAnOpenStore() {
        XCTAssertThrowsError(try Database().query("SAVE")) { error in
            XCTAssertEqual((error as? AQError)?.message, "SAVE needs a file name: no store is open (SAVE 'file.aqdb')")
        }
    }

    func testAWriteStoppedAtAnyStepLeavesTheOldOrTheNewFile() throws {
        let path = temporaryStore()
        let old = Database()
        try old.query("CREATE TABLE a AS SELECT range AS n FROM range(10)")
        try old.save(path: path)
        let new = try sample()
        let contents = StoreContents(tables: new.catalog.allTables, views: new.catalog.allViews, files: [])
        var step = 1
        var sawNew = false
        while !sawNew {
            try StoreFile.write(contents, to: path, crashAfter: step)
            let reopened = Database()
            try reopened.open(path: path)
            let tables = reopened.catalog.tableNames
            if tables == ["a"] {
                XCTAssertEqual(try reopened.query("SELECT sum(n) FROM a").rows, [[.integer(45)]])
            } else {
                XCTAssertEqual(tables, ["big", "empty", "events", "t"], "after step \(step)")
                XCTAssertEqual(try reopened.query("SELECT count(*) FROM big").rows, [[.integer(70000)]])
                sawNew = true
            }
            step += 1
            XCTAssertLessThan(step, 100)
        }
        // A write that completes replaces the file and leaves no temporary file behind but
        // those of the stopped writes.
        try StoreFile.write(contents, to: path)
        XCTAssertGreaterThan(step, 5)
    }

    /// Offsets of each section's header in a store file's bytes.
    private func sectionOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var at = StoreFormat.headerSize
        while at + StoreFormat.sectionHeaderSize <= bytes.count {
            offsets.append(at)
            let length = bytes[(at + 8)..<(at + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
            at += StoreFormat.sectionHeaderSize + length
        }
        return offsets
    }

    /// Opening `bytes` fails with a StoreFileError whose message contains `expected`, and
    /// leaves `db` as it was.
    private func assertRefused(_ bytes: [UInt8], _ db: Database, _ expected: String, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let path = IngestTest.write(bytes: bytes, to: "bad.aqdb", in: IngestTest.temporaryDirectory())
        do {
            try db.open(path: path)
            XCTFail("opened a bad file: \(what)", file: file, line: line)
        } catch let error as StoreFileError {
            XCTAssertTrue(error.message.contains(expected), "\(what): \(error.message)", file: file, line: line)
        } catch {
            XCTFail("\(what): \(error)", file: file, line: line)
        }
        XCTAssertEqual(db.catalog.tableNames, ["keep"], what, file: file, line: line)
    }

    func testDamagedFilesAreRefusedAndTheDatabaseKeepsItsData() throws {
        let source = Database()
        try source.query("LOAD '\(IngestTest.examples)/ibm'")
        try source.query("CREATE TABLE t AS SELECT range AS n, 'v' || range::VARCHAR AS s, [range] AS l FROM range(5000)")
        try source.query("CREATE VIEW w AS SELECT count(*) FROM t")
        let path = temporaryStore()
        try source.save(path: path)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path)).map { $0 }
        let db = Database()
        try db.query("CREATE TABLE keep AS SELECT 1 AS x")
        let sections = sectionOffsets(bytes)
        XCTAssertGreaterThanOrEqual(sections.count, 6)

        // Truncated at many lengths, section boundaries included.
        var lengths = Set(stride(from: 1, to: bytes.count, by: max(1, bytes.count / 150)))
        for s in sections { lengths.formUnion([s - 1, s, s + 1, s + StoreFormat.sectionHeaderSize]) }
        for n in lengths.sorted() where n > 0 && n < bytes.count {
            assertRefused(Array(bytes[0..<n]), db, "the file is truncated: it ends inside ", "truncated to \(n)")
        }
        // A flipped byte in the header, in every section's header and payload.
        var offsets = [0, 8, 12, 16, 20, 24, 28]
        for s in sections {
            offsets += [s, s + 4, s + 8, s + 16, s + 20]
            if s + StoreFormat.sectionHeaderSize < bytes.count { offsets.append(s + StoreFormat.sectionHeaderSize) }
        }
        offsets += stride(from: 9, to: bytes.count, by: max(1, bytes.count / 200))
        for o in offsets where o < bytes.count {
            var damaged = bytes
            damaged[o] ^= 0x40
            let expected = o < StoreFormat.magic.count ? "not an aq store file" : "damaged"
            assertRefused(damaged, db, expected, "byte \(o) flipped")
        }
        // Random bytes, an empty file, a directory, text, another version.
        var generator = SystemRandomNumberGenerator()
        assertRefused((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }, db, "not an aq store file", "random")
        assertRefused(StoreFormat.magic + (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }, db,
                      "damaged", "random after the magic")
        assertRefused([], db, "the file is empty", "empty")
        assertRefused(Array("SELECT 1;\n".utf8), db, "not an aq store file", "text")
        var newer = bytes
        newer[8] = 6
        let crc = Checksum.crc32(Array(newer[0..<28]))
        withUnsafeBytes(of: crc.littleEndian) { for k in 0..<4 { newer[28 + k] = $0[k] } }
        assertRefused(newer, db, "store format version 6 is newer than this aq reads (version 5)", "newer")
        let directory = IngestTest.temporaryDirectory()
        XCTAssertThrowsError(try db.open(path: directory)) { error in
            XCTAssertEqual((error as? StoreFileError)?.message, "cannot open \(directory): it is a directory, not a store file")
        }
        XCTAssertThrowsError(try db.query("OPEN '\(directory)/missing.aqdb'"))
        XCTAssertEqual(try db.query("SELECT x FROM keep").rows, [[.integer(1)]])
        // The undamaged file still opens.
        try db.open(path: path)
        XCTAssertEqual(try db.query("SELECT count(*), sum(n) FROM t").rows, [[.integer(5000), .integer(12_497_500)]])
    }

    func testLoadPassesOverFilesAlreadyLoaded() throws {
        let logs = IngestTest.temporaryDirectory()
        let ibm = IngestTest.examples + "/ibm"
        let names = try FileManager.default.contentsOfDirectory(atPath: ibm).sorted()
        for name in names.prefix(3) {
            try FileManager.default.copyItem(atPath: ibm + "/" + name, toPath: logs + "/" + name)
        }
        let path = temporaryStore()
        let db = Database()
        try db.query("LOAD '\(logs)'; SAVE '\(path)'")
        let rows = try db.query("SELECT count(*) FROM events").rows
        for name in names[3..<5] {
            try FileManager.default.copyItem(atPath: ibm + "/" + name, toPath: logs + "/" + name)
        }
        let next = Database()
        try next.open(path: path)
        let report = try next.load(path: logs + "/")
        XCTAssertEqual(report.alreadyLoaded, 3)
        XCTAssertEqual(report.files.map { ($0.path as NSString).lastPathComponent }, Array(names[3..<5]))
        try next.query("SAVE")
        let third = Database()
        try third.open(path: path)
        let message = try third.query("LOAD '\(logs)'").message ?? ""
        XCTAssertTrue(message.hasPrefix("loaded 0 rows into events from 0 files in "), message)
        XCTAssertTrue(message.hasSuffix("; passed over 5 files already loaded (LOAD … FORCE reads them again)"), message)
        let all = Database()
        try all.load(path: logs)
        XCTAssertEqual(try third.query("SELECT count(*) FROM events").rows, try all.query("SELECT count(*) FROM events").rows)
        XCTAssertNotEqual(try third.query("SELECT count(*) FROM events").rows, rows)
        // FORCE loads everything again (IncrementalLoadTests: touched and changed files).
        XCTAssertEqual(try third.load(path: logs, force: true).files.count, 5)
    }
}

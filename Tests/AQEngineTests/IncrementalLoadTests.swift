// Incremental LOAD and the hash of each loaded file: a file whose modification time changed
// but whose bytes did not is passed over (and the message says so); one whose contents
// changed is read again in place of its earlier rows (with a warning instead, when which rows
// it gave is not known); the hash recorded is that of the bytes on disk, the same whether the
// file was read whole or cut in parts.

import Foundation
import XCTest
@testable import AQEngine

final class IncrementalLoadTests: XCTestCase {
    typealias T = IngestTest

    override func tearDown() { WorkPlan.partSize = 16 << 20 }

    private func record(_ n: Int) -> String {
        #"{"instance_id":"cri-1","action":"GetBlob","http_request_id":"r\#(n)","time":"2024-04-12T16:58:30+08:00"}"#
    }

    /// A directory of three JSON-lines files of 10 records each.
    private func logs() -> (directory: String, files: [String]) {
        let dir = T.temporaryDirectory()
        let files = (0..<3).map { f in
            T.write((0..<10).map { record(f * 100 + $0) }.joined(separator: "\n") + "\n", to: "f\(f).jsonl", in: dir)
        }
        return (dir, files)
    }

    private func setModified(_ path: String, secondsAgo: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: path)
    }

    private func hashOf(_ path: String, blockSize: Int) throws -> UInt64 {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return bytes.withUnsafeBytes { ContentHash.ofBlocks($0, blockSize: blockSize) }
    }

    /// A file's identity names it by its resolved path, which the directory walk builds from
    /// its directory's: the same as `realpath` of each file, for plain files, a link to a file
    /// elsewhere, files under a linked directory, and a directory named through a link.
    func testEachFileIsNamedByItsResolvedPath() throws {
        let (dir, _) = logs()
        let elsewhere = T.temporaryDirectory()
        let target = T.write(record(900) + "\n", to: "target.jsonl", in: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: dir + "/linked.jsonl", withDestinationPath: target)
        try FileManager.default.createDirectory(atPath: elsewhere + "/sub", withIntermediateDirectories: true)
        T.write(record(901) + "\n", to: "inner.jsonl", in: elsewhere + "/sub")
        try FileManager.default.createSymbolicLink(atPath: dir + "/subdir", withDestinationPath: elsewhere + "/sub")
        let alias = T.temporaryDirectory() + "/alias"
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: dir)
        for top in [dir, alias, alias + "/"] {
            let (files, isDirectory) = try InputPaths.list(top)
            XCTAssertTrue(isDirectory)
            XCTAssertEqual(files.count, 5, top)
            for file in files {
                let expected = try XCTUnwrap(InputPaths.resolved(file.path), file.path)
                XCTAssertEqual(file.identity?.canonicalPath, expected, file.path)
            }
            XCTAssertEqual(Set(files.compactMap { $0.identity?.canonicalPath }).count, 5)
        }
    }

    func testTheHashOfEachFileIsRecordedAndSaved() throws {
        let (dir, files) = logs()
        let gz = T.gzip(T.write(record(7) + "\n", to: "g.jsonl", in: T.temporaryDirectory()))
        let db = Database()
        try db.load(path: dir)
        try db.load(path: gz)
        let recorded = Dictionary(uniqueKeysWithValues: db.loadedFiles.map { ($0.path, $0.identity?.contentHash ?? 0) })
        for path in files + [gz] {
            // The bytes as on disk: a gzip file's compressed bytes.
            XCTAssertEqual(recorded[path], try hashOf(path, blockSize: 16 << 20), path)
            XCTAssertEqual(recorded[path], InputFile.diskHash(path: path), path)
        }
        XCTAssertEqual(Set(recorded.values).count, 4)
        let store = T.temporaryDirectory() + "/s.aqdb"
        try db.save(path: store)
        let opened = Database()
        try opened.open(path: store)
        XCTAssertEqual(opened.loadedFiles.map { $0.identity?.contentHash }, db.loadedFiles.map { $0.identity?.contentHash })
    }

    func testAFileCutInPartsHashesAsOneReadWhole() throws {
        let lines = (0..<3000).map { record($0) }.joined(separator: "\n") + "\n"
        let path = T.write(lines, to: "big.jsonl", in: T.temporaryDirectory())
        WorkPlan.partSize = 4096
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
        XCTAssertGreaterThan(WorkPlan.units([InputPath(path: path, size: size)], format: nil).count, 20)
        let db = Database()
        let report = try db.load(path: path)
        XCTAssertEqual(report.rows, 3000)
        let expected = try hashOf(path, blockSize: 4096)
        XCTAssertEqual(report.files.first?.identity?.contentHash, expected)
        XCTAssertEqual(InputFile.diskHash(path: path), expected)
        // Read whole (the same block size), the same hash.
        let gz = T.gzip(T.write(lines, to: "big2.jsonl", in: T.temporaryDirectory()))
        let inflated = Database()
        XCTAssertEqual(try inflated.load(path: gz).files.first?.identity?.contentHash, try hashOf(gz, blockSize: 4096))
    }

    func testATouchedFileWithTheSameBytesIsPassedOver() throws {
        let (dir, files) = logs()
        for f in files { try setModified(f, secondsAgo: 3600) }
        let db = Database()
        try db.load(path: dir)
        try setModified(files[1], secondsAgo: 60)
        let message = try db.query("LOAD '\(dir)'").message ?? ""
        XCTAssertTrue(message.hasPrefix("loaded 0 rows into events from 0 files in "), message)
        XCTAssertTrue(message.hasSuffix("; passed over 3 files already loaded (1 with a new modification time but the same "
                                        + "contents) (LOAD … FORCE reads them again)"), message)
        XCTAssertEqual(try db.query("SELECT count(*) FROM events").rows, [[.integer(30)]])
        // The record took the new time: the next load passes over it as unchanged, also after SAVE and OPEN.
        let store = T.temporaryDirectory() + "/s.aqdb"
        try db.save(path: store)
        let opened = Database()
        try opened.open(path: store)
        let again = try opened.load(path: dir)
        XCTAssertEqual(again.passedOver.unchanged, 3)
        XCTAssertEqual(again.passedOver.touched.count, 0)
    }

    /// The rows of `db` as a fresh load of the same files gives them: per file and in all.
    private func assertSameAsAFreshLoad(_ db: Database, of dir: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fresh = Database()
        try fresh.load(path: dir)
        let q = "SELECT request_id, json_extract_string(raw, '$.http_request_id') AS r, count(*) FROM events GROUP BY ALL ORDER BY ALL"
        XCTAssertEqual(try db.query(q).rows, try fresh.query(q).rows, file: file, line: line)
        func perFile(_ d: Database) -> [String: Int] {
            Dictionary(d.loadedFiles.map { ($0.path, $0.rows) }, uniquingKeysWith: +)
        }
        XCTAssertEqual(perFile(db), perFile(fresh), file: file, line: line)
        XCTAssertTrue(db.knowsRowsOfLoadedFiles, file: file, line: line)
    }

    func testAChangedFileReplacesItsRows() throws {
        let (dir, files) = logs()
        for f in files { try setModified(f, secondsAgo: 3600) }
        let db = Database()
        try db.load(path: dir)
        // Appended to: a new size.
        try (String(contentsOfFile: files[0], encoding: .utf8) + record(999) + "\n").write(toFile: files[0], atomically: false, encoding: .utf8)
        // Rewritten with the same size and a new time.
        try String(contentsOfFile: files[2], encoding: .utf8).replacingOccurrences(of: "r200", with: "r201")
            .write(toFile: files[2], atomically: false, encoding: .utf8)
        let newFile = T.write(record(500) + "\n", to: "f9.jsonl", in: dir)
        let report = try db.load(path: dir)
        XCTAssertEqual(report.files.map(\.path), [files[0], files[2], newFile])
        XCTAssertEqual(report.passedOver.changed, [])
        XCTAssertEqual(report.alreadyLoaded, 1)
        XCTAssertEqual(report.replaced, [ReplacedFile(path: files[0], earlierRows: 10, rows: 11),
                                         ReplacedFile(path: files[2], earlierRows: 10, rows: 10)])
        XCTAssertEqual(Database.describe(report).split(separator: "\n").suffix(2).map(String.init), [
            "replaced \(files[0]): 10 rows before, 11 now",
            "replaced \(files[2]): 10 rows before, 10 now",
        ])
        // r200 became a second r201.
        XCTAssertEqual(try db.query("SELECT count(*), count(DISTINCT request_id) FROM events").rows, [[.integer(32), .integer(31)]])
        XCTAssertEqual(try db.query("SELECT count(*) FROM events WHERE request_id = 'r200'").rows, [[.integer(0)]])
        try assertSameAsAFreshLoad(db, of: dir)
        // FORCE reads a file again in place of its rows, not beside them.
        XCTAssertEqual(try db.load(path: files[0], force: true).replaced, [ReplacedFile(path: files[0], earlierRows: 11, rows: 11)])
        XCTAssertEqual(try db.load(path: dir, force: true).rows, 32)
        try assertSameAsAFreshLoad(db, of: dir)
    }

    func testReplacedRowsCutChunksAndTheRestStays() throws {
        // Files of 1,500, 3,000 and 1,500 records: the middle one spans chunk edges.
        let dir = T.temporaryDirectory()
        var n = 0
        let files = [1500, 3000, 1500].enumerated().map { (f, count) -> String in
            defer { n += count }
            return T.write((n..<n + count).map { record($0) }.joined(separator: "\n") + "\n", to: "f\(f).jsonl", in: dir)
        }
        for f in files { try setModified(f, secondsAgo: 3600) }
        let db = Database()
        try db.load(path: dir)
        try (String(contentsOfFile: files[1], encoding: .utf8) + record(9999) + "\n").write(toFile: files[1], atomically: false, encoding: .utf8)
        XCTAssertEqual(try db.load(path: dir).replaced, [ReplacedFile(path: files[1], earlierRows: 3000, rows: 3001)])
        try assertSameAsAFreshLoad(db, of: dir)
        // SHOW RAW PATHS counts the rows again: the chunks cut at the replaced rows' edges
        // keep their other rows unpacked, without sub-columns (at most two chunks).
        XCTAssertEqual(try db.query("SELECT count(*) FROM events WHERE json_extract_string(raw, '$.http_request_id') = 'r9999'").rows,
                       [[.integer(1)]])
        let paths = try db.query("SHOW RAW PATHS").rows.filter { $0[1] == .varchar("$.action") }
        guard case .integer(let rows)? = paths.first?[3] else { return XCTFail("\(paths)") }
        XCTAssertTrue(rows <= 6001 && rows >= 6001 - 2 * Batch.capacity, "\(rows)")
        // Saved and opened, the rows of each file are still known: a second change replaces again.
        let store = T.temporaryDirectory() + "/s.aqdb"
        try db.save(path: store)
        let opened = Database()
        try opened.open(path: store)
        try (String(contentsOfFile: files[0], encoding: .utf8) + record(8888) + "\n").write(toFile: files[0], atomically: false, encoding: .utf8)
        XCTAssertEqual(try opened.load(path: dir).replaced, [ReplacedFile(path: files[0], earlierRows: 1500, rows: 1501)])
        try assertSameAsAFreshLoad(opened, of: dir)
    }

    func testWithoutKnownRowsAChangedFileIsNotReadAgainAndIsNamed() throws {
        let (dir, files) = logs()
        for f in files { try setModified(f, secondsAgo: 3600) }
        let db = Database()
        try db.load(path: dir)
        // The rows the files gave are gone with the table: which rows are whose is not known.
        try db.query("DROP TABLE events")
        try db.load(path: T.write(record(77) + "\n", to: "other.jsonl", in: T.temporaryDirectory()))
        XCTAssertFalse(db.knowsRowsOfLoadedFiles)
        try (String(contentsOfFile: files[0], encoding: .utf8) + record(999) + "\n").write(toFile: files[0], atomically: false, encoding: .utf8)
        let report = try db.load(path: dir)
        XCTAssertEqual(report.files.map(\.path), [])
        XCTAssertEqual(report.passedOver.changed, [files[0]])
        XCTAssertEqual(Database.describe(report).split(separator: "\n").dropFirst().map(String.init), [
            "warning: \(files[0]): changed since it was loaded; not read again, its rows from then stay (LOAD '\(files[0])' FORCE adds its rows as they are now)",
        ])
        XCTAssertEqual(try db.query("SELECT count(*) FROM events").rows, [[.integer(1)]])
    }

    func testAFileGoneFromTheDirectoryIsNamedAndItsRowsStay() throws {
        let (dir, files) = logs()
        let db = Database()
        try db.load(path: dir)
        try FileManager.default.removeItem(atPath: files[1])
        let report = try db.load(path: dir)
        XCTAssertEqual(report.gone.map(\.path), [files[1]])
        XCTAssertEqual(report.gone.map(\.rows), [10])
        XCTAssertEqual(Database.describe(report).split(separator: "\n").last.map(String.init),
                       "note: \(files[1]): loaded before, no longer there; its 10 rows stay")
        XCTAssertEqual(try db.query("SELECT count(*) FROM events").rows, [[.integer(30)]])
    }

    func testAChangedFileCutShortKeepsItsEarlierRows() throws {
        let dir = T.temporaryDirectory()
        let plain = T.write((0..<2000).map { record($0) }.joined(separator: "\n") + "\n", to: "g.jsonl", in: dir)
        let gz = T.gzip(plain)
        try FileManager.default.removeItem(atPath: plain)
        let other = T.write(record(5000) + "\n", to: "h.jsonl", in: dir)
        let db = Database()
        XCTAssertEqual(try db.load(path: dir).rows, 2001)
        // The gzip file is now cut in half: the load stops inside it.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gz)))
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: gz))
        XCTAssertThrowsError(try db.load(path: dir)) { error in XCTAssertTrue(error is LoadStopped, "\(error)") }
        // Its 2,000 rows from before stay, without the part read now beside them.
        XCTAssertEqual(try db.query("SELECT count(*), count(DISTINCT request_id) FROM events").rows, [[.integer(2001), .integer(2001)]])
        XCTAssertEqual(db.loadedFiles.map(\.path), [gz, other])
        XCTAssertTrue(db.knowsRowsOfLoadedFiles)
    }

    func testAFileThatGaveNoRowsIsReadOnceItHasSome() throws {
        let dir = T.temporaryDirectory()
        let empty = T.write("", to: "a.jsonl", in: dir)
        _ = T.write(record(1) + "\n", to: "b.jsonl", in: dir)
        let db = Database()
        XCTAssertEqual(try db.load(path: dir).rows, 1)
        try (record(2) + "\n").write(toFile: empty, atomically: false, encoding: .utf8)
        let report = try db.load(path: dir)
        XCTAssertEqual(report.files.map(\.path), [empty])
        XCTAssertEqual(report.rows, 1)
        XCTAssertEqual(report.passedOver.unchanged, 1)
    }
}

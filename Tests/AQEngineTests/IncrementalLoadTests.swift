// Incremental LOAD and the hash of each loaded file: a file whose modification time changed
// but whose bytes did not is passed over (and the message says so); one whose contents
// changed is not read again, with a warning; the hash recorded is that of the bytes on
// disk, the same whether the file was read whole or cut in parts.

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

    func testAChangedFileIsNotReadAgainAndIsNamed() throws {
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
        XCTAssertEqual(report.files.map(\.path), [newFile])
        XCTAssertEqual(report.passedOver.changed, [files[0], files[2]])
        XCTAssertEqual(report.alreadyLoaded, 1)
        XCTAssertEqual(Database.describe(report).split(separator: "\n").dropFirst().map(String.init), [
            "warning: \(files[0]): changed since it was loaded; not read again, its rows from then stay (LOAD '\(files[0])' FORCE adds its rows as they are now)",
            "warning: \(files[2]): changed since it was loaded; not read again, its rows from then stay (LOAD '\(files[2])' FORCE adds its rows as they are now)",
        ])
        XCTAssertEqual(try db.query("SELECT count(*), count(DISTINCT request_id) FROM events").rows, [[.integer(31), .integer(31)]])
        // FORCE reads it as it is now, beside its old rows.
        XCTAssertEqual(try db.load(path: files[0], force: true).rows, 11)
        XCTAssertEqual(try db.query("SELECT count(*) FROM events").rows, [[.integer(42)]])
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

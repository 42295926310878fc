// The store's content hash: XXH64 as specified, recorded by SAVE, shown by SAVE, OPEN and
// SHOW SOURCES, equal for equal contents, checked by OPEN (a section changed with its
// checksum recomputed is refused) (older versions: StoreLazyOpenTests). And the
// temporary files of interrupted saves: removed by the next SAVE or OPEN when no write can
// be filling them, left alone otherwise.

import Foundation
import XCTest
@testable import AQEngine

final class StoreContentHashTests: XCTestCase {
    private func hash(_ text: String) -> UInt64 { Array(text.utf8).withUnsafeBytes { ContentHash.of($0) } }

    func testStripesInOneVectorAreTheStripesLaneByLane() throws {
        var rng = SystemRandomNumberGenerator()
        for count in [32, 64, 96, 32 * 100, 32 * 4099] {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let start = (UInt64.random(in: 0...UInt64.max, using: &rng), UInt64.random(in: 0...UInt64.max, using: &rng),
                         UInt64.random(in: 0...UInt64.max, using: &rng), UInt64.random(in: 0...UInt64.max, using: &rng))
            var byLane = start
            var inVector = start
            let vector = bytes.withUnsafeBytes { p in
                ContentHash.laneStripes(&byLane, p, count: count)
                return ContentHash.vectorStripes(&inVector, p.baseAddress!, count)
            }
            try XCTSkipUnless(vector, "this processor has no 64-bit vector multiply (AVX-512 DQ and VL)")
            XCTAssertTrue(byLane == inVector, "\(count) bytes")
        }
    }

    func testTheHashIsXXH64() {
        // Values from xxHash's reference implementation (seed 0).
        XCTAssertEqual(hash(""), 0xEF46_DB37_51D8_E999)
        XCTAssertEqual(hash("abc"), 0x44BC_2CF5_AD77_0999)
        XCTAssertEqual(hash("Nobody inspects the spammish repetition"), 0xFBCE_A83C_8A37_8BF1)
        // Many stripes (taken four lanes in one vector where the processor can), and a tail.
        let long = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        XCTAssertEqual(long.withUnsafeBytes { ContentHash.of($0) }, 0x3AC9_CBC5_A9B7_F843)
        XCTAssertEqual(Array(long[0..<1000]).withUnsafeBytes { ContentHash.of($0) }, 0x9959_4F48_2804_3D35)
        // Fed in pieces of every size, the hash is the one of the whole.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = bytes.withUnsafeBytes { ContentHash.of($0) }
        for piece in [1, 3, 8, 31, 32, 33, 100, 999] {
            var h = ContentHash()
            var at = 0
            while at < bytes.count {
                h.add(Array(bytes[at..<min(at + piece, bytes.count)]))
                at += piece
            }
            XCTAssertEqual(h.value, whole, "pieces of \(piece)")
        }
        XCTAssertEqual(ContentHash.text(0xAB), "0x00000000000000ab")
    }

    /// A file's hash, taken a piece at a time as it is read: the hash of its blocks' hashes,
    /// whatever pieces the reads return (across block ends, shorter than a stripe).
    func testBlockHashFedInPiecesIsTheHashOfItsBlocksHashes() {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 7) }
        for blockSize in [64, 1000, 1024, 4999, 5000, 8192] {
            var outer = ContentHash()
            var at = 0
            while at < bytes.count {
                let end = min(at + blockSize, bytes.count)
                outer.add(sectionHash: Array(bytes[at..<end]).withUnsafeBytes { ContentHash.of($0) })
                at = end
            }
            XCTAssertEqual(bytes.withUnsafeBytes { ContentHash.ofBlocks($0, blockSize: blockSize) }, outer.value)
            for piece in [1, 7, 32, 63, 999, 4096, 5000] {
                var h = ContentHash.Blocks(blockSize: blockSize)
                var at = 0
                while at < bytes.count {
                    Array(bytes[at..<min(at + piece, bytes.count)]).withUnsafeBytes { h.add($0) }
                    at += piece
                }
                XCTAssertEqual(h.value, outer.value, "blocks of \(blockSize), pieces of \(piece)")
            }
        }
        XCTAssertEqual(ContentHash.Blocks(blockSize: 16).value, ContentHash().value, "no bytes: no block")
    }

    private func sample() throws -> Database {
        let db = Database()
        try db.query("""
            CREATE TABLE t AS SELECT range AS n, 'name-' || range::VARCHAR AS s FROM range(5000);
            CREATE VIEW w AS SELECT count(*) AS c FROM t
            """)
        return db
    }

    private func store() -> String { IngestTest.temporaryDirectory() + "/store.aqdb" }

    private func savedHash(_ db: Database, _ path: String) throws -> String {
        let message = try db.query("SAVE '\(path)'").message ?? ""
        return try XCTUnwrap(message.components(separatedBy: "; content hash ").last)
    }

    func testEqualContentsHaveEqualHashesAndOpenShowsIt() throws {
        let path = store()
        let first = try savedHash(try sample(), path)
        XCTAssertTrue(first.hasPrefix("0x") && first.count == 18, first)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path)).map { $0 }
        let recorded = bytes[16..<24].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        XCTAssertEqual(ContentHash.text(recorded), first)
        // Another database with the same contents, and the store saved again once opened.
        let other = store()
        XCTAssertEqual(try savedHash(try sample(), other), first)
        let opened = Database()
        let message = try opened.query("OPEN '\(path)'").message ?? ""
        XCTAssertTrue(message.hasSuffix("; content hash \(first)"), message)
        XCTAssertEqual(try opened.query("SHOW SOURCES").message,
                       "nothing loaded (store: \(path), content hash \(first)): load audit logs with LOAD 'path' (or aq --load PATH)")
        XCTAssertEqual(try savedHash(opened, path), first)
        // A change of one value changes it.
        try opened.query("INSERT INTO t VALUES (5000, 'x')")
        XCTAssertNotEqual(try savedHash(opened, path), first)
    }

    /// Offsets of each section's header in a store file's bytes.
    private func sections(_ bytes: [UInt8], headerSize: Int = StoreFormat.headerSize) -> [Int] {
        var offsets: [Int] = []
        var at = headerSize
        while at + StoreFormat.sectionHeaderSize <= bytes.count {
            offsets.append(at)
            let length = bytes[(at + 8)..<(at + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
            at += StoreFormat.sectionHeaderSize + length
        }
        return offsets
    }

    private func put(_ v: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { for k in 0..<4 { bytes[offset + k] = $0[k] } }
    }

    /// Recomputes both checksums of the section whose header is at `s`.
    private func reseal(_ bytes: inout [UInt8], section s: Int) {
        let length = bytes[(s + 8)..<(s + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let start = s + StoreFormat.sectionHeaderSize
        put(Checksum.crc32(Array(bytes[start..<start + length])), at: s + 16, in: &bytes)
        put(Checksum.crc32(Array(bytes[s..<s + 20])), at: s + 20, in: &bytes)
    }

    func testAChangedSectionWithARecomputedChecksumIsRefused() throws {
        let path = store()
        let db = try sample()
        let saved = try savedHash(db, path)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path)).map { $0 }
        // Change the last string of t ('name-4999' to 'name-499x') and make the section's
        // checksums agree again: only the content hash can tell.
        let needle = Array("name-4999".utf8)
        let at = try XCTUnwrap((0...(bytes.count - needle.count)).last { Array(bytes[$0..<$0 + needle.count]) == needle })
        var tampered = bytes
        tampered[at + needle.count - 1] = UInt8(ascii: "x")
        let section = try XCTUnwrap(sections(bytes).last { $0 < at })
        reseal(&tampered, section: section)
        let bad = IngestTest.write(bytes: tampered, to: "tampered.aqdb", in: IngestTest.temporaryDirectory())
        let keep = Database()
        try keep.query("CREATE TABLE keep AS SELECT 1 AS x")
        XCTAssertThrowsError(try keep.open(path: bad)) { error in
            let message = (error as? StoreFileError)?.message ?? "\(error)"
            XCTAssertTrue(message.hasPrefix("cannot open \(bad): its contents have been changed: the sections hash to 0x"), message)
            XCTAssertTrue(message.hasSuffix(", the header records content hash \(saved)"), message)
        }
        XCTAssertEqual(keep.catalog.tableNames, ["keep"])
        // The same bytes with the header's hash made to match open, with the changed value.
        var resealed = tampered
        var h = ContentHash()
        let all = sections(tampered)
        for s in all.dropLast() {
            let length = tampered[(s + 8)..<(s + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
            h.add(sectionHash: Array(tampered[(s + 24)..<(s + 24 + length)]).withUnsafeBytes { ContentHash.of($0) })
        }
        withUnsafeBytes(of: h.value.littleEndian) { for k in 0..<8 { resealed[16 + k] = $0[k] } }
        put(Checksum.crc32(Array(resealed[0..<28])), at: 28, in: &resealed)
        let good = IngestTest.write(bytes: resealed, to: "resealed.aqdb", in: IngestTest.temporaryDirectory())
        try keep.open(path: good)
        XCTAssertEqual(try keep.query("SELECT count(*) FROM t WHERE s = 'name-499x'").rows, [[.integer(1)]])
    }

    /// The PID of a process that has ended.
    private func endedProcess() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    func testSaveAndOpenRemoveOnlyTheTemporaryFilesOfEndedWrites() throws {
        let path = store()
        let directory = (path as NSString).deletingLastPathComponent
        let ended = try endedProcess()
        func temporary(_ suffix: String) -> String {
            IngestTest.write(bytes: [1, 2, 3], to: ".store.aqdb.tmp-\(suffix)", in: directory)
        }
        let stale = temporary("\(ended)")
        let running = temporary("1")                                  // init runs
        let other = temporary("x\(ended)")                            // not a PID
        let otherStore = IngestTest.write(bytes: [1], to: ".other.aqdb.tmp-\(ended)", in: directory)
        let saved = try sample().query("SAVE '\(path)'")
        XCTAssertEqual(saved.notes, ["note: removed \(stale), left by an interrupted SAVE"])
        let exists = { (p: String) in FileManager.default.fileExists(atPath: p) }
        XCTAssertFalse(exists(stale))
        XCTAssertTrue(exists(running) && exists(other) && exists(otherStore))
        // One whose writer still holds its lock (here: this process, under another PID's name)
        // stays; once the lock is gone, OPEN removes it.
        let locked = temporary("\(try endedProcess())")
        let fd = open(locked, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        XCTAssertEqual(try Database().open(path: path).notes, [])
        XCTAssertTrue(exists(locked))
        close(fd)
        XCTAssertEqual(try Database().open(path: path).notes, ["note: removed \(locked), left by an interrupted SAVE"])
        XCTAssertFalse(exists(locked))
    }
}

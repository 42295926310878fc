// `raw` kept compressed with its JSON paths shredded: the text comes back byte for byte in
// every format and shape, a path read from its sub-column answers as the text does (absent
// paths NULL), and the store's own size accounting shows a record's text kept once.

import Foundation
import XCTest
@testable import AQEngine

final class RawStorageTests: XCTestCase {
    // MARK: Records with every kind of value

    /// JSON-lines records with escapes, unicode, duplicate keys, numbers as text and as
    /// numbers, arrays, a very long string, rare paths, odd spacing and mixed kinds. Keys `a`,
    /// `n`, `o.x`, `flag` and `kind` are in every record, so they become sub-columns.
    static let trickyRecords: [String] = {
        var out: [String] = []
        let long = String(repeating: "x", count: 200_000)
        let values = [
            #""plain""#, #""quote \" and backslash \\ inside""#, #""\u00e9t\u00e9 \u4e2d \ud83d\ude00""#,
            #""ünïcödé 中文 😀""#, #""tab\there\nnewline""#, #""slash \/ escaped""#, "\"\(long)\"", #""""#,
        ]
        for i in 0..<40 {
            let a = values[i % values.count]
            var fields = [
                "\"a\":\(a)", "\"n\":\(i % 5)", "\"o\":{\"x\":\"k\(i % 3)\",\"deep\":{\"y\":\(i % 2 == 0)}}",
                "\"flag\":\(i % 3 == 0 ? "true" : "false")", "\"kind\":\(i % 4 == 0 ? "null" : "\"k\"")",
                "\"eventID\":\"id-\(i)\"",
            ]
            switch i % 10 {
            case 0: fields.append("\"a\":\"second duplicate\"")                    // first `a` wins
            case 1: fields.append("\"arr\":[1,2,{\"a\":1}]")
            case 2: fields.append("\"num_text\":\"200\",\"num\":200,\"float\":1.5,\"negzero\":-0")
            case 3: fields.append("\"big\":123456789012345678901234567890")
            case 4: fields.insert("\"o\":\"not an object first\"", at: 0)             // then `o` is a string
            case 5: fields.insert("\"\\u0061\":\"escaped key first\"", at: 0)        // `a` written with an escape
            case 6: fields.append("\"rare\":{\"only\":\"here\"}")
            case 7: fields.append("\"0\":\"digit key\",\"mixed\":\"text\"")
            case 8: fields.append("\"mixed\":8")
            default: break
            }
            var record = "{" + fields.joined(separator: ",") + "}"
            if i % 9 == 0 { record = "{ " + fields.joined(separator: " , ").replacingOccurrences(of: "\":", with: "\" : ") + " }" }
            out.append(record)
        }
        return out
    }()

    /// Paths to check: every shredded one, and some that are not (or not everywhere).
    static let extraPaths = ["$.rare.only", "$.arr", "$.num_text", "$.num", "$.float", "$.negzero", "$.big", "$.mixed",
                             "$.o", "$.o.deep", "$.missing", "$.a.b", "$.0", "$.eventID"]

    func testJSONLinesRawIsByteIdenticalAndPathsAnswerAsTheText() throws {
        let dir = IngestTest.temporaryDirectory()
        let path = IngestTest.write(Self.trickyRecords.joined(separator: "\n") + "\n", to: "tricky.jsonl", in: dir)
        let db = Database()
        try db.load(path: path, format: "cloudtrail")
        XCTAssertEqual(try rawTexts(db, "events", "raw"), Self.trickyRecords)
        let table = try XCTUnwrap(db.catalog.table(named: "events"))
        let shredded = Set((table.paths[EventColumn.raw.rawValue] ?? [:]).keys.map(\.text))
        for expected in ["$.a", "$.n", "$.o.x", "$.o.deep.y", "$.flag", "$.kind"] {
            XCTAssertTrue(shredded.contains(expected), "\(expected) not among \(shredded.sorted())")
        }
        try assertPathsAnswerAsText(db, table: "events", column: "raw", paths: shredded.union(Self.extraPaths))
    }

    func testRecordsAndArrayShapesKeepEachObjectsBytes() throws {
        let dir = IngestTest.temporaryDirectory()
        let records = Array(Self.trickyRecords.prefix(20))
        let body = "{\"Records\": [" + records.joined(separator: ",\n  ") + "]}"
        let wrapped = IngestTest.write(body, to: "wrapped.json", in: dir)
        let array = IngestTest.write("[\n" + records.joined(separator: " ,\n") + "\n]", to: "array.json", in: dir)
        for path in [wrapped, array] {
            let db = Database()
            try db.load(path: path, format: "cloudtrail")
            XCTAssertEqual(try rawTexts(db, "events", "raw"), records, path)
            let table = try XCTUnwrap(db.catalog.table(named: "events"))
            let shredded = Set((table.paths[EventColumn.raw.rawValue] ?? [:]).keys.map(\.text))
            try assertPathsAnswerAsText(db, table: "events", column: "raw", paths: shredded.union(Self.extraPaths))
        }
    }

    /// Rows keep their `raw` in the text of the file they were read from (the segment keeps
    /// the file's buffer): many small files read as one unit, gzip files, CSV rows (whose
    /// `raw` is built, and copied), and a JSON-lines file cut into parts, over several chunks
    /// and through recycled segments. Every row's `raw` is its record's bytes, in load order.
    func testRawFromManyFilesGzipCSVAndPartsIsEachRecordsText() throws {
        let dir = IngestTest.temporaryDirectory()
        func record(_ n: Int) -> String {
            #"{"eventVersion":"1.08","eventTime":"2024-04-12T08:00:\#(String(format: "%02d", n % 60))Z","eventSource":"ecr.amazonaws.com","eventName":"BatchGetImage","awsRegion":"us-east-1","sourceIPAddress":"10.0.\#(n % 200).\#(n % 7)","userAgent":"docker/\#(n)","requestParameters":{"repositoryName":"ns/app\#(n % 5)","imageIds":[{"imageTag":"v\#(n)"}]},"requestID":"r\#(n)","eventID":"e\#(n)","pad":"\#(String(repeating: "p", count: n % 300))"}"#
        }
        var expected: [String] = []
        var n = 0
        // 30 small CloudTrail files (read several to a unit), every third one gzip.
        for f in 0..<30 {
            let records = (0..<(40 + f * 7)).map { _ in defer { n += 1 }; return record(n) }
            expected += records
            let name = String(format: "a%02d.json", f)
            let path = IngestTest.write("{\"Records\":[" + records.joined(separator: ",\n") + "]}", to: name, in: dir)
            if f % 3 == 0 {
                _ = IngestTest.gzip(path)
                try FileManager.default.removeItem(atPath: path)
            }
        }
        let db = Database()
        try db.load(path: dir, format: "cloudtrail")
        XCTAssertEqual(try rawTexts(db, "events", "raw").sorted(), expected.sorted())
        XCTAssertEqual(try db.query("SELECT count(*) FROM events").rows, [[.integer(Int64(expected.count))]])

        // A JSON-lines file cut into parts (each part a unit of its own), after a CSV event line.
        let lines = (0..<3000).map { #"{"instance_id":"cri-1","action":"GetBlob","http_request_id":"r\#($0)","repo":"ns/r\#($0 % 9)","time":"2024-04-12T16:58:30+08:00"}"# }
        let big = IngestTest.write(lines.joined(separator: "\n") + "\n", to: "big.jsonl", in: IngestTest.temporaryDirectory())
        let csv = IngestTest.write("Namespace,Repository,Tag,Event category,Client network type,Client public IP address,Event time\n"
                                   + (0..<50).map { "ns,repo\($0),v1,Pull,Public,1.2.3.4,2024-04-12 16:58:30\n" }.joined(),
                                   to: "e.csv", in: IngestTest.temporaryDirectory())
        WorkPlan.partSize = 4096
        defer { WorkPlan.partSize = 16 << 20 }
        let parts = Database()
        try parts.load(path: csv)
        let csvRaw = try rawTexts(parts, "events", "raw")
        XCTAssertEqual(csvRaw.count, 50)
        XCTAssertTrue(csvRaw.allSatisfy { $0.hasPrefix("{") && $0.contains("\"Repository\":\"repo") }, "\(csvRaw.prefix(2))")
        try parts.load(path: big)
        XCTAssertEqual(try rawTexts(parts, "events", "raw"), csvRaw + lines)
    }

    /// The seed examples of every format and shape: `raw` as the files hold each record (CSV
    /// rows as their JSON object), paths as the text gives them.
    func testSeedExamples() throws {
        let seeds = IngestTest.fixture("seeds")
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds).sorted() {
            let path = seeds + "/" + name
            let db = Database()
            try db.load(path: path)
            let raw = try rawTexts(db, "events", "raw")
            XCTAssertFalse(raw.isEmpty, name)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if name.hasSuffix(".jsonl") {
                XCTAssertEqual(raw, text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }, name)
            } else if name.hasSuffix(".json") {
                XCTAssertEqual(raw, Self.topLevelObjects(text), name)
            }
            let table = try XCTUnwrap(db.catalog.table(named: "events"))
            let shredded = Set((table.paths[EventColumn.raw.rawValue] ?? [:]).keys.map(\.text))
            try assertPathsAnswerAsText(db, table: "events", column: "raw",
                                        paths: shredded.union(["$.eventName", "$.userIdentity.type", "$.action", "$.missing"]))
        }
    }

    /// `LOAD 'file.jsonl' AS t`: a column of JSON objects is kept the same way.
    func testTableFileJSONColumn() throws {
        let dir = IngestTest.temporaryDirectory()
        let lines = Self.trickyRecords.enumerated().map { "{\"id\":\($0.offset),\"doc\":\($0.element)}" }
        let path = IngestTest.write(lines.joined(separator: "\n") + "\n", to: "docs.jsonl", in: dir)
        let db = Database()
        _ = try db.query("LOAD '\(path)' AS t")
        XCTAssertEqual(try rawTexts(db, "t", "doc"), Self.trickyRecords)
        let table = try XCTUnwrap(db.catalog.table(named: "t"))
        let doc = try XCTUnwrap(table.columnIndex("doc"))
        let shredded = Set((table.paths[doc] ?? [:]).keys.map(\.text))
        XCTAssertTrue(shredded.contains("$.a"), "\(shredded.sorted())")
        try assertPathsAnswerAsText(db, table: "t", column: "doc", paths: shredded.union(Self.extraPaths))
    }

    // MARK: Plans and statements

    func testExplainShowsTheSubColumnAndShowRawPathsListsIt() throws {
        let dir = IngestTest.temporaryDirectory()
        let path = IngestTest.write(Self.trickyRecords.joined(separator: "\n") + "\n", to: "tricky.jsonl", in: dir)
        let db = Database()
        try db.load(path: path, format: "cloudtrail")
        let plan = try db.query("EXPLAIN SELECT json_extract_string(raw, '$.o.x') AS x, count(*) FROM events GROUP BY 1")
            .rows.map(Self.line).joined(separator: "\n")
        XCTAssertTrue(plan.contains("sub-columns=[json_extract_string(raw, '$.o.x')]"), plan)
        XCTAssertFalse(plan.contains("Scan events [raw]"), plan)
        // A path with no sub-column stays a call on the text.
        let other = try db.query("EXPLAIN SELECT json_extract_string(raw, '$.rare.only') FROM events")
            .rows.map(Self.line).joined(separator: "\n")
        XCTAssertFalse(other.contains("sub-columns"), other)
        XCTAssertTrue(other.contains("text-paths=[json_extract_string(raw, '$.rare.only')]"), other)
        let paths = try db.query("SHOW RAW PATHS")
        XCTAssertEqual(paths.columns.map(\.name), ["column", "path", "types", "rows", "chunk_share"])
        let flag = try XCTUnwrap(paths.rows.first { $0[1] == .varchar("$.flag") })
        XCTAssertEqual(flag, [.varchar("raw"), .varchar("$.flag"), .varchar("BOOLEAN"), .integer(40), .double(1)])
        let kind = try XCTUnwrap(paths.rows.first { $0[1] == .varchar("$.kind") })
        XCTAssertEqual(kind[2], .varchar("NULL, VARCHAR"))
        XCTAssertEqual(kind[3], .integer(30))
        XCTAssertThrowsError(try db.query("SHOW RAW PATHS FROM nowhere"))
    }

    // MARK: Size

    /// A BatchGetImage record naming 2,000 images: 2,000 rows, its text stored once.
    func testBatchRecordTextIsStoredOnce() throws {
        let ids = (0..<2000).map { "{\"imageTag\":\"t\($0)\",\"imageDigest\":\"sha256:\(String(repeating: "ab", count: 32))\"}" }
        let record = "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-03-01T00:00:00Z\",\"eventSource\":\"ecr.amazonaws.com\","
            + "\"eventName\":\"BatchGetImage\",\"awsRegion\":\"us-east-1\",\"requestParameters\":{\"repositoryName\":\"app\","
            + "\"imageIds\":[" + ids.joined(separator: ",") + "]},\"requestID\":\"r-1\",\"eventID\":\"e-1\"}"
        let dir = IngestTest.temporaryDirectory()
        let path = IngestTest.write("{\"Records\":[" + record + "]}", to: "batch.json", in: dir)
        let db = Database()
        try db.load(path: path)
        let table = try XCTUnwrap(db.catalog.table(named: "events"))
        XCTAssertEqual(table.rowCount, 2000)
        // Once per chunk at most (2,000 rows fit one), compressed: far below one copy a row.
        let rawBytes = table.storageBytes(columns: ["raw"])
        XCTAssertLessThan(rawBytes, record.utf8.count + 2000 * 8)
        let texts = try rawTexts(db, "events", "raw", distinct: false)
        XCTAssertEqual(texts.count, 2000)
        XCTAssertTrue(texts.allSatisfy { $0 == record })
        XCTAssertEqual(try db.query("SELECT count(DISTINCT tag), count(DISTINCT event_id) FROM events").rows,
                       [[.integer(2000), .integer(1)]])
    }

    /// The store's accounting: compressed text and narrowed codes, against the text loaded.
    func testStorageAccountingCountsTheCompressedForm() throws {
        let dir = IngestTest.temporaryDirectory()
        var lines: [String] = []
        for i in 0..<5000 {
            lines.append("{\"time\":\"2024-04-01T10:00:\(String(format: "%02d", i % 60))Z\",\"action\":\"GetImageManifest\","
                + "\"instance_id\":\"cri-abc\",\"namespace_repo\":\"team/app\(i % 7)\",\"http_response_status\":\"200\","
                + "\"user_name\":\"user\(i % 13)\",\"http_request_host\":\"r.cn-hangzhou.cr.aliyuncs.com\"}")
        }
        let path = IngestTest.write(lines.joined(separator: "\n") + "\n", to: "audit.jsonl", in: dir)
        let db = Database()
        try db.load(path: path)
        let table = try XCTUnwrap(db.catalog.table(named: "events"))
        let textBytes = lines.reduce(0) { $0 + $1.utf8.count }
        var packed = 0
        for chunk in table.storedChunks {
            guard case .text(let text, _, let paths) = chunk.columns[EventColumn.raw.rawValue] else {
                return XCTFail("raw is not kept packed")
            }
            XCTAssertFalse(paths.isEmpty)
            packed += text.textBytes
            guard case .codes(let codes, _, _, _) = chunk.columns[EventColumn.action.rawValue], case .u8 = codes else {
                return XCTFail("action codes are not one byte")
            }
        }
        XCTAssertEqual(packed, textBytes)
        let raw = table.storageBytes(columns: ["raw"])
        XCTAssertLessThan(raw, textBytes / 5)
        XCTAssertGreaterThan(raw, 0)
        XCTAssertLessThan(table.storageBytes(), textBytes / 2)
    }

    // MARK: Paths noted while reading

    /// The readers note each record's paths as they read it: a broken record between good ones
    /// leaves no notes behind, a batch record's rows share its notes across a chunk boundary,
    /// an id path (a new value every record) is given up while a path of few values is kept,
    /// and every path answers as the text does.
    func testPathsNotedWhileReadingFollowTheirRecords() throws {
        var lines: [String] = []
        for i in 0..<3000 {
            if i % 97 == 5 { lines.append("{\"eventID\":\"broken-\(i)\",\"kind\":\"bad\", \"o\":{\"x\":") }
            let images = i % 500 == 7 ? (0..<3).map { "{\"imageTag\":\"t\($0)\"}" }.joined(separator: ",") : ""
            lines.append("{\"eventTime\":\"2024-03-01T00:00:\(String(format: "%02d", i % 60))Z\",\"eventSource\":\"ecr.amazonaws.com\",\"eventName\":\"BatchGetImage\","
                         + "\"eventID\":\"id-\(i)\",\"kind\":\"k\(i % 7)\",\"n\":\(i % 11),\"o\":{\"x\":\(i % 2 == 0)},"
                         + "\"requestParameters\":{\"repositoryName\":\"r\(i % 3)\",\"imageIds\":[\(images)]}}")
        }
        // A record of 2,000 rows (one per image) right where the first chunk ends.
        let ids = (0..<2000).map { "{\"imageTag\":\"b\($0)\"}" }.joined(separator: ",")
        lines.insert("{\"eventTime\":\"2024-03-01T00:00:00Z\",\"eventSource\":\"ecr.amazonaws.com\",\"eventName\":\"BatchGetImage\",\"eventID\":\"batch\",\"kind\":\"k-batch\",\"n\":99,\"o\":{\"x\":true},"
                     + "\"requestParameters\":{\"repositoryName\":\"big\",\"imageIds\":[\(ids)]}}", at: 1500)
        let dir = IngestTest.temporaryDirectory()
        let path = IngestTest.write(lines.joined(separator: "\n") + "\n", to: "noted.jsonl", in: dir)
        let db = Database()
        try db.load(path: path, format: "cloudtrail")
        let table = try XCTUnwrap(db.catalog.table(named: "events"))
        XCTAssertGreaterThan(table.chunkCount, 2)
        let good = lines.filter { !$0.hasSuffix(":") }
        XCTAssertEqual(try rawTexts(db, "events", "raw"), good)
        let shredded = Set((table.paths[EventColumn.raw.rawValue] ?? [:]).keys.map(\.text))
        for expected in ["$.kind", "$.n", "$.o.x", "$.requestParameters.repositoryName", "$.eventName"] {
            XCTAssertTrue(shredded.contains(expected), "\(expected) not among \(shredded.sorted())")
        }
        XCTAssertFalse(shredded.contains("$.eventID"), "\(shredded.sorted())")
        try assertPathsAnswerAsText(db, table: "events", column: "raw",
                                    paths: shredded.union(["$.eventID", "$.eventTime", "$.requestParameters.imageIds"]))
        XCTAssertEqual(try db.query("SELECT json_extract_string(raw, '$.kind') AS k, count(*) FROM events "
                                    + "WHERE json_extract_string(raw, '$.eventID') = 'batch' GROUP BY 1").rows,
                       [[.varchar("k-batch"), .integer(2000)]])
        // The path read from the text is a column of the scan, shown as such.
        let plan = try db.query("EXPLAIN SELECT count(DISTINCT json_extract_string(raw, '$.eventID')) FROM events")
            .rows.map(Self.line).joined(separator: "\n")
        XCTAssertTrue(plan.contains("text-paths=[json_extract_string(raw, '$.eventID')]"), plan)
        XCTAssertEqual(try db.query("SELECT count(DISTINCT json_extract_string(raw, '$.eventID')) FROM events").rows,
                       [[.integer(Int64(good.count))]])
    }

    /// Keys in a new order from record to record, the same key names under different parents,
    /// a key that appears first in some records and last in others, and a duplicate key: each
    /// key is found under its own parent (the walk guesses a key from the last record's order
    /// and checks the guess), and every path answers as the text does.
    func testPathsFoundWhateverTheKeyOrder() throws {
        var lines: [String] = []
        for i in 0..<600 {
            let fields = ["\"a\":\"v\(i % 5)\"", "\"b\":{\"a\":\(i % 3),\"c\":\"x\(i % 4)\"}", "\"c\":{\"b\":{\"a\":\(i % 2 == 0)}}",
                          "\"eventName\":\"E\(i % 6)\""]
            let turn = i % fields.count
            var ordered = Array(fields[turn...] + fields[..<turn])
            if i % 7 == 3 { ordered.swapAt(0, ordered.count - 1) }
            if i % 11 == 4 { ordered.append("\"a\":\"later duplicate\"") }
            lines.append("{" + ordered.joined(separator: ",") + "}")
        }
        let dir = IngestTest.temporaryDirectory()
        let file = lines.enumerated().map { "{\"id\":\($0.offset),\"doc\":\($0.element)}" }
        let path = IngestTest.write(file.joined(separator: "\n") + "\n", to: "orders.jsonl", in: dir)
        let db = Database()
        _ = try db.query("LOAD '\(path)' AS t")
        XCTAssertEqual(try rawTexts(db, "t", "doc", distinct: false), lines)
        let table = try XCTUnwrap(db.catalog.table(named: "t"))
        let doc = try XCTUnwrap(table.columnIndex("doc"))
        let shredded = Set((table.paths[doc] ?? [:]).keys.map(\.text))
        XCTAssertEqual(shredded.intersection(["$.a", "$.b.a", "$.b.c", "$.c.b.a", "$.eventName"]).count, 5, "\(shredded.sorted())")
        try assertPathsAnswerAsText(db, table: "t", column: "doc", paths: shredded.union(["$.b", "$.c.b"]))
    }

    /// A chunk's text buffer comes back emptied with its capacity, for the next chunk; the
    /// pool keeps no more than its limit.
    func testTextBuffersAreUsedAgain() {
        let pool = TextBufferPool(limit: 1)
        let first = pool.take()
        first.bytes.append(contentsOf: [UInt8](repeating: 7, count: 5000))
        let capacity = first.bytes.capacity
        pool.give(first)
        pool.give(TextBuffer())
        let again = pool.take()
        XCTAssertTrue(again === first)
        XCTAssertEqual(again.bytes.count, 0)
        XCTAssertEqual(again.bytes.capacity, capacity)
        XCTAssertFalse(pool.take() === first)
    }

    /// The string comparison of the loaders and dictionaries: equal runs of every length up to
    /// well past its word loop (into the lengths it hands to `memcmp`), and a difference at
    /// every position found.
    func testSameBytesAtEveryLengthAndPosition() {
        for n in 0...130 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            a.withUnsafeBytes { pa in
                var b = a
                XCTAssertTrue(b.withUnsafeBytes { StringDictionary.equal(pa, $0) }, "length \(n)")
                for k in 0..<n {
                    b = a
                    b[k] ^= 0x40
                    XCTAssertFalse(b.withUnsafeBytes { StringDictionary.equal(pa, $0) }, "length \(n), byte \(k)")
                }
            }
        }
    }

    /// The dictionaries' hash reads a string's last bytes in one or two (overlapping) loads:
    /// at every length, and with the bytes around the string different, it gives the value of
    /// the word loops and a byte-by-byte tail, and a changed byte anywhere changes it.
    func testHashTailReadsTheSameWordAsByteByByte() {
        func reference(_ p: UnsafeRawBufferPointer) -> UInt64 {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
            var i = 0
            while i + 16 <= p.count {
                h = StringDictionary.mix(p.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x5896_44CC_E0F5_9D39,
                                         p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ h)
                i += 16
            }
            if i + 8 <= p.count {
                h = StringDictionary.mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0xA076_1D64_78BD_642F)
                i += 8
            }
            if i < p.count {
                var w: UInt64 = 0
                var shift: UInt64 = 0
                while i < p.count { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
                h = StringDictionary.mix(h ^ w, 0xE703_7ED1_A0B4_28DB)
            }
            return StringDictionary.mix(h, 0x8EBC_6AF0_9C88_C6E3)
        }
        var generator = SystemRandomNumberGenerator()
        for n in 0...70 {
            // The string sits inside a larger buffer whose other bytes are random.
            var buffer = (0..<(n + 16)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            buffer.withUnsafeBytes { all in
                let p = UnsafeRawBufferPointer(rebasing: all[8..<(8 + n)])
                XCTAssertEqual(StringDictionary.hash(p), reference(p), "length \(n)")
            }
            let before = buffer.withUnsafeBytes { StringDictionary.hash(UnsafeRawBufferPointer(rebasing: $0[8..<(8 + n)])) }
            for k in 0..<n {
                buffer[8 + k] ^= 0x01
                let changed = buffer.withUnsafeBytes { StringDictionary.hash(UnsafeRawBufferPointer(rebasing: $0[8..<(8 + n)])) }
                XCTAssertNotEqual(changed, before, "length \(n), byte \(k)")
                buffer[8 + k] ^= 0x01
            }
        }
    }

    /// A chunk's `raw` is compressed where it lies in the files' text, with the bytes between
    /// records (`,`, spaces, line ends, the next file's opening): small gaps stay in one run,
    /// a gap over `EventTableWriter.maxGap` starts another, and records that lie in many runs
    /// are copied together as before. Each way, every row's `raw` is its record's bytes, in a
    /// load and after SAVE and OPEN, and the text the store counts is the records' alone.
    func testRawPackedWhereItLiesAcrossGapsKeepsEachRecordsBytes() throws {
        func record(_ n: Int) -> String {
            #"{"eventVersion":"1.08","eventTime":"2024-04-12T08:00:\#(String(format: "%02d", n % 60))Z","eventSource":"ecr.amazonaws.com","eventName":"PutImage","awsRegion":"eu-west-1","requestParameters":{"repositoryName":"team/svc\#(n % 4)"},"requestID":"r\#(n)","eventID":"e\#(n)","note":"\#(String(repeating: "n", count: n % 50))"}"#
        }
        let gap = EventTableWriter.maxGap
        // Gaps of 0 to 40 spaces; one of maxGap (one run) and one of maxGap + 1 (two runs).
        var n = 0
        var runs: [String] = []
        var expected: [String] = []
        for f in 0..<3 {
            var body = "{\"Records\":["
            for k in 0..<900 {
                let r = record(n)
                expected.append(r)
                n += 1
                if k > 0 { body += "," + String(repeating: k == 300 ? " " : "\n", count: k == 300 ? gap - 1 : k == 600 ? gap + 1 : k % 41) }
                body += r
            }
            runs.append(body + "]}")
            _ = f
        }
        // Every record maxGap + 2 bytes after the last: too many runs, copied together.
        var far: [String] = []
        var body = "{\"Records\":["
        for k in 0..<300 {
            let r = record(n)
            n += 1
            far.append(r)
            if k > 0 { body += "," + String(repeating: " ", count: gap + 1) }
            body += r
        }
        let dir = IngestTest.temporaryDirectory()
        for (k, text) in runs.enumerated() { _ = IngestTest.write(text, to: "a\(k).json", in: dir) }
        _ = IngestTest.write(body + "]}", to: "b.json", in: dir)
        let db = Database()
        try db.load(path: dir, format: "cloudtrail")
        let all = expected + far
        XCTAssertEqual(try rawTexts(db, "events", "raw"), all)
        let table = try XCTUnwrap(db.catalog.table(named: "events"))
        var gapped = 0, copied = 0, text = 0
        for chunk in table.storedChunks {
            guard case .text(let packed, _, _) = chunk.columns[EventColumn.raw.rawValue] else { return XCTFail("raw not packed") }
            if case .gapped = packed.layout { gapped += 1 } else { copied += 1 }
            text += packed.textBytes
        }
        XCTAssertGreaterThan(gapped, 0)
        XCTAssertGreaterThan(copied, 0)
        XCTAssertEqual(text, all.reduce(0) { $0 + $1.utf8.count })
        let store = dir + "/saved.aq"
        try db.save(path: store)
        let opened = Database()
        _ = try opened.open(path: store)
        XCTAssertEqual(try rawTexts(opened, "events", "raw"), all)
        XCTAssertEqual(try opened.query("SELECT count(*) FROM events WHERE json_extract_string(raw, '$.note') = ''").rows,
                       [[.integer(Int64(all.filter { $0.contains(#""note":"""#) }.count))]])
    }

    // MARK: Packing alone

    /// Records packed where they lie, with gaps before them, in several runs (one of bytes
    /// zstd cannot shrink, kept as they are): each record comes back, empty ones too; a
    /// layout whose gaps or lengths run past the bytes reads as damaged.
    func testPackedTextWithGapsGivesBackEachRecord() throws {
        var generator = SystemRandomNumberGenerator()
        for compressible in [true, false] {
            var buffers: [[UInt8]] = []
            var records: [[UInt8]] = []
            var gaps: [UInt32] = []
            for run in 0..<3 {
                var buffer: [UInt8] = []
                for k in 0..<(run == 1 ? 1 : 200) {
                    let count = k % 17 == 3 ? 0 : Int.random(in: 1...300, using: &generator)
                    let record = (0..<count).map { i in compressible ? UInt8(65 + (i + k) % 20) : UInt8.random(in: 0...255, using: &generator) }
                    // A run starts at a record; an empty record takes no bytes and has no gap.
                    let gap = buffer.isEmpty || count == 0 ? 0 : Int.random(in: 0...9, using: &generator)
                    buffer += (0..<gap).map { _ in UInt8(ascii: ",") } + record
                    records.append(record)
                    gaps.append(UInt32(gap))
                }
                buffers.append(buffer)
            }
            var layout: [UInt8] = []
            for r in records { withUnsafeBytes(of: UInt32(r.count).littleEndian) { layout += $0 } }
            for g in gaps { withUnsafeBytes(of: g.littleEndian) { layout += $0 } }
            let packed = buffers[0].withUnsafeBytes { a in buffers[1].withUnsafeBytes { b in buffers[2].withUnsafeBytes { c in
                PackedText(spans: [a, b, c], layout: layout, recordCount: records.count, rowRecords: nil, validity: nil)
            } } }
            XCTAssertTrue(packed.compressed)
            let back = try XCTUnwrap(packed.records())
            XCTAssertEqual((0..<back.count).map { back.withBytes($0) { Array($0) } }, records)
            XCTAssertEqual(packed.textBytes, records.reduce(0) { $0 + $1.count })
            // A record's gap made larger than the bytes hold: damaged.
            var broken = layout
            broken[4 * records.count + 4] = 0xFF
            let bad = buffers[0].withUnsafeBytes { a in buffers[1].withUnsafeBytes { b in buffers[2].withUnsafeBytes { c in
                PackedText(spans: [a, b, c], layout: broken, recordCount: records.count, rowRecords: nil, validity: nil)
            } } }
            XCTAssertNil(bad.records())
        }
        // Two records of five bytes, a byte apart: frames would be larger, so the bytes are
        // kept as they are, gaps and all.
        let tiny: [UInt8] = [1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10]
        var layout: [UInt8] = []
        for v: UInt32 in [5, 5, 0, 1] { withUnsafeBytes(of: v.littleEndian) { layout += $0 } }
        let plain = tiny.withUnsafeBytes { PackedText(spans: [$0], layout: layout, recordCount: 2, rowRecords: nil, validity: nil) }
        XCTAssertFalse(plain.compressed)
        let back = try XCTUnwrap(plain.records())
        XCTAssertEqual((0..<back.count).map { back.withBytes($0) { Array($0) } }, [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
    }

    func testPackedTextRoundTripsEveryString() throws {
        var heap = StringHeap()
        let strings = ["", "a", String(repeating: "z", count: 100_000), "ünïcödé", "\u{0}\u{1}binary", "a", "a", ""]
        for s in strings { heap.append(s) }
        let vector = StringVector.flat(heap)
        let packed = PackedText(vector, validity: nil)
        let back = try XCTUnwrap(packed.strings())
        XCTAssertEqual((0..<back.count).map { back.string($0) }, strings)
        XCTAssertLessThan(packed.storedBytes, 100_000 / 10)
    }

    // MARK: Helpers

    private static func line(_ row: [Value]) -> String {
        if case .varchar(let s) = row[0] { return s }
        return "\(row[0])"
    }

    /// The column's text per row, consecutive repeats (rows of one record) collapsed.
    private func rawTexts(_ db: Database, _ table: String, _ column: String, distinct: Bool = true) throws -> [String] {
        let rows = try db.query("SELECT \(column) FROM \(table)").rows
        var out: [String] = []
        var previous: Value?
        for row in rows {
            defer { previous = row[0] }
            if distinct, let previous, previous == row[0] { continue }
            switch row[0] {
            case .json(let s), .varchar(let s): out.append(s)
            default: out.append("NULL")
            }
        }
        return out
    }

    /// Each path gives the same rows read from sub-columns as from the text.
    private func assertPathsAnswerAsText(_ db: Database, table: String, column: String, paths: Set<String>,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        for path in paths.sorted() {
            let sql = "SELECT json_extract_string(\(column), '\(path)'), json_extract(\(column), '\(path)') FROM \(table)"
            db.optimizer.disabled = []
            let shredded = try db.query(sql).rows
            db.optimizer.disabled = ["raw_paths"]
            let text = try db.query(sql).rows
            db.optimizer.disabled = []
            XCTAssertEqual(shredded.count, text.count, path, file: file, line: line)
            for (k, (a, b)) in zip(shredded, text).enumerated() where a != b {
                XCTFail("\(table).\(column) \(path) row \(k): sub-column \(a) text \(b)", file: file, line: line)
                break
            }
            let grouped = "SELECT json_extract_string(\(column), '\(path)') AS v, count(*) FROM \(table) GROUP BY 1 ORDER BY 1"
            let g1 = try db.query(grouped).rows
            db.optimizer.disabled = ["raw_paths"]
            XCTAssertEqual(g1, try db.query(grouped).rows, path, file: file, line: line)
            db.optimizer.disabled = []
        }
    }

    /// The bytes of each object of a `{"Records":[…]}` or `[…]` file, found by matching
    /// brackets outside strings (independent of the reader under test).
    static func topLevelObjects(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var out: [String] = []
        var depth = 0, start = -1, i = 0
        var inString = false
        let wrapped = text.drop { $0 == " " || $0 == "\n" }.hasPrefix("{\"Records\"")
        let level = wrapped ? 2 : 1
        while i < bytes.count {
            let c = bytes[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
                if depth == level + 1, c == UInt8(ascii: "{") { start = i }
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth == level + 1, start >= 0, c == UInt8(ascii: "}") {
                    out.append(String(decoding: bytes[start...i], as: UTF8.self))
                    start = -1
                }
                depth -= 1
            }
            i += 1
        }
        return out
    }
}

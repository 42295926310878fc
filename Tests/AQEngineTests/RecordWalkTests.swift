// The readers read each JSON record once, for the mapping's slots and for the notes of its
// paths together (`RecordPaths.walk(_:at:fill:)`). That one walk must give what the two
// walks it replaced give apart: the trie walk's end and slots (`JSONScanner.walkObject`) and
// the path walk's notes of the record's text (`RecordPaths.walk(_:)`), on good records and on
// every kind of broken one.

import Foundation
import XCTest
@testable import AQEngine

final class RecordWalkTests: XCTestCase {
    /// CloudTrail-shaped records whose trie keys come duplicated, escaped, out of order, with
    /// values of every kind, nested deeper than the trie and broken in places.
    static let cloudTrailRecords: [String] = [
        #"{"eventTime":"2024-03-01T00:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"PutImage","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a","sessionContext":{"sessionIssuer":{"arn":"arn:issuer"}}},"requestParameters":{"repositoryName":"r","imageTag":"v1","imageId":{"imageTag":"x","imageDigest":"sha256:1"}},"responseElements":{"image":{"imageId":{"imageDigest":"sha256:2"}}}}"#,
        #"{"eventName":"first","eventName":"second duplicate","userIdentity":{"arn":"a1"},"userIdentity":{"type":"later object","arn":"a2"}}"#,
        #"{"userIdentity":"not an object","userIdentity":{"arn":"object after"},"requestParameters":null}"#,
        #"{"requestParameters":{"imageIds":[{"imageTag":"t1"},{"imageDigest":"d"}],"repositoryName":"with \"escape\" \u00e9"}}"#,
        #"{"event\u0054ime":"escaped key","eventTime":"2024-03-01T00:00:00Z","0":"digit key","eventID":12,"errorCode":-0,"awsRegion":1.5e3}"#,
        #"{ "eventTime" : "2024-03-01T00:00:00Z" , "userIdentity" : { "type" : "Root" , "accountId" : "1" } , "requestID" : true }"#,
        #"{"eventTime":"2024","vpcEndpointId":{"deep":{"deeper":{"x":[1,{"y":2}]}}},"userAgent":"tab\there"}"#,
        #"{"sourceIPAddress":"1.2.3.4","sourceIPAddress":"5.6.7.8","eventID":"e","eventID":"f"}"#,
        #"{"userIdentity":{"sessionContext":{"sessionIssuer":{"arn":"i1","arn":"i2"},"sessionIssuer":{"type":"t"}}}}"#,
        #"{"eventName":12-3,"eventTime":"x"}"#,
        #"{"userIdentity":{"arn":12-3,"type":"T"},"eventName":"after"}"#,
        #"{"userIdentity":{"arn":"a" "type":"T"},"eventName":"after"}"#,
        #"{"requestParameters":{"imageId":{"imageTag":tru}}}"#,
        "{\"eventName\":\"raw \u{01} control\",\"userAgent\":\"ok\"}",
        "{\"userIdentity\":{\"arn\":\"raw \u{01} control\"},\"userAgent\":\"ok\"}",
        #"{}"#,
        #"{"a":{}}"#,
    ]

    func testOneWalkGivesTheSlotsAndNotesOfTheTwoWalks() throws {
        var records = Self.cloudTrailRecords + RawStorageTests.trickyRecords
        let seeds = IngestTest.fixture("seeds")
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds).sorted() {
            let text = try String(contentsOfFile: seeds + "/" + name, encoding: .utf8)
            if name.hasSuffix(".jsonl") {
                records += text.split(separator: "\n").map(String.init)
            } else if name.hasSuffix(".json") {
                records += RawStorageTests.topLevelObjects(text)
            }
        }
        let tries: [(String, FieldTrie)] = [("cloudtrail", CloudTrailMapper.trie), ("ibm", IBMMapper.trie),
                                            ("acr-audit", ACRAuditMapper.trie)]
        var walks = 0
        var broken = 0
        for record in records {
            let bytes = Array(record.utf8)
            var variants = [bytes]
            if bytes.count < 4000 {
                // Cut short, and one byte changed to text that breaks or bends the syntax
                // there: at every position of a short record, every fifth of a longer one.
                for k in stride(from: 0, to: bytes.count, by: bytes.count > 300 ? 5 : 1) {
                    variants.append(Array(bytes[..<k]))
                    for c in [UInt8(ascii: "\""), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "\\"), UInt8(ascii: "1"), 0x01,
                              UInt8(ascii: "["), UInt8(ascii: " ")] where bytes[k] != c {
                        var changed = bytes
                        changed[k] = c
                        variants.append(changed)
                    }
                }
            }
            for (name, trie) in tries {
                for text in variants where text.first == UInt8(ascii: "{") {
                    if !assertSameWalk(text, trie: trie, label: "\(name): \(String(decoding: text, as: UTF8.self))") { return }
                    walks += 1
                }
            }
            broken += variants.count
        }
        XCTAssertGreaterThan(walks, 5_000)
        XCTAssertGreaterThan(broken, walks / 3)
    }

    /// A segment's walk remembers each path's trie entry from record to record (a key without
    /// escapes is its path's key). Walked one after another by one `RecordPaths`, under the
    /// three tries in turn, records whose trie keys come plain in one record and escaped in the
    /// next (so one path is reached by both spellings, above and below a trie node) fill the
    /// slots the trie walk fills, every time.
    func testRememberedTrieEntriesFillTheSlotsOfEveryRecord() {
        let records = RecordWalkTests.cloudTrailRecords + [
            #"{"eventName":"A","userIdentity":{"type":"Root","arn":"x"},"eventTime":"2024-03-01T00:00:00Z"}"#,
            #"{"event\u004eame":"B","user\u0049dentity":{"type":"IAMUser","arn":"y"},"eventTime":"2024-03-02T00:00:00Z"}"#,
            #"{"eventName":"C","userIdentity":{"typ\u0065":"Esc","arn":"z"},"eventName":"dup"}"#,
            #"{"userIdentity":{"type":"T","sessionContext":{"sessionIssuer":{"userName":"u","arn":"i"}}},"eventName":"D"}"#,
            #"{"user\u0049dentity":{"sessionContext":{"sessionIssuer":{"arn":"j"}}},"userIdentity":{"arn":"k"}}"#,
            #"{"action":"a.b.c","initiator":{"id":"i","name":"n","host":{"address":"1.2.3.4"}},"eventTime":"2024-03-01T00:00:00.000+0000"}"#,
            #"{"act\u0069on":"x","initiator":{"i\u0064":"escaped","name":"m"},"target":{"id":"t"},"id":"r"}"#,
            #"{"initiator":{"id":"i2","credential":{"type":"apikey"}},"action":"y","outcome":"success"}"#,
            #"{"requestID":"q","roleName":"r","eventTime":"t","request\u0049D":"escaped"}"#,
        ]
        let tries: [(String, FieldTrie)] = [("cloudtrail", CloudTrailMapper.trie), ("ibm", IBMMapper.trie),
                                            ("acr-audit", ACRAuditMapper.trie)]
        let shared = RecordPaths()
        var walks = 0
        // Each trie for several records in a row (entries remembered), then the next trie.
        for round in 0..<3 {
            for (name, trie) in tries {
                for record in (round == 1 ? records.reversed() : records) {
                    let text = Array(record.utf8)
                    let same = text.withUnsafeBufferPointer { buffer -> Bool in
                        guard let base = buffer.baseAddress else { return true }
                        let scanner = JSONScanner()
                        scanner.reset(base: base, count: buffer.count)
                        let apart = FieldSlots(count: trie.slotCount)
                        let end = scanner.walkObject(0, buffer.count, trie: trie, node: 0, slots: apart)
                        let together = FieldSlots(count: trie.slotCount)
                        let onceEnd = shared.walk(Bytes(start: UnsafeRawPointer(base), count: buffer.count), at: 0,
                                                  fill: SlotFill(trie: trie, slots: together, scanner: scanner))
                        guard onceEnd == end else {
                            XCTFail("end \(onceEnd), the trie walk's \(end): \(name): \(record)")
                            return false
                        }
                        return end < 0 || assertSameSlots(together, apart, trie: trie, label: "\(name): \(record)")
                    }
                    if !same { return }
                    walks += 1
                }
            }
        }
        XCTAssertEqual(walks, 3 * tries.count * records.count)
    }

    /// Record after record, the walk finds a key by the key the record before had there, and
    /// a string by the path's last one, compared as written. Each noted string must be the
    /// value the text functions find at its path in that record (`JSONReader.find`): keys and
    /// values written with escapes, whose bytes as written are another's (`a\b`), quotes,
    /// prefixes, empty keys and strings, and duplicates.
    func testKeysAndStringsFoundByTheRecordBeforeAreTheRecordsOwn() {
        let records = [
            #"{"a\\b":"one","k":"x"}"#, #"{"a\b":"two","k":"y"}"#, #"{"a\\b":"three","k":"z"}"#,
            #"{"q\"":"four","k":"w"}"#, #"{"q\"":"five"}"#, #"{"q":"six"}"#,
            #"{"ab":"seven"}"#, #"{"a\u0062":"eight"}"#, #"{"ab":"nine"}"#,
            #"{"x":"1","xy":"2"}"#, #"{"xy":"3","x":"4"}"#, #"{"x":"5","x":"dup"}"#,
            #"{"":"empty","o":{"":"inner"}}"#, #"{"":"again","o":{"":"inner2"}}"#,
            #"{"o":{"k":"deep"},"k":"top"}"#, #"{"k":"top2","o":{"k":"deep2"}}"#,
            #"{"v":"a\\b"}"#, #"{"v":"a\b"}"#, #"{"v":"a\\b"}"#, #"{"v":"q\"r"}"#, #"{"v":"q\"r"}"#,
            #"{"v":"same"}"#, #"{"v":"same"}"#, #"{"v":"sam\u0065"}"#, #"{"v":"same"}"#, #"{"v":"samer"}"#,
            #"{"v":"sam"}"#, #"{"v":""}"#, #"{"v":""}"#, #"{"v":"x","v":"x2"}"#, #"{"v":"x"}"#,
        ]
        let paths = RecordPaths()
        for record in records {
            let text = Array(record.utf8)
            let before = paths.noteCount
            text.withUnsafeBytes { paths.walk($0) }
            XCTAssertGreaterThan(paths.noteCount, before, record)
            for note in Array(paths.notes)[before...] where RecordPaths.kind(of: note) == RecordPaths.Kind.string.rawValue {
                let path = RecordPaths.path(of: note)
                let noted = paths.strings[path].map { Array($0.bytes(of: RecordPaths.value(of: note))) }
                let keys = paths.keyPath(path).keys
                let found = text.withUnsafeBytes { p -> [UInt8]? in
                    guard let range = JSONReader.find(p, keys.map { .key($0) }) else { return nil }
                    var out: [UInt8] = []
                    return JSONReader.decodeString(UnsafeRawBufferPointer(rebasing: p[range]), into: &out) ? out : nil
                }
                XCTAssertEqual(noted, found, "\(paths.keyPath(path).text) in \(record)")
            }
        }
    }

    /// Compares the one walk with the two; false (after failing) at the first difference.
    private func assertSameWalk(_ text: [UInt8], trie: FieldTrie, label: String) -> Bool {
        text.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            let scanner = JSONScanner()
            scanner.reset(base: base, count: buffer.count)
            let apart = FieldSlots(count: trie.slotCount)
            let end = scanner.walkObject(0, buffer.count, trie: trie, node: 0, slots: apart)
            let paths = RecordPaths()
            if end >= 0 { paths.walk(Bytes(start: UnsafeRawPointer(base), count: end)) }

            let together = FieldSlots(count: trie.slotCount)
            let once = RecordPaths()
            let onceEnd = once.walk(Bytes(start: UnsafeRawPointer(base), count: buffer.count), at: 0,
                                    fill: SlotFill(trie: trie, slots: together, scanner: scanner))
            guard onceEnd == end else {
                XCTFail("end \(onceEnd), the trie walk's \(end): \(label)")
                return false
            }
            guard end >= 0 else { return true }
            guard assertSameSlots(together, apart, trie: trie, label: label) else { return false }
            guard Array(once.notes) == Array(paths.notes), once.integers == paths.integers,
                  (0..<once.parents.count).map({ once.keyPath($0).text }) == (0..<paths.parents.count).map({ paths.keyPath($0).text }) else {
                XCTFail("notes \(Array(once.notes)), the path walk's \(Array(paths.notes)): \(label)")
                return false
            }
            return true
        }
    }

    /// Whether the one walk's slots are the trie walk's (failing at the first that is not).
    private func assertSameSlots(_ together: FieldSlots, _ apart: FieldSlots, trie: FieldTrie, label: String) -> Bool {
        for slot in 0..<trie.slotCount {
            let (a, b) = (apart.kindOf(slot), together.kindOf(slot))
            guard a == b, a == .absent || (apart.start[slot] == together.start[slot] && apart.end[slot] == together.end[slot]) else {
                XCTFail("slot \(slot): \(b) \(together.start[slot])..<\(together.end[slot]), the trie walk's \(a) "
                        + "\(apart.start[slot])..<\(apart.end[slot]): \(label)")
                return false
            }
        }
        return true
    }
}

// Text columns of UUIDs kept as 16 bytes each (`UUIDText`): every record comes back byte for
// byte, and text that would not is left to zstd.

import Foundation
import XCTest
@testable import AQEngine

final class UUIDTextTests: XCTestCase {
    private func uuid(upper: Bool) -> String {
        let text = UUID().uuidString  // upper case
        return upper ? text : text.lowercased()
    }

    private func packed(_ strings: [String]) -> PackedText {
        var heap = StringHeap()
        for s in strings { heap.append(s) }
        return PackedText(records: heap, rowRecords: nil, validity: nil)
    }

    private func texts(_ p: PackedText) throws -> [String] {
        let heap = try XCTUnwrap(p.records())
        return (0..<heap.count).map { heap.withBytes($0) { String(decoding: $0, as: UTF8.self) } }
    }

    func testUUIDsOfOneCaseComeBackByteForByte() throws {
        for upper in [false, true] {
            // Empty records among them (rows without an id), and ids of digits alone.
            var strings = (0..<2048).map { k in k % 7 == 3 ? "" : uuid(upper: upper) }
            strings[5] = "01234567-8901-2345-6789-012345678901"
            let p = packed(strings)
            XCTAssertEqual(p.layout, .uuids(upper: upper))
            XCTAssertEqual(try texts(p), strings)
            XCTAssertEqual(p.textBytes, strings.reduce(0) { $0 + $1.utf8.count })
            let present = strings.filter { !$0.isEmpty }.count
            XCTAssertEqual(p.storedBytes, 16 * present + 2048 / 8)
        }
    }

    /// Anything else is compressed as before and comes back the same: both cases in one chunk,
    /// a letter past `f`, a dash out of place, one character more or less, braces, no UUID
    /// at all.
    func testTextThatIsNotAUUIDOfOneCaseIsLeftToZstd() throws {
        let good = (0..<100).map { _ in uuid(upper: false) }
        let bad = [
            "0123ABCD-0000-0000-0000-000000000000", "0123abcg-0000-0000-0000-000000000000",
            "0123abcd0-000-0000-0000-000000000000", "0123abcd-0000-0000-0000-00000000000",
            "0123abcd-0000-0000-0000-0000000000000", "{0123abc-0000-0000-0000-000000000000}",
        ]
        for b in bad {
            var strings = good
            strings[40] = b
            let p = packed(strings)
            XCTAssertEqual(p.layout, .contiguous, b)
            XCTAssertEqual(try texts(p), strings, b)
        }
        XCTAssertEqual(packed(["", "", ""]).layout, .contiguous)
        XCTAssertEqual(try texts(packed(["", "", ""])), ["", "", ""])
    }

    /// Bytes of the wrong size for their records, or a record bit past the last record, are
    /// not UUIDs' (a damaged store is refused, not misread).
    func testBytesOfTheWrongSizeAreRefused() throws {
        let strings = ["00000000-0000-0000-0000-00000000000a", "", "00000000-0000-0000-0000-00000000000b"]
        let p = packed(strings)
        guard case .uuids(let upper) = p.layout else { return XCTFail("not kept as UUIDs") }
        XCTAssertEqual(UUIDText.count(p.frame, recordCount: 3), 2)
        XCTAssertNil(UUIDText.count(p.frame + [0], recordCount: 3))
        XCTAssertNil(UUIDText.count(Array(p.frame.dropFirst()), recordCount: 3))
        var extra = p.frame
        extra[extra.count - 1] |= 0x80
        XCTAssertNil(UUIDText.decode(extra, recordCount: 3, upper: upper))
        XCTAssertNil(PackedText(rowCount: 3, recordCount: 3, layout: .uuids(upper: false), frame: extra, compressed: false,
                                size: extra.count, rowRecords: nil, validity: nil))
    }

    /// A load keeps CloudTrail's lower-case and Alibaba's upper-case ids as UUIDs; they answer
    /// queries as the text does, and SAVE and OPEN keep them.
    func testLoadedIdsAreKeptAsUUIDsAndSaved() throws {
        let dir = IngestTest.temporaryDirectory()
        var events: [String] = []
        var records: [String] = []
        for k in 0..<3000 {
            let event = uuid(upper: false)
            events.append(event)
            records.append(#"{"eventVersion":"1.08","eventTime":"2024-04-12T08:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"PutImage","awsRegion":"eu-west-1","requestParameters":{"repositoryName":"r\#(k % 3)"},"requestID":"\#(uuid(upper: true))","eventID":"\#(event)"}"#)
        }
        _ = IngestTest.write("{\"Records\":[" + records.joined(separator: ",") + "]}", to: "a.json", in: dir)
        let db = Database()
        try db.load(path: dir, format: "cloudtrail")
        let table = try XCTUnwrap(db.catalog.table(named: "events"))
        for chunk in table.storedChunks {
            guard case .text(let ids, _, _) = chunk.columns[EventColumn.eventID.rawValue],
                  case .text(let requests, _, _) = chunk.columns[EventColumn.requestID.rawValue] else {
                return XCTFail("ids not kept as text")
            }
            XCTAssertEqual(ids.layout, .uuids(upper: false))
            XCTAssertEqual(requests.layout, .uuids(upper: true))
        }
        let sql = "SELECT event_id, request_id = upper(request_id) AND length(request_id) = 36 FROM events"
        XCTAssertEqual(try db.query(sql).rows, events.map { [.varchar($0), .boolean(true)] })
        let store = dir + "/saved.aq"
        try db.save(path: store)
        let opened = Database()
        _ = try opened.open(path: store)
        XCTAssertEqual(try opened.query(sql).rows, events.map { [.varchar($0), .boolean(true)] })
        XCTAssertEqual(try opened.query("SELECT count(*) FROM events WHERE event_id = '\(events[1234])'").rows,
                       [[.integer(1)]])
    }
}

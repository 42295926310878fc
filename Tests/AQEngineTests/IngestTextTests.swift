// Text as the readers see it: every time form of the contract, JSON escapes (\uXXXX with
// surrogate pairs), empty strings as NULL, values that SLS writes as strings or numbers.

import Foundation
import XCTest
@testable import AQEngine

final class IngestTextTests: XCTestCase {
    typealias T = IngestTest

    func load(_ lines: [String]) throws -> (Catalog, LoadReport) {
        let dir = T.temporaryDirectory()
        return try T.load(T.write(lines.joined(separator: "\n") + "\n", to: "t.jsonl", in: dir))
    }

    func testEveryTimeForm() throws {
        let forms: [(String, String)] = [
            ("2024-04-12T16:58:30.855892463+08:00", "2024-04-12 08:58:30.855892463"),
            ("2024-04-12T16:58:30.855892463+0800", "2024-04-12 08:58:30.855892463"),
            ("2018-07-11T22:17:43Z", "2018-07-11 22:17:43"),
            ("2019-05-03T20:01:36.11+0000", "2019-05-03 20:01:36.11"),
            ("2024-04-12 16:58:30", "2024-04-12 16:58:30"),
            ("2024-04-12T16:58:30.5-05:30", "2024-04-12 22:28:30.5"),
            ("2024-04-12T16:58:30.000000001Z", "2024-04-12 16:58:30.000000001"),
            ("2024-02-29T23:59:59.999999999+00:00", "2024-02-29 23:59:59.999999999"),
            ("2024-01-01T00:30:00+01:00", "2023-12-31 23:30:00"),
        ]
        let (catalog, report) = try load(forms.map { "{\"instance_id\":\"cri-1\",\"time\":\"\($0.0)\"}" })
        XCTAssertEqual(report.skipped, 0)
        let times = T.column(catalog, "time").map { v -> String in
            if case .timestamp(let ns) = v { return TimeMath.formatTimestamp(ns) }
            return "\(v)"
        }
        XCTAssertEqual(times, forms.map(\.1))
    }

    func testEscapesAreDecoded() throws {
        let (catalog, _) = try load([
            #"{"instance_id":"cri-1","tag":"caf\u00e9 \ud83d\ude00 \"q\" a\\b\/c\n\t","user_name":"lone \ud800 x","namespace_repo":"\u006es/r"}"#,
        ])
        let row = T.rows(catalog)[0]
        XCTAssertEqual(row["tag"], T.s("café 😀 \"q\" a\\b/c\n\t"))
        XCTAssertEqual(row["actor"], T.s("lone \u{FFFD} x"))
        XCTAssertEqual(row["repository"], T.s("ns/r"))
        XCTAssertEqual(row["namespace"], T.s("ns"))
    }

    func testEmptyStringsAreNullAndNumbersAreText() throws {
        let (catalog, _) = try load([
            #"{"instance_id":"","action":"GetBlob","tag":"","http_response_status":" 502 ","user_name":null,"user_identity_principal_id":12345}"#,
        ])
        let row = T.rows(catalog)[0]
        XCTAssertEqual(row["registry"], .null)
        XCTAssertEqual(row["tag"], .null)
        XCTAssertEqual(row["status"], .integer(502))
        XCTAssertEqual(row["success"], .boolean(false))
        XCTAssertEqual(row["actor"], T.s("12345"))
        XCTAssertEqual(row["time"], .null)
    }

    func testDuplicateKeysKeepTheLastAndKeysInAnyOrder() throws {
        let (catalog, _) = try load([
            #"{"eventTime":"2024-01-01T00:00:00Z","eventName":"A","userIdentity":{"accessKeyId":"AKIA1","type":"IAMUser"},"eventName":"ListImages","eventSource":"ecr.amazonaws.com"}"#,
        ])
        let row = T.rows(catalog)[0]
        XCTAssertEqual(row["operation"], T.s("ListImages"))
        XCTAssertEqual(row["action"], T.s("list"))
        XCTAssertEqual(row["credential"], T.s("key"))
        XCTAssertEqual(row["actor_type"], T.s("user"))
    }

    /// A dictionary column set from a string the record's path walk interned takes the walk's
    /// code through a per-column map (`EventSegmentBuilder.set(_:_:_:)`): the values must be the
    /// record's own, whatever path fed the column before (`registry`: `registryId` or
    /// `recipientAccountId`), with escapes, empty strings, later
    /// duplicate keys (the last fills the column, the first the path) and numbers.
    func testColumnsSetThroughTheWalksCodesKeepEachRecordsValue() throws {
        var lines: [String] = []
        var expected: [(ip: Value, actor: Value, ua: Value, registry: Value)] = []
        for i in 0..<600 {
            let time = "\"eventTime\":\"2024-01-01T00:\(String(format: "%02d", i / 60)):\(String(format: "%02d", i % 60))Z\""
            let ip = "10.0.\(i % 7).\(i % 150)"
            let ua = "agent-\(i % 3)"
            switch i % 5 {
            case 0:
                // Assumed role: actor from the issuer's ARN.
                lines.append("{\(time),\"eventSource\":\"ecr.amazonaws.com\",\"eventName\":\"ListImages\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/R\(i % 4)/s\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:role/R\(i % 4)\"}}},\"sourceIPAddress\":\"\(ip)\",\"userAgent\":\"\(ua)\",\"requestParameters\":{\"registryId\":\"\(i % 13)\"}}")
                expected.append((T.s(ip), T.s("arn:aws:iam::1:role/R\(i % 4)"), T.s(ua), T.s("\(i % 13)")))
            case 1:
                // A user: actor from its own ARN (another path for the same column); no address.
                lines.append("{\(time),\"eventSource\":\"ecr.amazonaws.com\",\"eventName\":\"ListImages\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/U\(i % 9)\"},\"sourceIPAddress\":\"\",\"userAgent\":\"\(ua)\",\"recipientAccountId\":\"\(i % 17)\"}")
                expected.append((.null, T.s("arn:aws:iam::1:user/U\(i % 9)"), T.s(ua), T.s("\(i % 17)")))
            case 2:
                // The address escaped: the same text as unescaped.
                let escaped = ip.replacingOccurrences(of: "0", with: "\\u0030")
                lines.append("{\(time),\"eventSource\":\"ecr.amazonaws.com\",\"eventName\":\"ListImages\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/U\(i % 9)\"},\"sourceIPAddress\":\"\(escaped)\",\"userAgent\":\"\(ua)\"}")
                expected.append((T.s(ip), T.s("arn:aws:iam::1:user/U\(i % 9)"), T.s(ua), .null))
            case 3:
                // A later duplicate fills the column; the first is the path's.
                lines.append("{\(time),\"eventSource\":\"ecr.amazonaws.com\",\"eventName\":\"ListImages\",\"sourceIPAddress\":\"\(ip)\",\"userAgent\":\"\(ua)\",\"sourceIPAddress\":\"192.0.2.\(i % 11)\",\"userAgent\":\"late\"}")
                expected.append((T.s("192.0.2.\(i % 11)"), .null, T.s("late"), .null))
            default:
                // A number where a string was: its text.
                lines.append("{\(time),\"eventSource\":\"ecr.amazonaws.com\",\"eventName\":\"ListImages\",\"sourceIPAddress\":\(i),\"userAgent\":\"\(ua)\"}")
                expected.append((T.s("\(i)"), .null, T.s(ua), .null))
            }
        }
        let db = Database()
        let report = try db.load(path: T.write(lines.joined(separator: "\n") + "\n", to: "t.jsonl", in: T.temporaryDirectory()))
        XCTAssertEqual(report.skipped, 0)
        let rows = try db.query("""
            SELECT source_ip, actor, user_agent, json_extract_string(raw, '$.sourceIPAddress'), registry
            FROM events ORDER BY time
            """).rows
        XCTAssertEqual(rows.count, expected.count)
        for (i, (row, want)) in zip(rows, expected).enumerated() {
            XCTAssertEqual(row[0], want.ip, "record \(i)")
            XCTAssertEqual(row[1], want.actor, "record \(i)")
            XCTAssertEqual(row[2], want.ua, "record \(i)")
            XCTAssertEqual(row[4], want.registry, "record \(i)")
            // The path keeps the first of duplicate keys.
            if i % 5 == 3 { XCTAssertEqual(row[3], T.s("10.0.\(i % 7).\(i % 150)"), "record \(i)") }
        }
    }

    func testIPAddresses() {
        func v4(_ s: String) -> Bool { var s = s; return s.withUTF8 { IPAddress.parse(Bytes($0))?.isV6 == false } }
        func v6(_ s: String) -> Bool { var s = s; return s.withUTF8 { IPAddress.parse(Bytes($0))?.isV6 == true } }
        XCTAssertTrue(v4("203.0.113.12"))
        XCTAssertTrue(v4("0.0.0.0"))
        XCTAssertFalse(v4("256.1.1.1"))
        XCTAssertFalse(v4("01.1.1.1"))
        XCTAssertFalse(v4("1.1.1"))
        XCTAssertFalse(v4("1.1.1.1.1"))
        XCTAssertTrue(v6("::1"))
        XCTAssertTrue(v6("2001:db8::8a2e:370:7334"))
        XCTAssertTrue(v6("::ffff:192.0.2.1"))
        XCTAssertTrue(v6("fe80::1%eth0"))
        XCTAssertTrue(v6("1:2:3:4:5:6:7:8"))
        XCTAssertFalse(v6("1:2:3:4:5:6:7:8:9"))
        XCTAssertFalse(v6("1::2::3"))
        XCTAssertFalse(v6("12345::"))
        XCTAssertFalse(v6("AWS Internal"))
    }
}

// CloudTrail records from the ECR documentation's examples, loaded and checked column by
// column against the contract; the same records in every shape CloudTrail files come in.

import Foundation
import XCTest
@testable import AQEngine

final class IngestCloudTrailTests: XCTestCase {
    typealias T = IngestTest

    func loadSeeds() throws -> [[String: Value]] {
        let (catalog, report) = try T.load(T.fixture("seeds/cloudtrail-examples.json"))
        XCTAssertEqual(report.files.map(\.format), ["cloudtrail"])
        XCTAssertEqual(report.skipped, 0)
        return T.rows(catalog)
    }

    func testCreateRepositoryByAnAssumedRole() throws {
        let rows = try loadSeeds()
        XCTAssertEqual(rows.count, 6, "5 records, PolicyExecutionEvent names 2 images")
        assertRow(rows[0], [
            "time": T.ts("2018-07-11T22:17:43Z"), "provider": T.s("aws"), "format": T.s("cloudtrail"),
            "service": T.s("ecr.amazonaws.com"), "operation": T.s("CreateRepository"), "action": T.s("create"),
            "registry": T.s("123456789012"), "region": T.s("us-east-2"), "namespace": .null,
            "repository": T.s("testrepo"), "tag": .null, "digest": .null,
            "actor": T.s("arn:aws:iam::123456789012:role/Admin"), "session": T.s("Mary_Major"),
            "actor_type": T.s("role"), "account": T.s("123456789012"), "credential": T.s("key"),
            "source_ip": T.s("203.0.113.12"), "network": T.s("internet"), "user_agent": T.s("console.amazonaws.com"),
            "status": .null, "success": .boolean(true), "error": .null,
            "request_id": T.s("cb8c167e-EXAMPLE"), "event_id": T.s("e3c6f4ce-EXAMPLE"),
        ])
    }

    func testKMSCreateGrantIsOtherWithTheUserAsActor() throws {
        let rows = try loadSeeds()
        assertRow(rows[1], [
            "time": T.ts("2020-06-10T19:22:10Z"), "service": T.s("kms.amazonaws.com"), "operation": T.s("CreateGrant"),
            "action": T.s("other"), "registry": T.s("123456789012"), "region": T.s("us-west-2"),
            "namespace": .null, "repository": .null, "tag": .null, "digest": .null,
            "actor": T.s("arn:aws:iam::123456789012:user/Mary_Major"), "session": .null, "actor_type": T.s("user"),
            "account": T.s("123456789012"), "credential": T.s("key"), "source_ip": T.s("203.0.113.12"),
            "network": T.s("internet"), "success": .boolean(true), "error": .null,
            "request_id": T.s("047b7dea-b56b-4013-87e9-a089f0f6602b"),
            "event_id": T.s("af4c9573-c56a-4886-baca-a77526544469"),
        ])
    }

    func testPutImageTakesTheTagFromTheRequestAndTheDigestFromTheResponse() throws {
        let rows = try loadSeeds()
        assertRow(rows[2], [
            "time": T.ts("2019-04-15T16:45:00Z"), "operation": T.s("PutImage"), "action": T.s("push"),
            "registry": T.s("123456789012"), "repository": T.s("testrepo"), "tag": T.s("latest"),
            "digest": T.s("sha256:98c8b060c21d9adbb6b8c41b916e95e6307102786973ab93a41e8b86d1fc6d3e"),
            "actor": T.s("arn:aws:sts::123456789012:user/Mary_Major"), "session": .null, "actor_type": T.s("user"),
            "request_id": T.s("cf044b7d-5f9d-11e9-9b2a-95983139cc57"),
            "event_id": T.s("2bfd4ee2-2178-4a82-a27d-b12939923f0f"),
        ])
    }

    func testBatchGetImageGivesOneRowPerImageId() throws {
        let rows = try loadSeeds()
        assertRow(rows[3], [
            "time": T.ts("2019-04-15T17:23:20Z"), "operation": T.s("BatchGetImage"), "action": T.s("pull"),
            "registry": T.s("123456789012"), "repository": T.s("testrepo"), "tag": T.s("latest"), "digest": .null,
            "event_id": T.s("c84f5880-c2f9-4585-9757-28fa5c1065df"),
        ])
    }

    func testPolicyExecutionEventGivesOneRowPerExpiredImage() throws {
        let rows = try loadSeeds()
        let common: [String: Value] = [
            "time": T.ts("2020-03-12T20:22:12Z"), "service": T.s("ecr.amazonaws.com"),
            "operation": T.s("PolicyExecutionEvent"), "action": T.s("expire"), "registry": T.s("123456789012"),
            "region": T.s("us-west-2"), "repository": T.s("testrepo"), "namespace": .null,
            "actor": T.s("AWS Internal"), "session": .null, "actor_type": T.s("service"), "account": T.s("123456789012"),
            "credential": .null, "source_ip": T.s("AWS Internal"), "network": T.s("internal"),
            "user_agent": T.s("AWS Internal"), "success": .boolean(true), "request_id": .null,
            "event_id": T.s("9354dd7f-9aac-4e9d-956d-12561a4923aa"),
        ]
        assertRow(rows[4], common.merging([
            "tag": T.s("alpine"), "digest": T.s("sha256:ddba4d27a7ffc3f86dd6c2f92041af252a1f23a8e742c90e6e1297bfa1bc0c45"),
        ]) { $1 })
        assertRow(rows[5], common.merging([
            "tag": T.s("centos"), "digest": T.s("sha256:6ab380c5a5acf71c1b6660d645d2cd79cc8ce91b38e0352cbf9561e050427baf"),
        ]) { $1 })
        XCTAssertEqual(rows[4]["raw"], rows[5]["raw"])
    }

    func testRawIsTheRecordsOwnText() throws {
        let rows = try loadSeeds()
        let text = try String(contentsOfFile: T.fixture("seeds/cloudtrail-examples.json"), encoding: .utf8)
        guard case .json(let raw)? = rows[0]["raw"] else { return XCTFail("raw is not JSON") }
        XCTAssertTrue(raw.hasPrefix("{ \"eventVersion\": \"1.04\""))
        XCTAssertTrue(raw.hasSuffix("\"recipientAccountId\": \"123456789012\" }"))
        XCTAssertTrue(text.contains(raw))
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(raw.utf8)) is [String: Any], true)
    }

    /// The same records as a JSON array, as JSON lines, pretty-printed, and gzip-compressed
    /// (under a name without `.gz`) give the same rows.
    func testEveryShapeGivesTheSameRows() throws {
        let expected = try loadSeeds()
        let text = try String(contentsOfFile: T.fixture("seeds/cloudtrail-examples.json"), encoding: .utf8)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let records = object["Records"] as! [[String: Any]]
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let dir = T.temporaryDirectory()
        let shapes = [
            T.write("[" + lines.joined(separator: ",") + "]", to: "array.json", in: dir),
            T.write(lines.joined(separator: "\n") + "\n", to: "lines.jsonl", in: dir),
            T.write(String(decoding: try JSONSerialization.data(withJSONObject: object, options: .prettyPrinted), as: UTF8.self),
                    to: "pretty.json", in: dir),
        ]
        let gz = T.gzip(shapes[1])
        try FileManager.default.moveItem(atPath: gz, toPath: dir + "/compressed.log")
        for path in shapes + [dir + "/compressed.log"] {
            let (catalog, report) = try T.load(path)
            XCTAssertEqual(report.files.first?.format, "cloudtrail", path)
            XCTAssertEqual(report.skipped, 0, path)
            let rows = T.rows(catalog)
            XCTAssertEqual(rows.count, expected.count, path)
            for (a, b) in zip(rows, expected) {
                var a = a, b = b
                a["raw"] = nil
                b["raw"] = nil
                XCTAssertEqual(a, b, path)
            }
        }
    }

    func testLoadsAppendToTheSameTable() throws {
        let catalog = Catalog()
        _ = try AuditLogLoader.load(path: T.fixture("seeds/cloudtrail-examples.json"), format: nil, into: catalog)
        let report = try AuditLogLoader.load(path: T.fixture("seeds/cloudtrail-examples.json"), format: "CloudTrail", into: catalog)
        XCTAssertEqual(report.rows, 6)
        XCTAssertEqual(catalog.table(named: "events")?.rowCount, 12)
        XCTAssertEqual(catalog.table(named: "events")?.columns.map(\.name), [
            "time", "provider", "format", "service", "operation", "action", "registry", "region", "namespace",
            "repository", "tag", "digest", "actor", "session", "actor_type", "account", "credential", "source_ip",
            "network", "user_agent", "status", "success", "error", "request_id", "event_id", "raw",
        ])
        XCTAssertEqual(catalog.table(named: "events")?.columns.map(\.type.description), [
            "TIMESTAMP"] + Array(repeating: "VARCHAR", count: 19) + ["INTEGER", "BOOLEAN"] + Array(repeating: "VARCHAR", count: 3) + ["JSON"])
    }
}

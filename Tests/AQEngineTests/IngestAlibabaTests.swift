// Alibaba ACR logs: the instance audit record of the documentation's field examples (JSON
// lines and the console's CSV export) and the event line (CSV and JSON lines), checked column
// by column, with every row of the action, actor_type, credential and network mappings.

import Foundation
import XCTest
@testable import AQEngine

final class IngestAlibabaTests: XCTestCase {
    typealias T = IngestTest

    static let documented: [String: Value] = [
        "time": T.ts("2024-04-12T08:58:30.855892463Z"), "provider": T.s("alibaba"), "format": T.s("acr_audit"),
        "service": T.s("acr"), "operation": T.s("GetImageManifest"), "action": T.s("pull"),
        "registry": T.s("cri-xxx"), "region": T.s("cn-hangzhou"), "namespace": T.s("test-ns"),
        "repository": T.s("test-ns/test-repo"), "tag": T.s("v1"), "digest": T.s("sha256:4f4fxxxx"),
        "actor": T.s("sub_user@xxxx"), "session": T.s("Alice"), "actor_type": T.s("role"),
        "account": T.s("135668xxxxxxx"), "credential": T.s("password"), "source_ip": T.s("140.xx.xx.xx"),
        "network": T.s("internet"), "user_agent": T.s("docker/24.0.2"), "status": .integer(200),
        "success": .boolean(true), "error": .null, "request_id": T.s("718e09d1-aab5-xxxxx"), "event_id": .null,
    ]

    func testDocumentedAuditRecord() throws {
        let (catalog, report) = try T.load(T.fixture("seeds/acr-audit.jsonl"))
        XCTAssertEqual(report.files.map(\.format), ["acr_audit"])
        XCTAssertEqual(report.skipped, 0)
        let rows = T.rows(catalog)
        XCTAssertEqual(rows.count, 7)
        assertRow(rows[0], Self.documented)
        let line = try String(contentsOfFile: T.fixture("seeds/acr-audit.jsonl"), encoding: .utf8).split(separator: "\n")[0]
        XCTAssertEqual(rows[0]["raw"], .json(String(line)))
    }

    func testAuditMappings() throws {
        let rows = T.rows(try T.load(T.fixture("seeds/acr-audit.jsonl")).0)
        // An assumed role without a user name: the role name, the session after ':'.
        assertRow(rows[1], ["operation": T.s("GetBlob"), "action": T.s("pull_layer"), "actor": T.s("teststs"),
                            "session": T.s("Alice"), "actor_type": T.s("role"), "credential": T.s("token"),
                            "network": T.s("vpc"), "region": T.s("cn-shanghai"), "tag": .null,
                            "time": T.ts("2024-04-12T08:58:31Z")])
        // No role name: the principal id before ':'; a status written as a number.
        assertRow(rows[2], ["action": T.s("push"), "actor": T.s("300786xxxxxxx"), "session": T.s("Alice"),
                            "network": T.s("internet"), "status": .integer(201), "success": .boolean(true),
                            "time": T.ts("2024-04-12T08:58:32Z")])
        // A RAM user; a failed delete; namespace and repo joined; a host without `.cr`.
        assertRow(rows[3], ["action": T.s("delete"), "actor": T.s("208813xxxxxxx"), "session": .null,
                            "actor_type": T.s("user"), "repository": T.s("team-a/api"), "namespace": T.s("team-a"),
                            "status": .integer(404), "success": .boolean(false), "network": T.s("vpc"),
                            "region": T.s("ap-southeast-1"), "time": T.ts("2024-04-12T08:58:33.1Z")])
        // The root account; an unknown action; a status that is no number is NULL and the
        // record stays; unknown network and credential types are NULL.
        assertRow(rows[4], ["operation": T.s("ListTags"), "action": T.s("other"), "actor": T.s("135668xxxxxxx"),
                            "actor_type": T.s("root"), "status": .null, "success": .null, "network": .null,
                            "credential": .null, "region": .null, "time": T.ts("2024-04-12T08:58:34.000000001Z")])
        assertRow(rows[5], ["actor_type": T.s("service"), "actor": T.s("135668xxxxxxx")])
        assertRow(rows[6], ["actor_type": T.s("other"), "actor": T.s("p-1")])
    }

    func testCSVExportGivesTheSameRecord() throws {
        let (catalog, report) = try T.load(T.fixture("seeds/acr-audit.csv"))
        XCTAssertEqual(report.files.map(\.format), ["acr_audit"])
        XCTAssertEqual(report.skipped, 0)
        let rows = T.rows(catalog)
        XCTAssertEqual(rows.count, 2)
        assertRow(rows[0], Self.documented)
        // A quoted cell with a comma, doubled quotes and a newline.
        assertRow(rows[1], ["user_agent": T.s("docker/24.0.2 (a, \"quoted\"\nagent)"), "tag": T.s("v2")])
        // raw: an object of header → cell text, readable as JSON.
        guard case .json(let raw)? = rows[1]["raw"],
              let object = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: String] else {
            return XCTFail("raw is not a JSON object of strings")
        }
        XCTAssertEqual(object["http_request_useragent"], "docker/24.0.2 (a, \"quoted\"\nagent)")
        XCTAssertEqual(object["http_response_status"], "200")
        XCTAssertEqual(object.count, 24)
        XCTAssertTrue(raw.hasPrefix("{\"access_credential_type\":\"Password\",\"action\":"))
    }

    func testEventLineCSVAndJSONLines() throws {
        for file in ["seeds/acr-event-line.csv", "seeds/acr-event-line.jsonl"] {
            let (catalog, report) = try T.load(T.fixture(file))
            XCTAssertEqual(report.files.map(\.format), ["acr_event_line"], file)
            let rows = T.rows(catalog)
            XCTAssertEqual(rows.count, 3, file)
            assertRow(rows[0], [
                "time": T.ts("2024-04-12T16:58:30Z"), "provider": T.s("alibaba"), "format": T.s("acr_event_line"),
                "service": T.s("acr"), "operation": T.s("Push"), "action": T.s("push"), "registry": .null,
                "region": .null, "namespace": T.s("test-namespace"),
                "repository": T.s("test-namespace/test-repository"), "tag": T.s("v1"), "digest": .null,
                "actor": .null, "session": .null, "actor_type": .null, "account": .null, "credential": .null,
                "source_ip": T.s("47.100.1.2"), "network": T.s("internet"), "user_agent": .null, "status": .null,
                "success": .null, "error": .null, "request_id": .null, "event_id": .null,
            ])
            // A repository already written with its namespace is not joined twice.
            assertRow(rows[1], ["action": T.s("pull"), "repository": T.s("test-namespace/test-repository"),
                                "network": T.s("vpc"), "source_ip": .null])
            assertRow(rows[2], ["action": T.s("delete"), "tag": .null, "network": T.s("internet"),
                                "time": T.ts("2024-04-12T08:58:32Z")])
        }
        let csv = T.rows(try T.load(T.fixture("seeds/acr-event-line.csv")).0)
        XCTAssertEqual(csv[0]["raw"], .json("{\"Namespace\":\"test-namespace\",\"Repository\":\"test-repository\",\"Tag\":\"v1\",\"Event category\":\"Push\",\"Client network type\":\"Public\",\"Client public IP address\":\"47.100.1.2\",\"Event time\":\"2024-04-12 16:58:30\"}"))
    }

    func testRegionOfHost() {
        func region(_ host: String) -> String? {
            var host = host
            let arena = ScratchArena()
            return withExtendedLifetime(arena) {
                host.withUTF8 { ACRAuditMapper.region(ofHost: Bytes($0), arena: arena).map(ByteText.string) }
            }
        }
        XCTAssertEqual(region("demo-registry.cn-hangzhou.cr.aliyuncs.com"), "cn-hangzhou")
        XCTAssertEqual(region("acme-intl-registry-vpc.ap-southeast-1.cr.aliyuncs.com"), "ap-southeast-1")
        XCTAssertEqual(region("Demo.CN-Beijing.cr.aliyuncs.com"), "cn-beijing")
        XCTAssertEqual(region("registry.cn-hangzhou.aliyuncs.com"), "cn-hangzhou")
        XCTAssertNil(region("cr.aliyuncs.com"))
        XCTAssertNil(region("demo.hangzhou.cr.aliyuncs.com"))
        XCTAssertNil(region("registry.example.com"))
    }
}

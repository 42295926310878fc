// IBM Cloud Activity Tracker events of Container Registry (JSON lines and a pretty-printed
// JSON array), checked column by column: target names with and without a registry host, by
// tag or digest, namespaces, initiators of each kind, outcomes, addresses.

import Foundation
import XCTest
@testable import AQEngine

final class IngestIBMTests: XCTestCase {
    typealias T = IngestTest

    func loadRows(_ file: String = "seeds/ibm-at.jsonl") throws -> [[String: Value]] {
        let (catalog, report) = try T.load(T.fixture(file))
        XCTAssertEqual(report.files.map(\.format), ["ibm_at"])
        XCTAssertEqual(report.skipped, 0)
        return T.rows(catalog)
    }

    func testImagePullByAServiceID() throws {
        let rows = try loadRows()
        XCTAssertEqual(rows.count, 10)
        assertRow(rows[0], [
            "time": T.ts("2019-05-03T20:01:36.11Z"), "provider": T.s("ibm"), "format": T.s("ibm_at"),
            "service": T.s("container-registry"), "operation": T.s("container-registry.image.pull"),
            "action": T.s("pull"), "registry": T.s("us.icr.io"), "region": T.s("us-south"), "namespace": T.s("ns1"),
            "repository": T.s("ns1/app"), "tag": T.s("1.0"), "digest": T.s("sha256:" + String(repeating: "a", count: 64)),
            "actor": T.s("k8s-puller"), "session": .null, "actor_type": T.s("service"), "account": T.s("b3a9c1d2e4f5"),
            "credential": T.s("key"), "source_ip": T.s("10.1.2.3"), "network": T.s("vpc"),
            "user_agent": T.s("containerd/1.7"), "status": .integer(200), "success": .boolean(true), "error": .null,
            "request_id": T.s("corr-1"), "event_id": T.s("id-1"),
        ])
    }

    func testTargetNames() throws {
        let rows = try loadRows()
        // By digest: no tag; the digest from target.id.
        assertRow(rows[1], ["action": T.s("push"), "repository": T.s("ns1/app"), "tag": .null,
                            "digest": T.s("sha256:" + String(repeating: "b", count: 64)), "actor": T.s("dev@example.com"),
                            "actor_type": T.s("user"), "credential": T.s("token"), "network": T.s("internet"),
                            "time": T.ts("2024-04-12T08:58:30.855892463Z")])
        // One component: a namespace.
        assertRow(rows[2], ["action": T.s("create"), "registry": .null, "namespace": T.s("ns1"), "repository": .null,
                            "tag": .null, "digest": .null])
        // One component with a '.': a registry host.
        assertRow(rows[3], ["action": T.s("list"), "registry": T.s("us.icr.io"), "namespace": .null, "repository": .null])
        assertRow(rows[5], ["action": T.s("config"), "namespace": T.s("ns2"), "repository": .null])
        // docker's rule: a first component with ':' or named localhost is a host.
        assertRow(rows[6], ["registry": T.s("localhost:5000"), "repository": T.s("ns/img"), "tag": T.s("tag")])
        assertRow(rows[7], ["registry": T.s("localhost"), "repository": T.s("ns/img"), "tag": .null])
        // No host: the whole name is the repository.
        assertRow(rows[8], ["action": T.s("tag"), "registry": .null, "namespace": T.s("ns"),
                            "repository": T.s("ns/deep/img"), "tag": T.s("v2")])
        assertRow(rows[9], ["action": T.s("inspect"), "registry": T.s("de.icr.io"), "repository": T.s("ns/img")])
    }

    func testOutcomesInitiatorsAndNetworks() throws {
        let rows = try loadRows()
        assertRow(rows[4], ["action": T.s("delete"), "success": .boolean(false), "error": T.s("Forbidden"),
                            "status": .integer(403), "actor": T.s("Vulnerability Advisor"), "actor_type": T.s("service"),
                            "credential": T.s("token"), "source_ip": T.s("166.9.1.2"), "network": T.s("vpc"),
                            "user_agent": .null])
        // No outcome: success and error NULL; unknown action and type; the id when there is no name.
        assertRow(rows[6], ["operation": T.s("container-registry.foo.bar"), "action": T.s("other"),
                            "success": .null, "error": .null, "actor": T.s("svc-42"), "actor_type": T.s("other"),
                            "credential": .null, "source_ip": .null, "network": .null])
        // Another service's action is `other`; a unique-local IPv6 address is private.
        assertRow(rows[7], ["operation": T.s("iam.identity.read"), "action": T.s("other"), "actor": T.s("x"),
                            "actor_type": .null, "network": T.s("vpc")])
        assertRow(rows[8], ["network": T.s("internet"), "source_ip": T.s("2001:db8::1")])
        assertRow(rows[9], ["network": T.s("internet"), "source_ip": T.s("build.example.com")])
    }

    func testArrayGivesTheSameRows() throws {
        let lines = try loadRows()
        let array = try loadRows("seeds/ibm-at-array.json")
        XCTAssertEqual(array.count, lines.count)
        for (a, b) in zip(array, lines) {
            var a = a, b = b
            // raw differs: the array is pretty-printed; its records parse to the same objects.
            guard case .json(let ra)? = a.removeValue(forKey: "raw"), case .json(let rb)? = b.removeValue(forKey: "raw") else {
                return XCTFail("raw missing")
            }
            XCTAssertEqual(a, b)
            let oa = try JSONSerialization.jsonObject(with: Data(ra.utf8)) as? NSDictionary
            let ob = try JSONSerialization.jsonObject(with: Data(rb.utf8)) as? NSDictionary
            XCTAssertEqual(oa, ob)
        }
    }
}

// Every row of the contract's mapping tables (action, actor_type, credential, network) for
// each provider, through synthesized records: one record per table entry.

import Foundation
import XCTest
@testable import AQEngine

final class IngestMappingTests: XCTestCase {
    typealias T = IngestTest

    /// Loads JSON-lines `records` and returns the value of `column` for each row.
    func column(_ column: String, of records: [[String: Any]], format: String? = nil) throws -> [Value] {
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let dir = T.temporaryDirectory()
        let path = T.write(lines.joined(separator: "\n") + "\n", to: "records.jsonl", in: dir)
        let (catalog, report) = try T.load(path, format: format)
        XCTAssertEqual(report.skipped, 0)
        return T.rows(catalog).map { $0[column] ?? .null }
    }

    func values(_ names: [String?]) -> [Value] { names.map { $0.map(Value.varchar) ?? .null } }

    static let awsActions: [(String, String)] = [
        ("BatchGetImage", "pull"), ("GetDownloadUrlForLayer", "pull_layer"), ("BatchCheckLayerAvailability", "pull_layer"),
        ("PutImage", "push"), ("InitiateLayerUpload", "push_layer"), ("UploadLayerPart", "push_layer"),
        ("CompleteLayerUpload", "push_layer"), ("BatchDeleteImage", "delete"), ("DeleteRepository", "delete"),
        ("PolicyExecutionEvent", "expire"), ("CreateRepository", "create"), ("DescribeRepositories", "list"),
        ("DescribeImages", "list"), ("ListImages", "list"), ("StartImageScan", "scan"),
        ("DescribeImageScanFindings", "scan"), ("SetRepositoryPolicy", "config"), ("DeleteRepositoryPolicy", "config"),
        ("PutLifecyclePolicy", "config"), ("DeleteLifecyclePolicy", "config"), ("PutImageTagMutability", "config"),
        ("PutImageScanningConfiguration", "config"), ("GetAuthorizationToken", "auth"), ("TagResource", "other"),
    ]

    func testAWSActions() throws {
        let ecr = Self.awsActions.map { ["eventSource": "ecr.amazonaws.com", "eventName": $0.0, "eventTime": "2024-01-01T00:00:00Z"] }
        XCTAssertEqual(try column("action", of: ecr), values(Self.awsActions.map(\.1)))
        // The table applies to ECR only.
        let other = Self.awsActions.map { ["eventSource": "kms.amazonaws.com", "eventName": $0.0, "eventVersion": "1.08"] }
        XCTAssertEqual(try column("action", of: other), values(Self.awsActions.map { _ in "other" }))
    }

    func testAWSActorTypesCredentialsAndNetworks() throws {
        let identities: [([String: Any], String?)] = [
            (["type": "Root", "arn": "arn:aws:iam::1:root"], "root"), (["type": "IAMUser"], "user"),
            (["type": "IdentityCenterUser"], "user"), (["type": "AssumedRole"], "role"), (["type": "FederatedUser"], "role"),
            (["type": "AWSService", "invokedBy": "ecr.amazonaws.com"], "service"), (["invokedBy": "AWS Internal"], "service"),
            (["type": "SAMLUser"], "other"), (["accountId": "1"], nil),
        ]
        let records = identities.map { ["eventVersion": "1.08", "eventSource": "ecr.amazonaws.com", "userIdentity": $0.0] as [String: Any] }
        XCTAssertEqual(try column("actor_type", of: records), values(identities.map(\.1)))

        let keys: [(String?, String?)] = [("ASIAEXAMPLE", "token"), ("AKIAEXAMPLE", "key"), ("ABCDEXAMPLE", nil), (nil, nil)]
        let keyRecords = keys.map { key -> [String: Any] in
            var identity: [String: Any] = ["type": "IAMUser"]
            if let k = key.0 { identity["accessKeyId"] = k }
            return ["eventVersion": "1.08", "userIdentity": identity]
        }
        XCTAssertEqual(try column("credential", of: keyRecords), values(keys.map(\.1)))

        let networks: [([String: Any], String?)] = [
            (["sourceIPAddress": "203.0.113.12"], "internet"), (["sourceIPAddress": "2001:db8::5"], "internet"),
            (["sourceIPAddress": "10.0.0.5", "vpcEndpointId": "vpce-1"], "vpc"),
            (["sourceIPAddress": "AWS Internal"], "internal"), (["sourceIPAddress": "ecr.amazonaws.com"], "internal"),
            (["sourceIPAddress": "999.1.1.1"], "internal"), ([:], nil),
        ]
        let netRecords = networks.map { $0.0.merging(["eventVersion": "1.08"]) { a, _ in a } }
        XCTAssertEqual(try column("network", of: netRecords), values(networks.map(\.1)))
    }

    func testAlibabaMappings() throws {
        let actions: [(String, String)] = [("GetImageManifest", "pull"), ("GetBlob", "pull_layer"),
                                           ("PutImageManifest", "push"), ("DeleteTag", "delete"), ("DeleteRepo", "other")]
        let types: [(String, String?)] = [("root-account", "root"), ("ram-user", "user"), ("assumed-role", "role"),
                                          ("system", "service"), ("federated", "other"), ("", nil)]
        let credentials: [(String, String?)] = [("Password", "password"), ("TemporaryToken", "token"), ("AccessKey", nil)]
        let networks: [(String, String?)] = [("Internet", "internet"), ("VPC", "vpc"), ("vpc", "vpc"), ("Public", "internet"),
                                             ("PRIVATE", "vpc"), ("Classic", nil)]
        func audit(_ fields: [String: String]) -> [String: Any] { fields.merging(["instance_id": "cri-1"]) { a, _ in a } }
        XCTAssertEqual(try column("action", of: actions.map { audit(["action": $0.0]) }), values(actions.map(\.1)))
        XCTAssertEqual(try column("actor_type", of: types.map { audit(["user_identity_user_type": $0.0]) }), values(types.map(\.1)))
        XCTAssertEqual(try column("credential", of: credentials.map { audit(["access_credential_type": $0.0]) }),
                       values(credentials.map(\.1)))
        XCTAssertEqual(try column("network", of: networks.map { audit(["network_type": $0.0]) }), values(networks.map(\.1)))
        let categories: [(String, String)] = [("Pull", "pull"), ("Push", "push"), ("Delete", "delete"), ("Scan", "other")]
        let lines = categories.map { ["event_category": $0.0, "event_time": "2024-04-12 16:58:30", "client_public_ip": "1.2.3.4"] }
        XCTAssertEqual(try column("action", of: lines), values(categories.map(\.1)))
        XCTAssertEqual(try column("format", of: lines), values(categories.map { _ in "acr_event_line" }))
    }

    static let ibmActions: [(String, String)] = [
        ("image.pull", "pull"), ("image.push", "push"), ("image.delete", "delete"), ("image.bulkdelete", "delete"),
        ("namespace.delete", "delete"), ("signature.delete", "delete"), ("image.tag", "tag"), ("image.untag", "untag"),
        ("namespace.create", "create"), ("image.list", "list"), ("namespace.list", "list"), ("trash.list", "list"),
        ("retention.list", "list"), ("image.inspect", "inspect"), ("manifest.inspect", "inspect"),
        ("signature.read", "inspect"), ("trash.restore", "restore"), ("signature.write", "sign"),
        ("account-vulnerability-report.list", "scan"), ("account-vulnerability-status.list", "scan"),
        ("image-vulnerability-report.read", "scan"), ("image-vulnerability-status.read", "scan"),
        ("auth.get", "config"), ("auth.set", "config"), ("plan.get", "config"), ("plan.set", "config"),
        ("quota.get", "config"), ("quota.set", "config"), ("retention.set", "config"), ("retention.analyze", "config"),
        ("settings.get", "config"), ("settings.set", "config"), ("exemption.create", "config"),
        ("exemption.delete", "config"), ("image.export", "other"),
    ]

    func testIBMMappings() throws {
        let records = Self.ibmActions.map { ["action": "container-registry." + $0.0, "logSourceCRN": "crn:v1:bluemix:public:container-registry:eu-de:a/1::"] }
        XCTAssertEqual(try column("action", of: records), values(Self.ibmActions.map(\.1)))
        let types: [(String, String)] = [("service/security/account/user", "user"), ("service/security/account/serviceid", "service"),
                                         ("service/security/clientid", "service"), ("service/security/account/trustedprofile", "other")]
        XCTAssertEqual(try column("actor_type", of: types.map { ["initiator": ["typeURI": $0.0], "logSourceCRN": "crn:x"] }),
                       values(types.map(\.1)))
        let credentials: [(String, String?)] = [("apikey", "key"), ("token", "token"), ("user", "token"), ("cert", nil)]
        XCTAssertEqual(try column("credential", of: credentials.map { ["initiator": ["credential": ["type": $0.0]], "logSourceCRN": "crn:x"] }),
                       values(credentials.map(\.1)))
        let addresses: [(String, String)] = [
            ("10.0.0.1", "vpc"), ("172.16.0.1", "vpc"), ("172.31.255.255", "vpc"), ("172.32.0.1", "internet"),
            ("192.168.1.1", "vpc"), ("127.0.0.1", "vpc"), ("166.8.0.1", "vpc"), ("166.11.255.1", "vpc"),
            ("166.12.0.1", "internet"), ("161.26.0.10", "vpc"), ("161.27.0.10", "internet"), ("fd12:3456::1", "vpc"),
            ("fc00::1", "vpc"), ("::1", "vpc"), ("fe80::1", "internet"), ("8.8.8.8", "internet"), ("registry.example", "internet"),
        ]
        XCTAssertEqual(try column("network", of: addresses.map { ["initiator": ["host": ["address": $0.0]], "logSourceCRN": "crn:x"] }),
                       values(addresses.map(\.1)))
    }
}

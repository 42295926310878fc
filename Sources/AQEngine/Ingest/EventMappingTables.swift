// The contract's mapping tables as data: each provider's operation names to `action`, identity
// types to `actor_type`, credential types to `credential`. docs/formats.md shows the same tables.

enum EventMappingTables {
    static let awsActions = ByteTable(actions([
        (.pull, ["BatchGetImage"]),
        (.pullLayer, ["GetDownloadUrlForLayer", "BatchCheckLayerAvailability"]),
        (.push, ["PutImage"]),
        (.pushLayer, ["InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"]),
        (.delete, ["BatchDeleteImage", "DeleteRepository"]),
        (.expire, ["PolicyExecutionEvent"]),
        (.create, ["CreateRepository"]),
        (.list, ["DescribeRepositories", "DescribeImages", "ListImages"]),
        (.scan, ["StartImageScan", "DescribeImageScanFindings"]),
        (.config, ["SetRepositoryPolicy", "DeleteRepositoryPolicy", "PutLifecyclePolicy", "DeleteLifecyclePolicy",
                   "PutImageTagMutability", "PutImageScanningConfiguration"]),
        (.auth, ["GetAuthorizationToken"]),
    ]))

    /// Alibaba audit `action` and event line `Event category`.
    static let alibabaActions = ByteTable(actions([
        (.pull, ["GetImageManifest", "Pull"]),
        (.pullLayer, ["GetBlob"]),
        (.push, ["PutImageManifest", "Push"]),
        (.delete, ["DeleteTag", "Delete"]),
    ]))

    /// IBM `action` after the `container-registry.` prefix.
    static let ibmActions = ByteTable(actions([
        (.pull, ["image.pull"]),
        (.push, ["image.push"]),
        (.delete, ["image.delete", "image.bulkdelete", "namespace.delete", "signature.delete"]),
        (.tag, ["image.tag"]),
        (.untag, ["image.untag"]),
        (.create, ["namespace.create"]),
        (.list, ["image.list", "namespace.list", "trash.list", "retention.list"]),
        (.inspect, ["image.inspect", "manifest.inspect", "signature.read"]),
        (.restore, ["trash.restore"]),
        (.sign, ["signature.write"]),
        (.scan, ["account-vulnerability-report.list", "account-vulnerability-status.list",
                 "image-vulnerability-report.read", "image-vulnerability-status.read"]),
        (.config, ["auth.get", "auth.set", "plan.get", "plan.set", "quota.get", "quota.set", "retention.set",
                   "retention.analyze", "settings.get", "settings.set", "exemption.create", "exemption.delete"]),
    ]))

    static let awsActorTypes = ByteTable(actorTypes([
        (.root, ["Root"]),
        (.user, ["IAMUser", "IdentityCenterUser"]),
        (.role, ["AssumedRole", "FederatedUser"]),
        (.service, ["AWSService"]),
    ]))

    static let alibabaActorTypes = ByteTable(actorTypes([
        (.root, ["root-account"]),
        (.user, ["ram-user"]),
        (.role, ["assumed-role"]),
        (.service, ["system"]),
    ]))

    static let ibmActorTypes = ByteTable(actorTypes([
        (.user, ["service/security/account/user"]),
        (.service, ["service/security/account/serviceid", "service/security/clientid"]),
    ]))

    static let ibmCredentials = ByteTable([
        ("apikey", CredentialKind.key.rawValue),
        ("token", CredentialKind.token.rawValue),
        ("user", CredentialKind.token.rawValue),
    ])

    private static func actions(_ table: [(EventAction, [String])]) -> [(String, UInt8)] {
        table.flatMap { action, names in names.map { ($0, action.rawValue) } }
    }

    private static func actorTypes(_ table: [(ActorType, [String])]) -> [(String, UInt8)] {
        table.flatMap { type, names in names.map { ($0, type.rawValue) } }
    }

    /// `action` of an operation by a table; `other` when the table does not have it.
    @inline(__always)
    static func action(_ table: ByteTable, _ operation: Bytes?) -> EventAction {
        table.get(operation).flatMap(EventAction.init(rawValue:)) ?? .other
    }

    /// `actor_type` by a table: nil when there is no type, `other` for an unknown one.
    @inline(__always)
    static func actorType(_ table: ByteTable, _ type: Bytes?) -> ActorType? {
        guard let type else { return nil }
        return table.get(type).flatMap(ActorType.init(rawValue:)) ?? .other
    }

    /// Alibaba `network_type` / `Client network type` (case-insensitive, spaces ignored).
    static func alibabaNetwork(_ v: Bytes?) -> NetworkKind? {
        if ByteText.equalsFolded(v, "internet") || ByteText.equalsFolded(v, "public") { return .internet }
        if ByteText.equalsFolded(v, "vpc") || ByteText.equalsFolded(v, "private") { return .vpc }
        return nil
    }
}

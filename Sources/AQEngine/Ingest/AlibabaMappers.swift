// Alibaba Cloud Container Registry → `events`: the instance audit log (SLS JSON lines or a
// console CSV export) and the image analysis "event line" (CSV or JSON lines).

struct ACRAuditMapper: EventMapper {
    static let format = AuditLogFormat.acrAudit

    enum Slot: Int, CaseIterable {
        case time, action, instanceID, host, namespaceRepo, namespace, repo, tag, blobDigest, userName
        case principalID, userType, accountID, credentialType, remoteAddr, networkType, userAgent, status
        case requestID, roleName
    }

    // Every field is a top-level key of the JSON object and a header name of the CSV export.
    static let trie = FieldTrie(Slot.allCases.map { ([$0.key], $0.rawValue) })

    private let providerCode, formatCode, serviceCode: UInt32

    init(builder: EventSegmentBuilder, scanner: JSONScanner, arena: ScratchArena) {
        providerCode = builder.code(.provider, "alibaba")
        formatCode = builder.code(.format, "acr_audit")
        serviceCode = builder.code(.service, "acr")
    }

    mutating func map(_ f: RecordFields, raw: Bytes, into b: EventSegmentBuilder) -> String? {
        @inline(__always) func text(_ s: Slot) -> Bytes? { f.text(s.rawValue) }
        b.beginRow()
        if let reason = EventMapping.time(f, Slot.time.rawValue, b) { return reason }
        b.set(.provider, code: providerCode)
        b.set(.format, code: formatCode)
        b.set(.service, code: serviceCode)
        let operation = text(.action)
        b.set(.operation, f, Slot.action.rawValue)
        b.setAction(EventMappingTables.action(EventMappingTables.alibabaActions, operation))
        b.set(.registry, f, Slot.instanceID.rawValue)
        b.set(.region, text(.host).flatMap { ACRAuditMapper.region(ofHost: $0, arena: f.arena) })
        var repository = text(.namespaceRepo)
        if repository == nil, let namespace = text(.namespace), let repo = text(.repo) {
            repository = f.arena.join(namespace, 0x2F, repo)
        }
        b.set(.repository, repository)
        b.set(.namespace, ByteText.namespace(ofRepository: repository))
        b.set(.tag, f, Slot.tag.rawValue)
        b.set(.digest, f, Slot.blobDigest.rawValue)

        let userType = text(.userType)
        let principal = text(.principalID)
        let isRole = ByteText.equals(userType, "assumed-role")
        if f.hasText(Slot.userName.rawValue) {
            b.set(.actor, f, Slot.userName.rawValue)
        } else if isRole {
            var role = text(.roleName)
            if role == nil, let principal {
                let colon = ByteText.firstIndex(principal, 0x3A) ?? principal.count
                role = colon > 0 ? ByteText.slice(principal, 0, colon) : nil
            }
            b.set(.actor, role)
        } else {
            b.set(.actor, principal)
        }
        if isRole, let principal, let colon = ByteText.firstIndex(principal, 0x3A) {
            b.set(.session, ByteText.suffix(principal, from: colon + 1))
        }
        b.setActorType(EventMappingTables.actorType(EventMappingTables.alibabaActorTypes, userType))
        b.set(.account, f, Slot.accountID.rawValue)
        let credential = text(.credentialType)
        if ByteText.equalsFolded(credential, "password") {
            b.setCredential(.password)
        } else if ByteText.equalsFolded(credential, "temporarytoken") {
            b.setCredential(.token)
        }
        b.set(.sourceIP, f, Slot.remoteAddr.rawValue)
        b.setNetwork(EventMappingTables.alibabaNetwork(text(.networkType)))
        b.set(.userAgent, f, Slot.userAgent.rawValue)
        let status = ByteText.integer(text(.status))
        b.setStatus(status)
        b.setSuccess(status.map { $0 < 400 })
        b.set(.requestID, text(.requestID))
        b.set(.raw, raw)
        b.commit()
        return nil
    }

    /// The region label of an ACR endpoint: `demo.cn-hangzhou.cr.aliyuncs.com` → `cn-hangzhou`
    /// (also `-vpc` endpoints and hosts without `.cr`); the label must contain a `-`.
    static func region(ofHost host: Bytes, arena: ScratchArena) -> Bytes? {
        var h = host
        if h.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
            let p = arena.allocate(h.count)
            for (i, c) in h.enumerated() { p[i] = (c >= 0x41 && c <= 0x5A) ? c + 0x20 : c }
            h = Bytes(start: p, count: h.count)
        }
        let suffix: StaticString = ".aliyuncs.com"
        let n = suffix.utf8CodeUnitCount
        guard h.count > n, ByteText.equals(ByteText.slice(h, h.count - n, h.count), suffix) else { return nil }
        var rest = ByteText.slice(h, 0, h.count - n)
        var dot = ByteText.lastIndex(rest, 0x2E)
        if let d = dot, ByteText.equals(ByteText.slice(rest, d + 1, rest.count), "cr") {
            rest = ByteText.slice(rest, 0, d)
            dot = ByteText.lastIndex(rest, 0x2E)
        }
        guard let d = dot else { return nil }
        let label = ByteText.slice(rest, d + 1, rest.count)
        guard label.count > 0, ByteText.contains(label, 0x2D),
              label.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else { return nil }
        return label
    }
}

extension ACRAuditMapper.Slot {
    var key: String {
        switch self {
        case .instanceID: return "instance_id"
        case .host: return "http_request_host"
        case .namespaceRepo: return "namespace_repo"
        case .blobDigest: return "blob_digest"
        case .userName: return "user_name"
        case .principalID: return "user_identity_principal_id"
        case .userType: return "user_identity_user_type"
        case .accountID: return "user_identity_account_id"
        case .credentialType: return "access_credential_type"
        case .remoteAddr: return "http_request_remoteaddr"
        case .networkType: return "network_type"
        case .userAgent: return "http_request_useragent"
        case .status: return "http_response_status"
        case .requestID: return "http_request_id"
        case .roleName: return "user_identity_role_name"
        default: return String(describing: self)
        }
    }
}

struct ACREventLineMapper: EventMapper {
    static let format = AuditLogFormat.acrEventLine

    enum Slot: Int { case namespace, repository, tag, category, networkType, ip, time }

    // CSV header names and JSON-lines keys of the same fields.
    static let trie = FieldTrie([
        (["Namespace"], Slot.namespace), (["namespace"], .namespace),
        (["Repository"], .repository), (["repository"], .repository),
        (["Tag"], .tag), (["tag"], .tag),
        (["Event category"], .category), (["event_category"], .category),
        (["Client network type"], .networkType), (["client_network_type"], .networkType),
        (["Client public IP address"], .ip), (["client_public_ip"], .ip), (["client_public_ip_address"], .ip),
        (["Event time"], .time), (["event_time"], .time),
    ].map { ($0.0, $0.1.rawValue) })

    private let providerCode, formatCode, serviceCode: UInt32

    init(builder: EventSegmentBuilder, scanner: JSONScanner, arena: ScratchArena) {
        providerCode = builder.code(.provider, "alibaba")
        formatCode = builder.code(.format, "acr_event_line")
        serviceCode = builder.code(.service, "acr")
    }

    mutating func map(_ f: RecordFields, raw: Bytes, into b: EventSegmentBuilder) -> String? {
        b.beginRow()
        if let reason = EventMapping.time(f, Slot.time.rawValue, b) { return reason }
        b.set(.provider, code: providerCode)
        b.set(.format, code: formatCode)
        b.set(.service, code: serviceCode)
        let category = f.text(Slot.category.rawValue)
        b.set(.operation, f, Slot.category.rawValue)
        b.setAction(EventMappingTables.action(EventMappingTables.alibabaActions, category))
        var repository = f.text(Slot.repository.rawValue)
        if let namespace = f.text(Slot.namespace.rawValue), let repo = repository {
            // A repository already written with its namespace is not joined twice.
            let already = repo.count > namespace.count && ByteText.hasPrefix(repo, namespace) && repo[namespace.count] == 0x2F
            if !already { repository = f.arena.join(namespace, 0x2F, repo) }
        }
        b.set(.repository, repository)
        b.set(.namespace, ByteText.namespace(ofRepository: repository))
        b.set(.tag, f, Slot.tag.rawValue)
        b.set(.sourceIP, f, Slot.ip.rawValue)
        b.setNetwork(EventMappingTables.alibabaNetwork(f.text(Slot.networkType.rawValue)))
        b.set(.raw, raw)
        b.commit()
        return nil
    }
}

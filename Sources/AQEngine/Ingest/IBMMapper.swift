// IBM Cloud Activity Tracker events of Container Registry (CADF JSON) → `events`. The
// registry, repository, tag and digest come out of `target.name` (`us.icr.io/ns/image:tag`
// or `…@sha256:…`), the region and account out of `logSourceCRN`.

struct IBMMapper: EventMapper {
    static let format = AuditLogFormat.ibmAT

    enum Slot: Int {
        case eventTime, action, targetName, targetID, logSourceCRN, initiatorName, initiatorID, typeURI
        case credentialType, hostAddress, hostAgent, reasonCode, reasonType, outcome, correlationID, id
    }

    static let trie = FieldTrie([
        (["eventTime"], Slot.eventTime), (["action"], .action), (["logSourceCRN"], .logSourceCRN),
        (["outcome"], .outcome), (["correlationId"], .correlationID), (["id"], .id),
        (["target", "name"], .targetName), (["target", "id"], .targetID),
        (["initiator", "name"], .initiatorName), (["initiator", "id"], .initiatorID),
        (["initiator", "typeURI"], .typeURI), (["initiator", "credential", "type"], .credentialType),
        (["initiator", "host", "address"], .hostAddress), (["initiator", "host", "agent"], .hostAgent),
        (["reason", "reasonCode"], .reasonCode), (["reason", "reasonType"], .reasonType),
    ].map { ($0.0, $0.1.rawValue) })

    private let providerCode, formatCode, serviceCode: UInt32

    init(builder: EventSegmentBuilder, scanner: JSONScanner, arena: ScratchArena) {
        providerCode = builder.code(.provider, "ibm")
        formatCode = builder.code(.format, "ibm_at")
        serviceCode = builder.code(.service, "container-registry")
    }

    mutating func map(_ f: RecordFields, raw: Bytes, into b: EventSegmentBuilder) -> String? {
        @inline(__always) func text(_ s: Slot) -> Bytes? { f.text(s.rawValue) }
        b.beginRow()
        if let reason = EventMapping.time(f, Slot.eventTime.rawValue, b) { return reason }
        b.set(.provider, code: providerCode)
        b.set(.format, code: formatCode)
        b.set(.service, code: serviceCode)
        let operation = text(.action)
        b.set(.operation, f, Slot.action.rawValue)
        let prefix: StaticString = "container-registry."
        if let operation, ByteText.hasPrefix(operation, prefix) {
            let suffix = ByteText.slice(operation, prefix.utf8CodeUnitCount, operation.count)
            b.setAction(EventMappingTables.action(EventMappingTables.ibmActions, suffix))
        } else {
            b.setAction(.other)
        }
        let name = text(.targetName)
        if let name { mapTarget(name, b) }
        b.set(.digest, IBMMapper.digest(targetID: text(.targetID), name: name))
        let crn = text(.logSourceCRN)
        if let crn {
            b.set(.region, IBMMapper.field(crn, 5))
            if let scope = IBMMapper.field(crn, 6), ByteText.hasPrefix(scope, "a/") {
                b.set(.account, ByteText.suffix(scope, from: 2))
            }
        }
        b.set(.actor, f, f.first(Slot.initiatorName.rawValue, Slot.initiatorID.rawValue))
        b.setActorType(EventMappingTables.actorType(EventMappingTables.ibmActorTypes, text(.typeURI)))
        b.setCredential(EventMappingTables.ibmCredentials.get(text(.credentialType)).flatMap(CredentialKind.init(rawValue:)))
        let address = text(.hostAddress)
        b.set(.sourceIP, f, Slot.hostAddress.rawValue)
        if let address { b.setNetwork(IPAddress.parse(address)?.isPrivateOrIBMService == true ? .vpc : .internet) }
        b.set(.userAgent, f, Slot.hostAgent.rawValue)
        b.setStatus(ByteText.integer(text(.reasonCode)))
        if let outcome = text(.outcome) {
            let success = ByteText.equals(outcome, "success")
            b.setSuccess(success)
            if !success { b.set(.error, f, Slot.reasonType.rawValue) }
        }
        b.set(.requestID, text(.correlationID))
        b.set(.eventID, text(.id))
        b.set(.raw, raw)
        b.commit()
        return nil
    }

    /// registry, namespace, repository and tag from `target.name`. Several components: the
    /// first is a registry host when it has a `.` or `:` or is `localhost` (docker's rule).
    /// One component: a registry host when it has a `.`, else a namespace.
    private func mapTarget(_ name: Bytes, _ b: EventSegmentBuilder) {
        let nm = ByteText.slice(name, 0, ByteText.firstIndex(name, 0x40) ?? name.count)
        let slash = ByteText.firstIndex(nm, 0x2F)
        let first = ByteText.slice(nm, 0, slash ?? nm.count)
        let lone = slash == nil
        let hasHost = lone
            ? ByteText.contains(first, 0x2E)
            : ByteText.contains(first, 0x2E) || ByteText.contains(first, 0x3A) || ByteText.equals(first, "localhost")
        if hasHost { b.set(.registry, first) }
        if lone {
            if !hasHost { b.set(.namespace, nm) }
            return
        }
        let path = hasHost ? ByteText.slice(nm, first.count + 1, nm.count) : nm
        // The tag follows a ':' in the last path segment.
        let segment = (ByteText.lastIndex(path, 0x2F) ?? -1) + 1
        let last = ByteText.slice(path, segment, path.count)
        var repository = path
        if let colon = ByteText.firstIndex(last, 0x3A) {
            repository = ByteText.slice(path, 0, segment + colon)
            let tagStart = ByteText.lastIndex(last, 0x3A)! + 1
            b.set(.tag, ByteText.suffix(last, from: tagStart))
        }
        b.set(.repository, repository)
        b.set(.namespace, ByteText.namespace(ofRepository: repository))
    }

    /// The `sha256:…` after an `@` in `target.id`, else the part after `@` in `target.name`.
    static func digest(targetID: Bytes?, name: Bytes?) -> Bytes? {
        if let id = targetID {
            let marker: StaticString = "@sha256:"
            let n = marker.utf8CodeUnitCount
            var i = 0
            while let at = ByteText.firstIndex(ByteText.slice(id, i, id.count), 0x40) {
                let start = i + at
                if ByteText.hasPrefix(ByteText.slice(id, start, id.count), marker) {
                    var end = start + n
                    while end < id.count, isHex(id[end]) { end += 1 }
                    if end > start + n { return ByteText.slice(id, start + 1, end) }
                }
                i = start + 1
            }
        }
        if let name, let at = ByteText.firstIndex(name, 0x40) {
            let rest = ByteText.slice(name, at + 1, name.count)
            let end = ByteText.firstIndex(rest, 0x40) ?? rest.count
            return end > 0 ? ByteText.slice(rest, 0, end) : nil
        }
        return nil
    }

    @inline(__always)
    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    /// The `index`th (0-based) `:`-separated field of a CRN, nil when missing or empty.
    static func field(_ crn: Bytes, _ index: Int) -> Bytes? {
        var start = 0
        var k = 0
        while k < index {
            guard let colon = ByteText.firstIndex(ByteText.slice(crn, start, crn.count), 0x3A) else { return nil }
            start += colon + 1
            k += 1
        }
        let end = ByteText.firstIndex(ByteText.slice(crn, start, crn.count), 0x3A).map { start + $0 } ?? crn.count
        return end > start ? ByteText.slice(crn, start, end) : nil
    }
}

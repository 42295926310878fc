// AWS CloudTrail records (ECR and every other service) → `events`, as the contract maps them:
// one row per image for BatchGetImage, BatchDeleteImage and PolicyExecutionEvent.

struct CloudTrailMapper: EventMapper {
    static let format = AuditLogFormat.cloudtrail

    enum Slot: Int {
        case eventTime, eventSource, eventName, awsRegion, registryId, recipientAccountId
        case repositoryName, serviceRepositoryName, arn, invokedBy, principalId, identityType
        case accountId, accessKeyId, issuerArn, sourceIP, vpcEndpointId, userAgent, errorCode
        case requestID, eventID, imageTag, imageDigest, imageIdTag, imageIdDigest, responseDigest
        case layerDigest, imageIds, imageActions
    }

    static let trie = FieldTrie([
        (["eventTime"], Slot.eventTime), (["eventSource"], .eventSource), (["eventName"], .eventName),
        (["awsRegion"], .awsRegion), (["recipientAccountId"], .recipientAccountId),
        (["sourceIPAddress"], .sourceIP), (["vpcEndpointId"], .vpcEndpointId), (["userAgent"], .userAgent),
        (["errorCode"], .errorCode), (["requestID"], .requestID), (["eventID"], .eventID),
        (["requestParameters", "registryId"], .registryId),
        (["requestParameters", "repositoryName"], .repositoryName),
        (["requestParameters", "imageTag"], .imageTag),
        (["requestParameters", "imageDigest"], .imageDigest),
        (["requestParameters", "imageId", "imageTag"], .imageIdTag),
        (["requestParameters", "imageId", "imageDigest"], .imageIdDigest),
        (["requestParameters", "layerDigest"], .layerDigest),
        (["requestParameters", "imageIds"], .imageIds),
        (["serviceEventDetails", "repositoryName"], .serviceRepositoryName),
        (["serviceEventDetails", "lifecycleEventImageActions"], .imageActions),
        (["responseElements", "image", "imageId", "imageDigest"], .responseDigest),
        (["userIdentity", "arn"], .arn), (["userIdentity", "invokedBy"], .invokedBy),
        (["userIdentity", "principalId"], .principalId), (["userIdentity", "type"], .identityType),
        (["userIdentity", "accountId"], .accountId), (["userIdentity", "accessKeyId"], .accessKeyId),
        (["userIdentity", "sessionContext", "sessionIssuer", "arn"], .issuerArn),
    ].map { ($0.0, $0.1.rawValue) })

    /// Fields of one entry of `imageIds` or `lifecycleEventImageActions`.
    private static let imageTrie = FieldTrie([
        (["imageTag"], 0), (["imageDigest"], 1),
        (["lifecycleEventImage", "digest"], 2), (["lifecycleEventImage", "tagList"], 3),
    ])

    private let scanner: JSONScanner
    private let image: RecordFields
    private let providerCode, formatCode: UInt32
    /// Tag and digest of each image the current record names.
    private var images: [(tag: Bytes?, digest: Bytes?)] = []

    init(builder: EventSegmentBuilder, scanner: JSONScanner, arena: ScratchArena) {
        self.scanner = scanner
        image = RecordFields(slotCount: CloudTrailMapper.imageTrie.slotCount, arena: arena)
        providerCode = builder.code(.provider, "aws")
        formatCode = builder.code(.format, "cloudtrail")
    }

    mutating func map(_ f: RecordFields, raw: Bytes, into b: EventSegmentBuilder) -> String? {
        b.beginRow()
        if let reason = EventMapping.time(f, Slot.eventTime.rawValue, b) { return reason }
        b.set(.provider, code: providerCode)
        b.set(.format, code: formatCode)
        let service = f.text(Slot.eventSource.rawValue)
        let operation = f.text(Slot.eventName.rawValue)
        b.set(.service, f, Slot.eventSource.rawValue)
        b.set(.operation, f, Slot.eventName.rawValue)
        let isECR = ByteText.equals(service, "ecr.amazonaws.com")
        b.setAction(isECR ? EventMappingTables.action(EventMappingTables.awsActions, operation) : .other)
        b.set(.registry, f, f.first(Slot.registryId.rawValue, Slot.recipientAccountId.rawValue))
        b.set(.region, f, Slot.awsRegion.rawValue)
        let repositorySlot = f.first(Slot.repositoryName.rawValue, Slot.serviceRepositoryName.rawValue)
        let repository = f.text(repositorySlot)
        b.set(.repository, f, repositorySlot)
        b.set(.namespace, ByteText.namespace(ofRepository: repository))
        mapIdentity(f, b)
        let sourceIP = f.text(Slot.sourceIP.rawValue)
        b.set(.sourceIP, f, Slot.sourceIP.rawValue)
        if f.text(Slot.vpcEndpointId.rawValue) != nil {
            b.setNetwork(.vpc)
        } else if let sourceIP {
            b.setNetwork(IPAddress.parse(sourceIP) != nil ? .internet : .internal)
        }
        b.set(.userAgent, f, Slot.userAgent.rawValue)
        b.setSuccess(!f.hasText(Slot.errorCode.rawValue))
        b.set(.error, f, Slot.errorCode.rawValue)
        b.set(.requestID, f.text(Slot.requestID.rawValue))
        b.set(.eventID, f.text(Slot.eventID.rawValue))
        b.set(.raw, raw)

        if isECR, ByteText.equals(operation, "BatchGetImage") || ByteText.equals(operation, "BatchDeleteImage") {
            guard readImages(f, Slot.imageIds.rawValue, tagSlot: 0, digestSlot: 1) else { return "broken JSON" }
            return commitImages(b)
        }
        if isECR, ByteText.equals(operation, "PolicyExecutionEvent") {
            guard readImages(f, Slot.imageActions.rawValue, tagSlot: 3, digestSlot: 2) else { return "broken JSON" }
            return commitImages(b)
        }
        if isECR, ByteText.equals(operation, "PutImage") {
            b.set(.tag, f, Slot.imageTag.rawValue)
            b.set(.digest, f, Slot.responseDigest.rawValue)
        } else {
            b.set(.tag, f, f.first(Slot.imageTag.rawValue, Slot.imageIdTag.rawValue))
            b.set(.digest, f, f.first(Slot.imageDigest.rawValue, f.first(Slot.imageIdDigest.rawValue, Slot.layerDigest.rawValue)))
        }
        b.commit()
        return nil
    }

    /// actor, session, actor_type, account and credential from `userIdentity`.
    private func mapIdentity(_ f: RecordFields, _ b: EventSegmentBuilder) {
        let type = f.text(Slot.identityType.rawValue)
        let arn = f.text(Slot.arn.rawValue)
        let invokedBy = f.text(Slot.invokedBy.rawValue)
        if ByteText.equals(type, "AssumedRole") {
            b.set(.actor, f, f.first(Slot.issuerArn.rawValue, Slot.arn.rawValue))
            if let arn, let slash = ByteText.lastIndex(arn, 0x2F) {
                b.set(.session, ByteText.suffix(arn, from: slash + 1))
            }
        } else {
            b.set(.actor, f, f.first(Slot.arn.rawValue, f.first(Slot.invokedBy.rawValue, Slot.principalId.rawValue)))
        }
        if type == nil {
            b.setActorType(invokedBy != nil ? .service : nil)
        } else {
            b.setActorType(EventMappingTables.actorType(EventMappingTables.awsActorTypes, type))
        }
        b.set(.account, f, Slot.accountId.rawValue)
        let key = f.text(Slot.accessKeyId.rawValue)
        if ByteText.hasPrefix(key, "ASIA") {
            b.setCredential(.token)
        } else if ByteText.hasPrefix(key, "AKIA") {
            b.setCredential(.key)
        }
    }

    /// Reads the tag and digest of each entry of the array in `slot` into `images`. An entry
    /// that is not an object names no tag or digest. False when an entry is broken JSON.
    private mutating func readImages(_ f: RecordFields, _ slot: Int, tagSlot: Int, digestSlot: Int) -> Bool {
        images.removeAll(keepingCapacity: true)
        guard f.kind(slot) == .array else { return true }
        image.base = f.base
        let array = f.span(slot)
        let start = array.baseAddress! - UnsafeRawPointer(f.base)
        let limit = start + array.count
        let scanner = self.scanner
        let image = self.image
        var found: [(tag: Bytes?, digest: Bytes?)] = []
        swap(&found, &images)
        let end = scanner.forEachElement(start, limit) { i in
            guard scanner.base[i] == 0x7B else {
                found.append((nil, nil))
                return scanner.skipValue(i, limit)
            }
            image.slots.clear()
            let e = scanner.walkObject(i, limit, trie: CloudTrailMapper.imageTrie, node: 0, slots: image.slots)
            if e < 0 { return -1 }
            var tag = image.text(tagSlot)
            if tagSlot == 3 {
                tag = image.kind(3) == .array
                    ? EventMapping.firstString(of: image.span(3), scanner: scanner, fields: image) : nil
            }
            found.append((tag, image.text(digestSlot)))
            return e
        }
        swap(&found, &images)
        return end >= 0
    }

    /// One row per image, or one row naming none when the record names no image.
    private func commitImages(_ b: EventSegmentBuilder) -> String? {
        if images.isEmpty {
            b.commit()
            return nil
        }
        for entry in images {
            b.set(.tag, entry.tag)
            b.set(.digest, entry.digest)
            b.commit()
        }
        return nil
    }
}

// Which format a file is, from its content: the keys of its first JSON record, or its CSV
// header. The file's name plays no part.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a file's records are laid out.
enum RecordShape {
    case json
    case csv
}

enum FormatDetector {
    /// Where the text starts: after a UTF-8 byte order mark and white space.
    static func textStart(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var i = 0
        if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { i = 3 }
        while i < count, JSONScanner.isSpace(base[i]) { i += 1 }
        return i
    }

    /// JSON when the text starts with `{` or `[`, else CSV.
    static func shape(_ base: UnsafePointer<UInt8>, _ count: Int, at start: Int) -> RecordShape {
        start < count && (base[start] == 0x7B || base[start] == 0x5B) ? .json : .csv
    }

    // Keys that only one format's records have; the format with most of them present wins.
    private static let markers: [(AuditLogFormat, [String])] = [
        (.cloudtrail, ["eventSource", "eventName", "eventVersion", "userIdentity", "awsRegion", "recipientAccountId"]),
        (.ibmAT, ["logSourceCRN", "initiator", "correlationId", "observer", "target"]),
        (.acrEventLine, ["event_category", "client_public_ip", "event_time", "client_network_type"]),
        (.acrAudit, ["instance_id", "http_request_host", "namespace_repo", "access_credential_type",
                     "http_response_status", "user_identity_principal_id", "__time__", "http_request_id"]),
    ]

    private static let markerTrie = FieldTrie(markers.enumerated().flatMap { f, entry in
        entry.1.enumerated().map { k, key in ([key], f * 16 + k) }
    })

    /// The format of a JSON file, from its first readable record (up to 20 lines are tried).
    /// nil when no record looks like a known format. A `{"Records":[]}` file is CloudTrail.
    static func detectJSON(_ base: UnsafePointer<UInt8>, _ count: Int, at start: Int, scanner: JSONScanner) -> AuditLogFormat? {
        scanner.reset(base: base, count: count)
        let slots = FieldSlots(count: markerTrie.slotCount)
        var pos = start
        var wrapper = false
        for _ in 0..<20 {
            pos = scanner.skipSpace(pos, count)
            guard pos < count else { break }
            // Found only when needed: a CloudTrail file is one line of megabytes, and its
            // first record is read up to the end of the text in any case.
            let from = pos
            var found: Int?
            func lineEnd() -> Int {
                if let found { return found }
                let end = memchr(base + from, 0x0A, count - from).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? count
                found = end
                return end
            }
            var object = pos
            if base[pos] == 0x7B, scanner.firstKey(of: pos, count, is: "Records") {
                wrapper = true
                // The first element of the Records array.
                let keyEnd = scanner.stringEnd(scanner.skipSpace(pos + 1, count) + 1, count)
                var j = scanner.skipSpace(keyEnd + 1, count)
                guard j < count, base[j] == 0x3A else { return .cloudtrail }
                j = scanner.skipSpace(j + 1, count)
                guard j < count, base[j] == 0x5B else { return .cloudtrail }
                object = scanner.skipSpace(j + 1, count)
            } else if base[pos] == 0x5B {
                object = scanner.skipSpace(pos + 1, count)
            }
            if object < count, base[object] == 0x7B {
                slots.clear()
                // (A wrapper's record read up to its line's end, and on past it when that
                // breaks it off, is the record read up to the end of the text.)
                var e = scanner.walkObject(object, wrapper ? count : lineEnd(), trie: markerTrie, node: 0, slots: slots)
                if e < 0, !wrapper {
                    slots.clear()
                    e = scanner.walkObject(object, JSONRecordReader.nextObjectLine(base, after: lineEnd(), count),
                                           trie: markerTrie, node: 0, slots: slots)
                }
                if e >= 0, let format = best(slots) { return format }
                if e >= 0, wrapper { return .cloudtrail }
            } else if wrapper {
                return .cloudtrail
            }
            pos = lineEnd() + 1
        }
        return wrapper ? .cloudtrail : nil
    }

    private static func best(_ slots: FieldSlots) -> AuditLogFormat? {
        var best: (AuditLogFormat, Int)?
        for (f, entry) in markers.enumerated() {
            let score = (0..<entry.1.count).filter { slots.kindOf(f * 16 + $0) != .absent }.count
            if score > 0, score > (best?.1 ?? 0) { best = (entry.0, score) }
        }
        return best?.0
    }

    /// The format of a CSV file from its header row.
    /// Whether a CSV file can be read as `format`: the format reads CSV, and the header names
    /// at least one of its fields.
    static func csvFits(_ format: AuditLogFormat, _ base: UnsafePointer<UInt8>, _ count: Int, at start: Int) -> Bool {
        guard format.readsCSV, let (names, _) = CSVRecordReader.header(base, count, from: start) else { return false }
        let trie = format == .acrAudit ? ACRAuditMapper.trie : ACREventLineMapper.trie
        return names.contains { CSVRecordReader.slot(of: $0, in: trie) >= 0 }
    }

    static func detectCSV(_ base: UnsafePointer<UInt8>, _ count: Int, at start: Int) -> AuditLogFormat? {
        guard let (names, _) = CSVRecordReader.header(base, count, from: start) else { return nil }
        let folded = Set(names.map { $0.lowercased().replacingSpaces() })
        if folded.contains("event_category"), folded.contains("event_time") { return .acrEventLine }
        let audit = ["instance_id", "http_request_host", "namespace_repo", "http_request_id", "access_credential_type"]
        if folded.contains("action"), folded.contains("time"), audit.contains(where: folded.contains) { return .acrAudit }
        return nil
    }
}

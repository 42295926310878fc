// The `events` table: its columns in contract order, how each is stored, and the names of
// the source formats and normalized values that the readers write into it.

import AQSyntax

/// The columns of `events`, in table order (see the contract in docs/formats.md).
enum EventColumn: Int, CaseIterable {
    case time, provider, format, service, operation, action, registry, region, namespace, repository
    case tag, digest, actor, session, actorType, account, credential, sourceIP, network, userAgent
    case status, success, error, requestID, eventID, raw

    var name: String {
        switch self {
        case .actorType: return "actor_type"
        case .sourceIP: return "source_ip"
        case .userAgent: return "user_agent"
        case .requestID: return "request_id"
        case .eventID: return "event_id"
        default: return String(describing: self)
        }
    }

    var type: DataType {
        switch self {
        case .time: return .timestamp
        case .status: return .integer
        case .success: return .boolean
        case .raw: return .json
        default: return .varchar
        }
    }
}

/// The string columns that are dictionary-encoded (every VARCHAR column but the two ids),
/// numbered densely: a row of a segment keeps one code per dictionary column.
enum DictColumn: Int, CaseIterable {
    case provider, format, service, operation, action, registry, region, namespace, repository, tag
    case digest, actor, session, actorType, account, credential, sourceIP, network, userAgent, error

    var column: EventColumn {
        switch self {
        case .error: return .error
        default: return EventColumn(rawValue: rawValue + 1)!
        }
    }

    static let count = allCases.count
}

/// The string columns kept flat (one copy per row): they are nearly unique per row.
enum FlatColumn: Int, CaseIterable {
    case requestID, eventID, raw

    var column: EventColumn {
        switch self {
        case .requestID: return .requestID
        case .eventID: return .eventID
        case .raw: return .raw
        }
    }

    static let count = allCases.count
}

/// The audit-log formats aq reads, by their `FORMAT` names.
public enum AuditLogFormat: String, CaseIterable, Sendable {
    case cloudtrail
    case acrAudit = "acr_audit"
    case acrEventLine = "acr_event_line"
    case ibmAT = "ibm_at"

    var provider: String {
        switch self {
        case .cloudtrail: return "aws"
        case .acrAudit, .acrEventLine: return "alibaba"
        case .ibmAT: return "ibm"
        }
    }

    /// Whether logs of this format come as CSV too (Alibaba's console exports).
    var readsCSV: Bool { self == .acrAudit || self == .acrEventLine }

    /// `cloudtrail, acr_audit, acr_event_line or ibm_at`, for messages.
    static var namesForMessage: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// The format named `name` (case-insensitive), or an error naming the known formats.
    static func named(_ name: String) throws -> AuditLogFormat {
        if let format = AuditLogFormat(rawValue: name.lowercased()) { return format }
        var message = "unknown format '\(name)'"
        if let near = nearestName(to: name, in: allCases.map(\.rawValue)) {
            message += " (did you mean '\(near)'?)"
        } else {
            message += " (expected \(namesForMessage))"
        }
        throw ExecutionError.failed(message, range: nil)
    }
}

/// The normalized verbs of the `action` column.
enum EventAction: UInt8, CaseIterable {
    case pull, pullLayer, push, pushLayer, delete, expire, tag, untag, create, list, inspect
    case restore, sign, scan, config, auth, other

    var name: String {
        switch self {
        case .pullLayer: return "pull_layer"
        case .pushLayer: return "push_layer"
        default: return String(describing: self)
        }
    }
}

/// The values of `actor_type`.
enum ActorType: UInt8, CaseIterable {
    case root, user, role, service, other
    var name: String { String(describing: self) }
}

/// The values of `credential`.
enum CredentialKind: UInt8, CaseIterable {
    case password, token, key
    var name: String { String(describing: self) }
}

/// The values of `network`.
enum NetworkKind: UInt8, CaseIterable {
    case internet, vpc, `internal`
    var name: String { String(describing: self) }
}

extension Table {
    /// The name of the table the audit-log readers fill.
    static let eventsName = "events"

    /// A new, empty `events` table with a dictionary for each dictionary-encoded column.
    static func makeEvents() -> Table {
        let table = Table(name: eventsName, columns: EventColumn.allCases.map { ColumnSchema(name: $0.name, type: $0.type) })
        for column in DictColumn.allCases {
            let dictionary = StringDictionary()
            // Code 0 is the empty string, the value stored behind NULL rows (no source value is
            // empty: empty strings load as NULL), so every code of a chunk is a valid code.
            _ = dictionary.code(for: "")
            table.dictionaries[column.column.rawValue] = dictionary
        }
        return table
    }

    /// The `events` table of `catalog`, created when it does not exist yet. An existing table
    /// of that name must have the events columns.
    static func events(in catalog: Catalog) throws -> Table {
        if let table = catalog.table(named: eventsName) {
            let expected = EventColumn.allCases.map { ColumnSchema(name: $0.name, type: $0.type) }
            guard table.columns == expected else {
                throw ExecutionError.failed("table 'events' exists with other columns; drop it before loading logs", range: nil)
            }
            for column in DictColumn.allCases {
                let dictionary = table.dictionaries[column.column.rawValue] ?? StringDictionary()
                // NULL rows store code 0, which must exist.
                if dictionary.count == 0 { _ = dictionary.code(for: "") }
                table.dictionaries[column.column.rawValue] = dictionary
            }
            return table
        }
        let table = makeEvents()
        catalog.add(table)
        return table
    }
}

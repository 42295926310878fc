// Session settings changed by `SET name = value` and `RESET name`: where NULLs sort when an
// ORDER BY does not say, and whether ORDER BY may name a constant. Names and values are
// DuckDB's.

import AQSyntax

/// Where NULLs go in a sort key without `NULLS FIRST` / `NULLS LAST`.
public enum NullOrder: String, Sendable, CaseIterable {
    case nullsLast = "nulls_last"
    case nullsFirst = "nulls_first"
    /// SQLite's and MySQL's: NULLs are the smallest value.
    case nullsFirstOnAscLastOnDesc = "nulls_first_on_asc_last_on_desc"
    /// PostgreSQL's: NULLs are the largest value.
    case nullsLastOnAscFirstOnDesc = "nulls_last_on_asc_first_on_desc"

    /// True when NULLs come first in a key sorted `descending` or not.
    public func nullsFirst(descending: Bool) -> Bool {
        switch self {
        case .nullsLast: return false
        case .nullsFirst: return true
        case .nullsFirstOnAscLastOnDesc: return !descending
        case .nullsLastOnAscFirstOnDesc: return descending
        }
    }

    /// The order a setting value names: `nulls_first`, `NULLS FIRST`, `first`, `sqlite`, ….
    init?(settingValue: String) {
        let word = settingValue.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" }).joined(separator: "_")
        switch word {
        case "nulls_last", "last": self = .nullsLast
        case "nulls_first", "first": self = .nullsFirst
        case "nulls_first_on_asc_last_on_desc", "sqlite", "mysql": self = .nullsFirstOnAscLastOnDesc
        case "nulls_last_on_asc_first_on_desc", "postgres", "postgresql": self = .nullsLastOnAscFirstOnDesc
        default: return nil
        }
    }
}

/// The settings of one database session.
public struct SessionSettings: Sendable {
    /// `default_null_order`: NULLS LAST both ways unless set, as in DuckDB.
    public var nullOrder: NullOrder = .nullsLast
    /// `order_by_non_integer_literal`: whether `ORDER BY 'text'` (which sorts nothing) is
    /// allowed rather than an error.
    public var orderByNonIntegerLiteral = false

    public init() {}

    /// The settings `SET` knows, for errors and "did you mean".
    static let names = ["default_null_order", "order_by_non_integer_literal"]

    /// Applies `SET name = value`, or `RESET name` when the value is nil.
    mutating func apply(_ setting: Setting) throws {
        let name = setting.name.name.lowercased()
        switch name {
        case "default_null_order":
            guard let value = setting.value else {
                nullOrder = SessionSettings().nullOrder
                return
            }
            guard let order = NullOrder(settingValue: value) else {
                let choices = NullOrder.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw BindError.invalid("default_null_order must be one of \(choices); found '\(value)'",
                                        range: setting.valueRange ?? setting.name.range)
            }
            nullOrder = order
        case "order_by_non_integer_literal":
            guard let value = setting.value else {
                orderByNonIntegerLiteral = SessionSettings().orderByNonIntegerLiteral
                return
            }
            orderByNonIntegerLiteral = try SessionSettings.boolean(value, setting)
        default:
            let suggestion = nearestName(to: name, in: SessionSettings.names)
            throw BindError.invalid("unknown setting '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""),
                                    range: setting.name.range)
        }
    }

    /// A BOOLEAN setting's value: true / false, on / off, 1 / 0.
    private static func boolean(_ value: String, _ setting: Setting) throws -> Bool {
        switch value.lowercased() {
        case "true", "on", "1", "t", "yes": return true
        case "false", "off", "0", "f", "no": return false
        default:
            throw BindError.invalid("\(setting.name.name) must be true or false; found '\(value)'",
                                    range: setting.valueRange ?? setting.name.range)
        }
    }
}

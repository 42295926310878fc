// Session settings changed by `SET name = value` and `RESET name`: where NULLs sort when an
// ORDER BY does not say, whether ORDER BY may name a constant, what `/` means between
// integers, and how many threads a query uses. Names and values are DuckDB's.

import AQSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// `integer_division`: whether `/` divides as `//` does (an integer quotient truncated
    /// toward zero when both sides are integers), as in DuckDB with the same setting.
    public var integerDivision = false
    /// `threads`: how many threads run a query's pipelines (default: the machine's cores).
    public var threads = SessionSettings.cores
    /// `memory_limit`: bytes that tables' data and a statement's held result may take
    /// (`Limits.memory`); nil: no budget.
    public var memoryLimit: Int?

    public init() {}

    /// The settings `SET` knows, for errors and "did you mean".
    static let names = ["default_null_order", "order_by_non_integer_literal", "integer_division", "threads", "memory_limit"]

    /// The machine's online cores.
    public static var cores: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
    /// The most threads `SET threads` accepts.
    public static let maxThreads = 256
}

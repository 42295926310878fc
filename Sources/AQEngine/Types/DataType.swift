// The SQL types of aq and their physical representation in columns.

/// A column or expression type. Physical storage (see `Vector`):
/// BOOLEAN → `[Bool]`; INTEGER, DATE (days since 1970-01-01), TIMESTAMP (UTC nanoseconds
/// since the epoch) → `[Int64]`; DOUBLE → `[Double]`; VARCHAR, JSON → strings;
/// INTERVAL → `[Interval]`; LIST → offsets into one vector of its elements (`ListVector`).
/// `null` is the type of a bare NULL literal before it is cast.
public indirect enum DataType: Hashable, Sendable, CustomStringConvertible {
    case null
    case boolean
    case integer
    case double
    case varchar
    case date
    case timestamp
    case interval
    case json
    /// A list of values of one type (`INTEGER[]`); `list(.null)` is the type of `[]`.
    case list(DataType)

    /// The scalar types (every type but lists).
    public static let scalarTypes: [DataType] = [.null, .boolean, .integer, .double, .varchar, .date, .timestamp, .interval, .json]

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .boolean: return "BOOLEAN"
        case .integer: return "INTEGER"
        case .double: return "DOUBLE"
        case .varchar: return "VARCHAR"
        case .date: return "DATE"
        case .timestamp: return "TIMESTAMP"
        case .interval: return "INTERVAL"
        case .json: return "JSON"
        case .list(let element): return element == .null ? "\"NULL\"[]" : element.description + "[]"
        }
    }

    /// Maps a type name as written (`bigint`, `varchar`, `double precision`) to a type.
    public init?(sqlName: String) {
        switch sqlName.lowercased() {
        case "boolean", "bool", "logical": self = .boolean
        case "integer", "int", "bigint", "smallint", "tinyint", "int8", "int4", "int2", "int64", "int32", "hugeint", "long", "ubigint", "uinteger", "usmallint", "utinyint", "signed":
            self = .integer
        case "double", "real", "float", "float4", "float8", "double precision", "numeric", "decimal":
            self = .double
        case "varchar", "text", "string", "char", "bpchar", "character varying", "character", "nvarchar":
            self = .varchar
        case "date": self = .date
        case "timestamp", "datetime", "timestamptz", "timestamp with time zone", "timestamp_ns", "timestamp_us", "timestamp_ms", "timestamp_s":
            self = .timestamp
        case "interval": self = .interval
        case "json": self = .json
        default: return nil
        }
    }

    /// True for types stored as `[Int64]`.
    public var isInt64Backed: Bool { self == .integer || self == .date || self == .timestamp }
    public var isNumeric: Bool { self == .integer || self == .double }
    public var isString: Bool { self == .varchar || self == .json }
    /// The element type of a list type; nil for any other type.
    public var listElement: DataType? {
        if case .list(let element) = self { return element }
        return nil
    }
}

/// An INTERVAL: months, days and nanoseconds kept apart, as in DuckDB and PostgreSQL,
/// because a month or a day has no fixed length in general.
public struct Interval: Hashable, Sendable {
    public var months: Int32
    public var days: Int32
    public var nanoseconds: Int64

    public init(months: Int32 = 0, days: Int32 = 0, nanoseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.nanoseconds = nanoseconds
    }
}

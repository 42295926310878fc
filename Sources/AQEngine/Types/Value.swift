// A single SQL value: for constants, parameters of functions, and rows read from results.
// Never used per row on a hot path; columns hold unboxed values (see `Vector`).

public enum Value: Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int64)
    case double(Double)
    case varchar(String)
    /// Days since 1970-01-01.
    case date(Int64)
    /// UTC nanoseconds since 1970-01-01T00:00:00.
    case timestamp(Int64)
    case interval(Interval)
    case json(String)
    /// A list: its elements (each of `element`'s type, or NULL) and the element type.
    case list([Value], element: DataType)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The type of the value; `.null` for NULL.
    public var type: DataType {
        switch self {
        case .null: return .null
        case .boolean: return .boolean
        case .integer: return .integer
        case .double: return .double
        case .varchar: return .varchar
        case .date: return .date
        case .timestamp: return .timestamp
        case .interval: return .interval
        case .json: return .json
        case .list(_, let element): return .list(element)
        }
    }
}

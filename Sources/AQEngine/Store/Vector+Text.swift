// The canonical text of a vector's rows, as `Value+Format.swift` writes single values.


extension Vector {
    /// The canonical text of row i, or nil when it is NULL.
    public func text(at i: Int) -> String? {
        if isNull(i) { return nil }
        switch storage {
        case .boolean(let a): return a[i] ? "true" : "false"
        case .int64(let a):
            switch type {
            case .date: return TimeMath.formatDate(a[i])
            case .timestamp: return TimeMath.formatTimestamp(a[i])
            default: return String(a[i])
            }
        case .double(let a): return ValueFormat.double(a[i])
        case .string(let s): return s.string(i)
        case .interval(let a): return TimeMath.formatInterval(a[i])
        case .list: return formatted(value(at: i))
        case .null: return nil
        }
    }
}

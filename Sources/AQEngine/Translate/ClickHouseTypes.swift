// aq's types as ClickHouse names them, and what little typing the translation needs: the
// type of an expression when it is plain from the tree (a column, a literal, a cast).

import AQSyntax

enum ClickHouseTypes {
    static func name(_ type: DataType) -> String {
        switch type {
        case .boolean: return "Bool"
        case .integer: return "Int64"
        case .double: return "Float64"
        case .varchar, .json, .null: return "String"
        case .date: return "Date32"
        case .timestamp: return "DateTime64(9, 'UTC')"
        case .interval: return "IntervalNanosecond"
        case .list(let element): return "Array(\(name(element)))"
        }
    }
}

extension ClickHouseTranslator {
    /// The type of an expression when the tree shows it; nil when it does not.
    func staticType(_ e: Expr, _ scope: Scope) -> DataType? {
        switch e.kind {
        case .literal(.integer): return .integer
        case .literal(.double): return .double
        case .literal(.string): return .varchar
        case .literal(.boolean): return .boolean
        case .literal(.typed(let t, _)): return DataType(sqlName: t.name)
        case .cast(_, let t, _): return DataType(sqlName: t.name)
        case .column(let parts):
            guard let last = parts.last else { return nil }
            for (_, columns) in tables {
                if let c = columns.first(where: { $0.name.lowercased() == last.name.lowercased() }), c.type != .null { return c.type }
            }
            return nil
        case .binary(let op, let l, let r):
            switch op {
            case .divide: return .double
            case .add, .subtract, .multiply, .modulo:
                let a = staticType(l, scope), b = staticType(r, scope)
                if a == .double || b == .double { return .double }
                if a == .integer && b == .integer { return .integer }
                return nil
            case .concat: return .varchar
            default: return .boolean
            }
        case .function(let call):
            switch call.name.name {
            case "avg", "epoch", "random": return .double
            case "count", "length", "hour", "minute", "second", "day", "month", "year", "dayofweek", "strpos": return .integer
            case "date_trunc", "time_bucket", "now", "ago": return .timestamp
            default: return nil
            }
        default:
            return nil
        }
    }
}

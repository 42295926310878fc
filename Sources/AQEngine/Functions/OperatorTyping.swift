// Which types the operands of an operator are cast to, and the type of the result.

public enum OperatorTyping {
    /// The common type two values are compared in, or nil if they cannot be compared.
    /// A string compared with a TIMESTAMP or DATE is read as one; INTEGER with DOUBLE is DOUBLE.
    public static func comparisonType(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        switch (a, b) {
        case (.integer, .double), (.double, .integer): return .double
        case (.varchar, .json), (.json, .varchar): return .varchar
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        case (.varchar, let other), (let other, .varchar): return other
        default: return nil
        }
    }

    /// Operand types and result type of an arithmetic operator, or nil if not defined.
    public static func arithmetic(_ op: ArithmeticOperator, _ a: DataType, _ b: DataType)
        -> (left: DataType, right: DataType, result: DataType)? {
        if op == .concat { return (.varchar, .varchar, .varchar) }
        let a = a == .null ? (b == .null ? .integer : b) : a
        let b = b == .null ? a : b
        switch (op, a, b) {
        case (.divide, .integer, .integer): return (.double, .double, .double)
        case (_, .integer, .integer): return (.integer, .integer, .integer)
        case (.integerDivide, .double, .integer), (.integerDivide, .integer, .double), (.integerDivide, .double, .double):
            return (.double, .double, .double)
        case (_, .double, .integer), (_, .integer, .double), (_, .double, .double): return (.double, .double, .double)
        case (.subtract, .timestamp, .timestamp): return (.timestamp, .timestamp, .interval)
        case (.add, .timestamp, .interval), (.subtract, .timestamp, .interval): return (.timestamp, .interval, .timestamp)
        case (.add, .interval, .timestamp): return (.interval, .timestamp, .timestamp)
        case (.add, .date, .interval), (.subtract, .date, .interval): return (.timestamp, .interval, .timestamp)
        case (.add, .date, .integer), (.subtract, .date, .integer): return (.date, .integer, .date)
        case (.subtract, .date, .date): return (.date, .date, .integer)
        case (.add, .interval, .interval), (.subtract, .interval, .interval): return (.interval, .interval, .interval)
        case (.multiply, .interval, .integer): return (.interval, .integer, .interval)
        case (.multiply, .integer, .interval): return (.integer, .interval, .interval)
        default: return nil
        }
    }
}

// The comparison and arithmetic operators, named once for the binder, the kernels and the
// function library.

/// `=`, `<>`, `<`, `<=`, `>`, `>=`.
public enum ComparisonOperator: String, Sendable {
    case equal = "=", notEqual = "<>", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="

    /// The operator with its operands swapped: `a < b` ⇔ `b > a`.
    public var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessEqual: return .greaterEqual
        case .greater: return .less
        case .greaterEqual: return .lessEqual
        }
    }
}

/// The binary arithmetic operators and `||`.
public enum ArithmeticOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", integerDivide = "//", modulo = "%"
    case concat = "||"
}

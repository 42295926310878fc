// Arithmetic kernels: overflow-checked INTEGER `+ - * // %`, DOUBLE arithmetic, division by
// zero as an error, calendar arithmetic on TIMESTAMP/DATE/INTERVAL, `||` and unary minus.
// A NULL row never raises an error: checks look at valid rows only.

import AQSyntax

extension ExpressionEvaluator {
    static func arithmetic(_ op: ArithmeticOperator, _ a: BoundExpr, _ b: BoundExpr, type: DataType,
                           range: SourceRange?, _ batch: Batch, _ context: ExecutionContext) throws -> Vector {
        let x = try evaluate(a, batch, context), y = try evaluate(b, batch, context)
        return try Arithmetic.apply(op, x, y, type: type, range: range)
    }

    static func negate(_ v: Vector, range: SourceRange?) throws -> Vector {
        switch v.storage {
        case .null: return v
        case .int64(let a):
            var overflow = false
            let out = a.map { x -> Int64 in
                let r = Int64(0).subtractingReportingOverflow(x)
                overflow = overflow || r.overflow
                return r.partialValue
            }
            if overflow {
                try v.validity.withView { vv in
                    for i in 0..<a.count where a[i] == .min && vv.isValid(i) {
                        throw ExecutionError.overflow("integer overflow in '-'", range: range)
                    }
                }
            }
            return Vector(type: v.type, storage: .int64(out), validity: v.validity)
        case .double(let a):
            return Vector(type: v.type, storage: .double(a.map { -$0 }), validity: v.validity)
        case .interval(let a):
            var out: [Interval] = []
            out.reserveCapacity(a.count)
            try v.validity.withView { vv in
                for (i, x) in a.enumerated() {
                    guard vv.isValid(i) else { out.append(Interval()); continue }
                    out.append(try Arithmetic.scale(x, by: -1, range: range))
                }
            }
            return Vector(type: v.type, storage: .interval(out), validity: v.validity)
        default:
            throw storageMismatch("unary minus")
        }
    }
}

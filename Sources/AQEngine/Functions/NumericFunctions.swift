// Number functions with DuckDB's names and results: abs, round(x [, digits]), floor,
// ceil/ceiling, and the comparison functions greatest, least, nullif over every type.

import AQSyntax

enum NumericFunctions {
    static let all: [String: [Overload]] = [
        "abs": [
            Overload([.integer], .integer) { args, _, fc in
                let out = try FunctionKernels.mapInt64(args[0], zero: Int64(0)) { x in
                    guard x != .min else { throw ExecutionError.overflow("integer overflow in abs", range: fc.range) }
                    return Swift.abs(x)
                }
                return Vector(type: .integer, storage: .int64(out), validity: args[0].validity)
            },
            Overload([.double], .double) { args, _, _ in
                Vector(type: .double, storage: .double(try args[0].doubleValues().map { Swift.abs($0) }), validity: args[0].validity)
            },
        ],
        "round": [
            Overload([.integer], .integer) { args, _, _ in args[0] },
            Overload([.double], .double) { args, _, _ in
                Vector(type: .double, storage: .double(try args[0].doubleValues().map { $0.rounded() }), validity: args[0].validity)
            },
            Overload([.integer, .integer], .integer) { args, n, fc in try roundInteger(args, n, fc) },
            Overload([.double, .integer], .double) { args, n, _ in
                let x = try args[0].doubleValues(), d = try args[1].int64Values()
                let validity = Validity.and(args[0].effectiveValidity, args[1].effectiveValidity)
                var out = [Double](repeating: 0, count: n)
                for i in 0..<n { out[i] = roundDouble(x[i], digits: d[i]) }
                return Vector(type: .double, storage: .double(out), validity: validity)
            },
        ],
        "floor": [
            Overload([.double], .double) { args, _, _ in
                Vector(type: .double, storage: .double(try args[0].doubleValues().map { $0.rounded(.down) }), validity: args[0].validity)
            },
        ],
        "ceil": ceil,
        "ceiling": ceil,
        "greatest": extremum(.greater),
        "least": extremum(.less),
        "nullif": comparableTypes.map { type in
            Overload([type, type], type) { args, n, _ in
                let a = args[0].typed(type), b = args[1].typed(type)
                if a.isAllNull || b.isAllNull { return a }
                let equal = try CompareKernels.compare(.equal, a, b)
                let bits = try equal.boolValues()
                var validity = a.effectiveValidity ?? Validity(allValid: n)
                equal.effectiveValidity.withView { vv in
                    for i in 0..<n where vv.isValid(i) && bits[i] { validity.set(i, valid: false) }
                }
                return Vector(type: type, storage: a.storage, validity: validity.nullCount == 0 ? nil : validity)
            }
        },
    ]

    static let comparableTypes: [DataType] = [.integer, .double, .varchar, .timestamp, .date, .interval, .boolean, .json]

    static let ceil: [Overload] = [
        Overload([.double], .double) { args, _, _ in
            Vector(type: .double, storage: .double(try args[0].doubleValues().map { $0.rounded(.up) }), validity: args[0].validity)
        },
    ]

    /// `round(x, digits)` of a DOUBLE, as DuckDB computes it (half away from zero); a result
    /// that is not finite gives back x.
    static func roundDouble(_ x: Double, digits: Int64) -> Double {
        if !x.isFinite { return x }
        let d = max(-308, min(308, digits))
        let r: Double
        if d >= 0 {
            let p = pow10(Int(d))
            r = (x * p).rounded() / p
        } else {
            let p = pow10(Int(-d))
            r = (x / p).rounded() * p
        }
        return r.isFinite ? r : x
    }

    static func pow10(_ k: Int) -> Double {
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// `round(i, digits)` of an INTEGER: unchanged for digits ≥ 0, else to a multiple of
    /// 10^-digits, half away from zero.
    static func roundInteger(_ args: [Vector], _ n: Int, _ fc: FunctionContext) throws -> Vector {
        let x = try args[0].int64Values(), d = try args[1].int64Values()
        let validity = Validity.and(args[0].effectiveValidity, args[1].effectiveValidity)
        var out = [Int64](repeating: 0, count: n)
        try validity.withView { vv in
            for i in 0..<n where vv.isValid(i) {
                guard d[i] < 0 else { out[i] = x[i]; continue }
                guard d[i] > -19 else { out[i] = 0; continue }
                var p: Int64 = 1
                for _ in 0..<Int(-d[i]) { p *= 10 }
                let q = x[i] / p, r = x[i] % p
                var v = q
                if Swift.abs(r) * 2 >= p { v += x[i] < 0 ? -1 : 1 }
                let (m, o) = v.multipliedReportingOverflow(by: p)
                if o { throw ExecutionError.overflow("integer overflow in round", range: fc.range) }
                out[i] = m
            }
        }
        return Vector(type: .integer, storage: .int64(out), validity: validity)
    }

    /// greatest / least: the largest (smallest) non-NULL argument; NULL when all are NULL.
    static func extremum(_ op: ComparisonOperator) -> [Overload] {
        comparableTypes.map { type in
            Overload([type], type, variadic: true) { args, n, _ in
                var best = args[0].typed(type)
                for next in args.dropFirst() {
                    let candidate = next.typed(type)
                    if candidate.isAllNull { continue }
                    if best.isAllNull { best = candidate; continue }
                    let cmp = try CompareKernels.compare(op, candidate, best)
                    let bits = try cmp.boolValues()
                    var takeNew: [Int32] = [], keep: [Int32] = []
                    let bestValidity = best.effectiveValidity, newValidity = candidate.effectiveValidity
                    for i in 0..<n {
                        let newValid = newValidity?.isValid(i) ?? true
                        let bestValid = bestValidity?.isValid(i) ?? true
                        if newValid && (!bestValid || bits[i]) { takeNew.append(Int32(i)) } else { keep.append(Int32(i)) }
                    }
                    if takeNew.isEmpty { continue }
                    if keep.isEmpty { best = candidate; continue }
                    best = try Vector.scatter([(takeNew, candidate.gather(takeNew)), (keep, best.gather(keep))],
                                                           count: n, type: type)
                }
                return best
            }
        }
    }
}

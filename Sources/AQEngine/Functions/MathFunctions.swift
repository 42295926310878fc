// More number functions with DuckDB's names and results: sign, sqrt, pow/power, exp, ln,
// log (base 10), log2, log10, trunc, mod, isnan, isinf, isfinite, pi, random.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum MathFunctions {
    static let all: [String: [Overload]] = [
        "sign": [
            Overload([.integer], .integer) { args, _, _ in
                Vector(type: .integer, storage: .int64(try args[0].int64Values().map { $0.signum() }), validity: args[0].validity)
            },
            Overload([.double], .integer) { args, _, _ in
                let out = try args[0].doubleValues().map { d -> Int64 in d > 0 ? 1 : (d < 0 ? -1 : 0) }
                return Vector(type: .integer, storage: .int64(out), validity: args[0].validity)
            },
        ],
        "sqrt": unary { $0.squareRoot() },
        "exp": unary { exp($0) },
        "ln": unary { log($0) },
        "log": unary { log10($0) },
        "log10": unary { log10($0) },
        "log2": unary { log2($0) },
        "pow": power,
        "power": power,
        "trunc": [
            Overload([.integer], .integer) { args, _, _ in args[0] },
            Overload([.double], .double) { args, _, _ in
                Vector(type: .double, storage: .double(try args[0].doubleValues().map { $0.rounded(.towardZero) }),
                       validity: args[0].validity)
            },
        ],
        "mod": [
            Overload([.integer, .integer], .integer) { args, _, fc in
                try Arithmetic.apply(.modulo, args[0], args[1], type: .integer, range: fc.range)
            },
            Overload([.double, .double], .double) { args, _, fc in
                try Arithmetic.apply(.modulo, args[0], args[1], type: .double, range: fc.range)
            },
        ],
        "isnan": predicate { $0.isNaN },
        "isinf": predicate { $0.isInfinite },
        "isfinite": predicate { $0.isFinite },
        "random": [Overload([], .double, foldable: false) { _, n, _ in
            // A new value per row, in [0, 1).
            var generator = SystemRandomNumberGenerator()
            return Vector(type: .double, storage: .double((0..<n).map { _ in Double.random(in: 0..<1, using: &generator) }))
        }],
        "pi": [Overload([], .double) { _, n, _ in
            Vector(type: .double, storage: .double([Double](repeating: .pi, count: n)))
        }],
    ]

    static func unary(_ f: @escaping (Double) -> Double) -> [Overload] {
        [Overload([.double], .double) { args, _, _ in
            Vector(type: .double, storage: .double(try args[0].doubleValues().map(f)), validity: args[0].validity)
        }]
    }

    static func predicate(_ f: @escaping (Double) -> Bool) -> [Overload] {
        [Overload([.double], .boolean) { args, _, _ in
            .booleans(try args[0].doubleValues().map(f), args[0].validity)
        }]
    }

    static let power: [Overload] = [
        Overload([.double, .double], .double) { args, n, _ in
            let x = try args[0].doubleValues(), y = try args[1].doubleValues()
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { out[i] = pow(x[i], y[i]) }
            return Vector(type: .double, storage: .double(out),
                          validity: Validity.and(args[0].effectiveValidity, args[1].effectiveValidity))
        },
    ]
}

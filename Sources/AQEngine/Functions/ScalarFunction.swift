// A scalar function resolved for its argument types: the kernel that computes it over a
// batch, and the registry that resolves a call by name and argument types.

import AQSyntax

/// What a kernel sees besides its arguments.
public struct FunctionContext {
    public var execution: ExecutionContext
    /// Constant arguments as values (nil where an argument varies by row), so kernels can
    /// compile a pattern, path or CIDR once per call site.
    public var constantArguments: [Value?]
    /// Where the call was written, for errors.
    public var range: SourceRange?

    public init(execution: ExecutionContext, constantArguments: [Value?], range: SourceRange?) {
        self.execution = execution
        self.constantArguments = constantArguments
        self.range = range
    }
}

/// A function implementation: `kernel(arguments, rowCount, context)`. Arguments arrive
/// already cast to `argumentTypes`.
public final class ScalarFunction: @unchecked Sendable {
    public let name: String
    public let argumentTypes: [DataType]
    public let returnType: DataType
    /// Whether the optimizer may compute a call with constant arguments once at plan time.
    public let foldable: Bool
    public let kernel: ([Vector], Int, FunctionContext) throws -> Vector

    public init(name: String, argumentTypes: [DataType], returnType: DataType, foldable: Bool = true,
                kernel: @escaping ([Vector], Int, FunctionContext) throws -> Vector) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.returnType = returnType
        self.foldable = foldable
        self.kernel = kernel
    }
}

/// How a function name and argument types resolved.
public enum FunctionResolution {
    /// Cast the arguments to `function.argumentTypes`, then call it.
    case found(ScalarFunction)
    case unknownFunction(suggestion: String?)
    /// The name exists but not for these types: `message` says what it takes.
    case invalidArguments(message: String)
}

typealias Kernel = ([Vector], Int, FunctionContext) throws -> Vector

/// One signature of a function: parameter types (the last repeated when `variadic`), the
/// result type, and the kernel.
struct Overload {
    var parameters: [DataType]
    var returnType: DataType
    var variadic = false
    var foldable = true
    /// Takes arguments of any type as they are (`concat`, `typeof`); `parameters` gives
    /// only the count (with `variadic`).
    var anyType = false
    var kernel: Kernel

    init(_ parameters: [DataType], _ returnType: DataType, variadic: Bool = false, foldable: Bool = true,
         anyType: Bool = false, _ kernel: @escaping Kernel) {
        self.parameters = parameters
        self.returnType = returnType
        self.variadic = variadic
        self.foldable = foldable
        self.anyType = anyType
        self.kernel = kernel
    }

    /// The parameter types for `count` arguments, or nil when the count does not fit.
    func parameters(for count: Int) -> [DataType]? {
        if variadic {
            if parameters.isEmpty { return [DataType](repeating: .varchar, count: count) }
            guard let last = parameters.last, count >= parameters.count - 1, count >= 1 else { return nil }
            return Array(parameters.dropLast()) + [DataType](repeating: last, count: count - parameters.count + 1)
        }
        return count == parameters.count ? parameters : nil
    }
}

/// All scalar functions by name.
public enum FunctionRegistry {
    /// Resolves a call: the cheapest overload whose parameters the arguments convert to.
    /// Functions the embedding program registered (`user`) come before the built-in ones.
    public static func resolve(_ name: String, argumentTypes: [DataType],
                               user: UserFunctions = UserFunctions()) -> FunctionResolution {
        let key = name.lowercased()
        guard let overloads = user.overloads[key] ?? table[key] else {
            return .unknownFunction(suggestion: nearestName(to: name, in: allNames + user.names))
        }
        var best: (Overload, [DataType], Int)?
        for overload in overloads {
            guard var parameters = overload.parameters(for: argumentTypes.count) else { continue }
            if overload.anyType { parameters = argumentTypes }
            var cost = 0
            var fits = true
            for (a, p) in zip(argumentTypes, parameters) {
                guard let c = conversionCost(a, p) else { fits = false; break }
                cost += c
            }
            if fits, best == nil || cost < best!.2 { best = (overload, parameters, cost) }
        }
        guard let (overload, parameters, _) = best else {
            let got = argumentTypes.map(\.description).joined(separator: ", ")
            let expected = overloads.map { o -> String in
                let ps = o.anyType ? ["ANY"] : o.parameters.map(\.description)
                let shown = o.variadic ? ps + ["…"] : ps
                return "\(key)(\(shown.joined(separator: ", ")))"
            }
            return .invalidArguments(message: "no function \(key)(\(got)); expected \(expected.joined(separator: " or "))")
        }
        return .found(ScalarFunction(name: key, argumentTypes: parameters, returnType: overload.returnType,
                                     foldable: overload.foldable, kernel: overload.kernel))
    }

    /// Every scalar function name, for completion and "did you mean".
    public static var allNames: [String] { names }

    private static let names: [String] = table.keys.sorted()

    /// What converting an argument of type `from` to a parameter of type `to` costs, or nil
    /// when the call may not convert it implicitly. A VARCHAR may stand for a time, an
    /// interval or JSON (string literals are written that way); a number never becomes text.
    static func conversionCost(_ from: DataType, _ to: DataType) -> Int? {
        if from == to { return 0 }
        switch (from, to) {
        case (.null, _): return 1
        case (.integer, .double): return 1
        case (.date, .timestamp): return 1
        case (.json, .varchar), (.varchar, .json): return 1
        case (.varchar, .timestamp), (.varchar, .date), (.varchar, .interval): return 3
        default: return nil
        }
    }

    static let table: [String: [Overload]] = {
        var t: [String: [Overload]] = [:]
        for family in [NumericFunctions.all, StringFunctions.all, RegexFunctions.all, TimeFunctions.all, StrftimeFunctions.all,
                       TimePartFunctions.all, MathFunctions.all,
                       JSONFunctions.all, IPFunctions.all, MiscFunctions.all, BarFunctions.all] {
            for (name, overloads) in family { t[name, default: []] += overloads }
        }
        return t
    }()
}

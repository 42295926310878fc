// A scalar function resolved for its argument types: the kernel that computes it over a batch.

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

/// All scalar functions by name.
public enum FunctionRegistry {
    /// Resolves a call. Placeholder until the function library lands.
    public static func resolve(_ name: String, argumentTypes: [DataType]) -> FunctionResolution {
        .unknownFunction(suggestion: nearestName(to: name, in: allNames))
    }

    /// Every scalar function name, for completion and "did you mean".
    public static var allNames: [String] { [] }
}

// Scalar functions an embedding program registers (`Database.createFunction`): typed, called
// once per batch with the argument columns, resolved by name and argument types like the
// built-in functions.

/// A registered function's body: the argument columns (cast to the declared types) and the
/// row count in, a column of the declared result type and that many rows out.
public typealias UserFunctionBody = @Sendable (_ arguments: [Vector], _ rows: Int) throws -> Vector

/// The functions an embedding program registered, by lower-case name.
public struct UserFunctions: @unchecked Sendable {
    var overloads: [String: [Overload]] = [:]

    public init() {}

    /// Every registered name.
    public var names: [String] { Array(overloads.keys).sorted() }

    /// Adds `name(arguments) -> result`; a signature registered before with the same
    /// argument types is replaced.
    mutating func add(name: String, arguments: [DataType], result: DataType, body: @escaping UserFunctionBody) {
        let key = name.lowercased()
        let kernel: Kernel = { args, rows, context in
            let out: Vector
            do {
                out = try body(args, rows)
            } catch {
                throw ExecutionError.functionFailed(function: key, message: "\(error)", range: context.range)
            }
            guard out.count == rows else {
                throw ExecutionError.functionFailed(function: key, message: "returned \(out.count) rows for \(rows)",
                                                    range: context.range)
            }
            guard out.type == result || out.type == .null else {
                throw ExecutionError.functionFailed(function: key, message: "returned \(out.type), declared \(result)",
                                                    range: context.range)
            }
            return out.type == .null ? Vector.nulls(type: result, count: rows) : out
        }
        var list = overloads[key, default: []]
        list.removeAll { $0.parameters == arguments }
        list.append(Overload(arguments, result, foldable: false, kernel))
        overloads[key] = list
    }
}

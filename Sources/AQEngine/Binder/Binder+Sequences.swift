// `nextval('name')` and `currval('name')`: calls on a sequence of the catalog, found when the
// statement is bound. nextval gives each row the next value, so it is never folded.

import AQSyntax

extension Binder {
    func sequenceCall(_ name: String, _ args: [BoundExpr], range: SourceRange) throws -> BoundExpr {
        guard args.count == 1 else {
            throw BindError.wrongArguments(function: name, expected: .one, found: args.count, range: range)
        }
        if case .constant(.null) = args[0].kind { return .constant(.null, .integer, range: range) }
        guard case .constant(.varchar(let sequenceName)) = args[0].kind else {
            throw BindError.notConstant(.argument("sequence name", of: name), range: args[0].range ?? range)
        }
        guard let sequence = catalog.sequence(named: sequenceName) else {
            throw BindError.unknownSequence(sequenceName, suggestion: nearestName(to: sequenceName, in: catalog.sequenceNames),
                                            range: args[0].range ?? range)
        }
        let next = name == "nextval"
        let function = ScalarFunction(name: name, argumentTypes: [], returnType: .integer, foldable: false) { _, n, _ in
            if next {
                guard let values = sequence.next(n) else {
                    throw ExecutionError.overflow("sequence '\(sequence.name)' passed the range of BIGINT", range: range)
                }
                return Vector(type: .integer, storage: .int64(values))
            }
            guard let value = sequence.current else {
                throw ExecutionError.failed("currval: sequence '\(sequence.name)' has not given a value yet (call nextval first)",
                                            range: range)
            }
            return Vector(type: .integer, storage: .int64([Int64](repeating: value, count: n)))
        }
        return BoundExpr(.call(function, []), type: .integer, range: range)
    }
}

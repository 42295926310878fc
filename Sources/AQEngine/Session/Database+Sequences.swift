// CREATE SEQUENCE and DROP SEQUENCE: counters of the catalog that `nextval` advances. They
// live as long as the database object (a store file does not keep them).

import AQSyntax

extension Database {
    func createSequence(_ create: CreateSequence) throws -> StatementResult {
        let name = create.name.name
        if catalog.sequence(named: name) != nil {
            if create.ifNotExists { return StatementResult(message: "sequence \(name) already exists") }
            if !create.orReplace { throw BindError.sequenceExists(name, range: create.name.range) }
        }
        let start = create.start ?? (create.increment > 0 ? 1 : -1)
        catalog.add(NumberSequence(name: name, start: start, increment: create.increment))
        return StatementResult(message: "created sequence \(name)")
    }

    func dropSequence(_ name: Identifier, ifExists: Bool) throws -> StatementResult {
        if catalog.removeSequence(named: name.name) != nil { return StatementResult(message: "dropped sequence \(name.name)") }
        if ifExists { return StatementResult(message: "sequence \(name.name) does not exist") }
        throw BindError.unknownSequence(name.name, suggestion: nearestName(to: name.name, in: catalog.sequenceNames),
                                        range: name.range)
    }
}

// CREATE [OR REPLACE] VIEW and DROP VIEW. A view keeps its syntax tree: the query is bound
// when the view is created (to check it) and again at each use.

import AQSyntax

extension Database {
    func createView(_ create: CreateView, source: Source, context: ExecutionContext) throws -> StatementResult {
        let name = create.name.name
        if catalog.table(named: name) != nil { throw BindError.tableExists(name, range: create.name.range) }
        if catalog.view(named: name) != nil, !create.orReplace {
            throw BindError.viewExists(name, range: create.name.range)
        }
        let binder = binder(source, context)
        // Bound as the view it will be, so that it cannot name itself.
        binder.viewsInUse = [name.lowercased()]
        let plan = try binder.bind(create.query)
        let schema = plan.schema
        if create.columnNames.count > schema.count {
            throw BindError.viewColumnCount(view: name, given: create.columnNames.count, columns: schema.count,
                                            range: create.name.range)
        }
        var columns = schema
        for (i, c) in create.columnNames.enumerated() { columns[i].name = c.name }
        catalog.add(View(name: name, query: create.query, source: source,
                         columnNames: create.columnNames.map(\.name), columns: columns))
        return StatementResult(message: "created view \(name)")
    }

    func dropView(_ name: Identifier, ifExists: Bool) throws -> StatementResult {
        if catalog.removeView(named: name.name) != nil { return StatementResult(message: "dropped view \(name.name)") }
        if ifExists { return StatementResult(message: "view \(name.name) does not exist") }
        if catalog.table(named: name.name) != nil { throw BindError.nameIsTable(name.name, range: name.range) }
        throw BindError.unknownView(name.name, suggestion: nearestName(to: name.name, in: catalog.viewNames),
                                    range: name.range)
    }
}

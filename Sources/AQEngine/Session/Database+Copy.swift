// COPY … TO: the query (or table) runs through the same pipeline as any SELECT, then its
// rows go out through the exporter.

import AQSyntax

extension Database {
    func copy(_ copy: Copy, source: Source, context: ExecutionContext) throws -> StatementResult {
        let options = try CopyOptions(copy)
        let columns: [ColumnSchema]
        let batches: [Batch]
        switch copy.source {
        case .table(let name):
            if catalog.table(named: name.name) == nil && catalog.view(named: name.name) == nil {
                _ = try existingTable(name)
            }
            let star = Query(body: .select(Select(items: [.star(qualifier: nil, exclude: [], range: name.range)],
                                                  from: .table(name: name, alias: nil, range: name.range),
                                                  range: name.range)),
                             range: name.range)
            let plan = try prepare(star, source: source, context: context)
            columns = plan.schema
            batches = try Executor.run(plan, context)
        case .query(let query):
            let plan = try prepare(query, source: source, context: context)
            columns = plan.schema
            batches = try Executor.run(plan, context)
        }
        let rows: Int
        do {
            rows = try CopyExporter.write(batches, columns: columns, to: copy.path, options: options)
        } catch ExecutionError.io(let path, let message, nil) {
            throw ExecutionError.io(path: path, message: message, range: copy.pathRange)
        }
        return StatementResult(message: "copied \(Database.count(rows, "row")) to \(copy.path)")
    }
}

// The statements that change or describe the catalog: CREATE TABLE [AS], INSERT, DROP TABLE,
// DESCRIBE. Queries inside them go through the same pipeline as any SELECT.

import AQSyntax

extension Database {
    func createTable(_ create: CreateTable, source: Source, context: ExecutionContext) throws -> StatementResult {
        let name = create.name.name
        if catalog.view(named: name) != nil { throw BindError.viewExists(name, range: create.name.range) }
        if catalog.table(named: name) != nil {
            if create.ifNotExists { return StatementResult(message: "table \(name) already exists") }
            if !create.orReplace { throw BindError.tableExists(name, range: create.name.range) }
        }
        if let query = create.asQuery {
            let plan = try prepare(query, source: source, context: context)
            let batches = try Executor.run(plan, context)
            let schema = plan.schema.map { c in ColumnSchema(name: c.name, type: c.type == .null ? .integer : c.type) }
            try checkDistinctNames(schema.map(\.name), range: create.name.range)
            let table = Table(name: name, columns: schema)
            for batch in batches { table.append(Database.stored(batch, as: schema)) }
            catalog.add(table)
            return StatementResult(message: "created table \(name) with \(Database.count(table.rowCount, "row"))")
        }
        var columns: [ColumnSchema] = []
        var notNull = Set<Int>()
        var seen = Set<String>()
        for (i, c) in create.columns.enumerated() {
            guard seen.insert(c.name.name.lowercased()).inserted else {
                throw BindError.duplicateName(.tableColumn, c.name.name, range: c.name.range)
            }
            guard let type = DataType(sqlName: c.type.name, listDepth: c.type.listDepth) else {
                throw BindError.unknownType(c.type.name, range: c.type.range)
            }
            columns.append(ColumnSchema(name: c.name.name, type: type))
            if c.notNull { notNull.insert(i) }
        }
        let constraints = try self.constraints(of: create, columns: columns, notNull: &notNull,
                                               source: source, context: context)
        let table = Table(name: name, columns: columns)
        table.notNullColumns = notNull
        table.constraints = constraints
        catalog.add(table)
        return StatementResult(message: "created table \(name)")
    }

    func checkDistinctNames(_ names: [String], range: SourceRange) throws {
        var seen = Set<String>()
        for n in names where !seen.insert(n.lowercased()).inserted {
            throw BindError.duplicateName(.queryColumn, n, range: range)
        }
    }

    func insertInto(_ insert: Insert, statement: Statement, source: Source,
                    context: ExecutionContext) throws -> StatementResult {
        let table = try existingTable(insert.table)
        // Target columns, in the order the values come.
        var targets: [Int] = []
        if let names = insert.columns {
            for n in names {
                guard let i = table.columnIndex(n.name) else {
                    throw BindError.unknownColumn(n.name, suggestion: nearestName(to: n.name, in: table.columns.map(\.name)),
                                                  range: n.range)
                }
                guard !targets.contains(i) else {
                    throw BindError.duplicateName(.insertColumn, n.name, range: n.range)
                }
                targets.append(i)
            }
        } else {
            targets = Array(table.columns.indices)
        }
        let binder = self.binder(source, context)
        let sourcePlan: LogicalPlan
        switch insert.source {
        case .values(let written):
            for row in written where row.count != targets.count {
                let range = row.first.map { $0.range.union(row[row.count - 1].range) } ?? statement.range
                throw BindError.columnCountMismatch(.insert(table: table.name, named: insert.columns != nil),
                                                    expected: targets.count, found: row.count, range: range)
            }
            let (rows, defaults) = Database.defaultCells(written)
            var plan = try binder.bindValues(rows, range: statement.range, outer: nil,
                                             types: targets.map { table.columns[$0].type })
            if !defaults.isEmpty, case .values(var bound, let schema) = plan {
                for cell in defaults {
                    bound[cell.row][cell.column] = try defaultValue(of: table, column: targets[cell.column],
                                                                    range: cell.range, now: context.now)
                }
                plan = .values(rows: bound, schema: schema)
            }
            sourcePlan = plan
        case .query(let query):
            sourcePlan = try binder.bind(query)
            let width = sourcePlan.columnCount
            guard width == targets.count else {
                throw BindError.columnCountMismatch(.insert(table: table.name, named: insert.columns != nil),
                                                    expected: targets.count, found: width, range: query.range)
            }
        }
        // One projection gives every column of the table: cast values, NULL for the rest.
        let schema = sourcePlan.schema
        let exprs = try table.columns.enumerated().map { i, column -> BoundExpr in
            guard let k = targets.firstIndex(of: i) else {
                return try defaultValue(of: table, column: i, range: statement.range, now: context.now)
            }
            guard schema[k].type != .null else { return .constant(.null, column.type) }
            return binder.coerce(BoundExpr(.column(index: k, name: schema[k].name), type: schema[k].type,
                                           range: statement.range), to: column.type)
        }
        let plan = try optimize(.project(sourcePlan, expressions: exprs, names: table.columns.map(\.name)), context: context)
        let batches = try Executor.run(plan, context)
        for batch in batches {
            for i in table.notNullColumns.sorted() where i < batch.columns.count {
                let v = batch.columns[i]
                if (0..<batch.count).contains(where: { v.isNull($0) }) {
                    throw ExecutionError.notNullViolation(column: table.columns[i].name, range: statement.range)
                }
            }
        }
        try checkKeys(table, batches, range: statement.range)
        var inserted = 0
        for batch in batches {
            table.append(Database.stored(batch, as: table.columns))
            inserted += batch.count
        }
        return StatementResult(message: "inserted \(Database.count(inserted, "row")) into \(table.name)")
    }

    func dropTable(_ name: Identifier, ifExists: Bool) throws -> StatementResult {
        if catalog.remove(named: name.name) != nil { return StatementResult(message: "dropped table \(name.name)") }
        if ifExists { return StatementResult(message: "table \(name.name) does not exist") }
        _ = try existingTable(name)
        return StatementResult(message: "")
    }

    func describe(_ name: Identifier) throws -> StatementResult {
        if let view = catalog.view(named: name.name) {
            let context = ExecutionContext(now: Database.currentTime(), cancellation: cancellation, catalog: catalog)
            let binder = binder(view.source, context)
            let (plan, names) = try binder.bindView(view, name: name)
            let rows = zip(names, plan.schema).map { n, c -> [String?] in [n, c.type.description, "YES"] }
            return Database.textTable(["column_name", "column_type", "null"], rows)
        }
        let table = try existingTable(name)
        let rows = table.columns.enumerated().map { i, c -> [String?] in
            [c.name, c.type.description, table.notNullColumns.contains(i) ? "NO" : "YES"]
        }
        return Database.textTable(["column_name", "column_type", "null"], rows)
    }

    /// The table called `name`, or an unknown-table error with a suggestion.
    func existingTable(_ name: Identifier) throws -> Table {
        guard let table = catalog.table(named: name.name) else {
            throw BindError.unknownTable(name.name, suggestion: nearestName(to: name.name, in: catalog.tableNames + catalog.viewNames),
                                         range: name.range)
        }
        return table
    }

    /// A batch as a table stores it: each vector of its column's type (a column of bare
    /// NULLs becomes NULLs of that type).
    static func stored(_ batch: Batch, as schema: [ColumnSchema]) -> Batch {
        var columns = batch.columns
        for i in columns.indices where i < schema.count {
            if case .null = columns[i].storage {
                columns[i] = Vector.nulls(type: schema[i].type, count: batch.count)
            } else {
                columns[i].type = schema[i].type
            }
        }
        return Batch(columns: columns, count: batch.count)
    }

    /// `1 row`, `1,204 rows`.
    static func count(_ n: Int, _ noun: String) -> String {
        "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")"
    }

    /// `1204` as `1,204`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

// Table constraints in statements: CREATE TABLE turns PRIMARY KEY, UNIQUE and DEFAULT into a
// table's `TableConstraints`; INSERT fills defaults in and refuses rows whose key is
// already taken, before any row is stored.

import AQSyntax

extension Database {
    /// The keys and defaults a CREATE TABLE declares over `columns`; primary key columns are
    /// added to `notNull`.
    func constraints(of create: CreateTable, columns: [ColumnSchema], notNull: inout Set<Int>,
                     source: Source, context: ExecutionContext) throws -> TableConstraints {
        var result = TableConstraints()
        var primaryRange: SourceRange?
        func addKey(_ key: UniqueKey, range: SourceRange) throws {
            if key.primary {
                if primaryRange != nil {
                    throw BindError.duplicatePrimaryKey(table: create.name.name, range: range)
                }
                primaryRange = range
                notNull.formUnion(key.columns)
            }
            result.keys.append(key)
        }
        for (i, c) in create.columns.enumerated() {
            if c.primaryKey { try addKey(UniqueKey(columns: [i], primary: true), range: c.name.range) }
            if c.unique && !c.primaryKey { try addKey(UniqueKey(columns: [i], primary: false), range: c.name.range) }
            if let expr = c.defaultValue {
                let value = ColumnDefault(expr: expr, source: source)
                // Bound once now so that a bad default is reported by CREATE, not by INSERT.
                _ = try bindDefault(value, type: columns[i].type, range: nil, now: context.now)
                result.defaults[i] = value
            }
        }
        for key in create.keys {
            var positions: [Int] = []
            for name in key.columns {
                guard let i = columns.firstIndex(where: { $0.name.lowercased() == name.name.lowercased() }) else {
                    throw BindError.unknownColumn(name.name, suggestion: nearestName(to: name.name, in: columns.map(\.name)),
                                                  range: name.range)
                }
                guard !positions.contains(i) else {
                    throw BindError.duplicateName(.keyColumn, name.name, range: name.range)
                }
                positions.append(i)
            }
            try addKey(UniqueKey(columns: positions, primary: key.primary), range: key.range)
        }
        return result
    }

    /// A column default bound for one statement, cast to the column's type. With `range`,
    /// runtime errors point there (the DEFAULT of a VALUES row, or the INSERT).
    func bindDefault(_ value: ColumnDefault, type: DataType, range: SourceRange?, now: Int64) throws -> BoundExpr {
        let binder = Binder(catalog: catalog, source: value.source, now: now)
        binder.settings = settings
        var bound = binder.coerce(try binder.bindConstantExpression(value.expr), to: type)
        var hasSubquery = false
        bound.forEachNode { if case .subquery = $0.kind { hasSubquery = true } }
        if hasSubquery {
            throw BindError.misplaced(.defaultSubquery, range: value.expr.range)
        }
        if let range {
            bound = bound.rewrite { node in
                var node = node
                node.range = range
                return node
            }
        }
        return bound
    }

    /// The expression that fills column `i` of `table` when an INSERT gives no value: its
    /// default, or NULL.
    func defaultValue(of table: Table, column i: Int, range: SourceRange, now: Int64) throws -> BoundExpr {
        guard let value = table.constraints.defaults[i] else { return .constant(.null, table.columns[i].type) }
        return try bindDefault(value, type: table.columns[i].type, range: range, now: now)
    }

    /// VALUES rows with each bare `DEFAULT` replaced by NULL, and where the DEFAULTs were
    /// (row, value position, range).
    static func defaultCells(_ rows: [[Expr]]) -> (rows: [[Expr]], cells: [(row: Int, column: Int, range: SourceRange)]) {
        var cells: [(row: Int, column: Int, range: SourceRange)] = []
        var out = rows
        for (r, row) in rows.enumerated() {
            for (j, e) in row.enumerated() {
                guard case .column(let parts) = e.kind, parts.count == 1, !parts[0].quoted,
                      parts[0].name == "default" else { continue }
                cells.append((r, j, e.range))
                out[r][j] = Expr(.literal(.null), range: e.range)
            }
        }
        return (out, cells)
    }

    /// Fails if a row of `batches` has a key (of a PRIMARY KEY or UNIQUE constraint) equal to
    /// that of a stored row or of an earlier new row. Keys with a NULL are never equal.
    func checkKeys(_ table: Table, _ batches: [Batch], range: SourceRange?) throws {
        let keys = table.constraints.keys
        guard !keys.isEmpty else { return }
        let indexes = table.constraints.indexes
        if indexes.tables.count != keys.count { indexes.tables = [KeyTable?](repeating: nil, count: keys.count) }
        for (k, key) in keys.enumerated() {
            let index = indexes.tables[k] ?? buildIndex(table, key)
            indexes.tables[k] = index
            var next = index.count
            for batch in batches {
                let ids = index.findOrInsert(key.columns.map { batch.columns[$0] }, count: batch.count, skippingNulls: true)
                for (row, id) in ids.enumerated() where id >= 0 {
                    if Int(id) == next {
                        next += 1
                        continue
                    }
                    // The index now holds keys of rows that will not be stored.
                    indexes.reset()
                    throw ExecutionError.failed(duplicateMessage(table, key, batch, row), range: range)
                }
            }
        }
    }

    /// The distinct keys of the rows stored in `table`.
    private func buildIndex(_ table: Table, _ key: UniqueKey) -> KeyTable {
        let index = KeyTable(types: key.columns.map { table.columns[$0].type })
        for (k, chunk) in table.storedChunks.enumerated() {
            let vectors = key.columns.map { table.vector(chunk: k, column: $0) ?? Vector.nulls(type: table.columns[$0].type, count: chunk.count) }
            _ = index.findOrInsert(vectors, count: chunk.count, skippingNulls: true)
        }
        return index
    }

    /// `duplicate key id = 3 violates the primary key of table t`.
    private func duplicateMessage(_ table: Table, _ key: UniqueKey, _ batch: Batch, _ row: Int) -> String {
        let names = key.columns.map { table.columns[$0].name }
        let values = key.columns.map { c -> String in
            let v = batch.columns[c]
            guard let text = v.text(at: row) else { return "NULL" }
            switch table.columns[c].type {
            case .integer, .double, .boolean: return text
            default: return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
            }
        }
        let shown = names.count == 1
            ? "\(names[0]) = \(values[0])"
            : "(\(names.joined(separator: ", "))) = (\(values.joined(separator: ", ")))"
        let constraint = key.primary ? "the primary key" : "a unique constraint"
        return "duplicate key \(shown) violates \(constraint) of table \(table.name)"
    }
}

extension Database {
    /// Runs a load into `events`; when a `CREATE TABLE events` gave it NOT NULL, PRIMARY KEY
    /// or UNIQUE columns, the loaded rows are checked as INSERT checks its rows, and a load
    /// that breaks one (or stops part-way) keeps nothing of its rows.
    func keepingConstraints(_ load: () throws -> LoadReport) throws -> LoadReport {
        guard let table = catalog.table(named: Table.eventsName),
              !table.notNullColumns.isEmpty || !table.constraints.keys.isEmpty else { return try load() }
        let before = table.chunks
        func restore() -> [Batch] {
            let added = Array(table.chunks.dropFirst(before.count))
            table.truncate()
            for chunk in before { table.append(chunk) }
            return added
        }
        let report: LoadReport
        do {
            report = try load()
        } catch let stopped as LoadStopped {
            _ = restore()
            throw LoadStopped(cause: stopped.cause, kept: [], filesNotRead: stopped.filesNotRead)
        } catch {
            _ = restore()
            throw error
        }
        let added = restore()
        do {
            for batch in added {
                for i in table.notNullColumns.sorted() where i < batch.columns.count {
                    let v = batch.columns[i]
                    if (0..<batch.count).contains(where: { v.isNull($0) }) {
                        throw ExecutionError.notNullViolation(column: table.columns[i].name, range: nil)
                    }
                }
            }
            try checkKeys(table, added, range: nil)
        } catch let error as ExecutionError {
            throw LoadStopped(cause: error, kept: [], filesNotRead: 0)
        }
        for batch in added { table.append(batch) }
        return report
    }
}

// What an embedding program adds to a database besides statements: records from memory,
// functions written in Swift, and the memory budget that loads, inserts and results keep to.

import AQSyntax

extension Database {
    /// Loads audit-log records held in memory into `events`: `bytes` are the contents of one
    /// file in any format `LOAD` reads (CloudTrail JSON, ACR audit CSV, JSON lines, …, gzip
    /// too), detected unless `format` names it; `name` stands for the file in the report and
    /// in errors. Past the memory limit, nothing is loaded and the error says so.
    ///
    ///     let data = try Data(contentsOf: url)            // or bytes from a socket
    ///     try db.load(bytes: data, name: "upload.json")
    @discardableResult
    public func load(bytes: some Sequence<UInt8>, name: String = "memory", format: String? = nil) throws -> LoadReport {
        let bytes = Array(bytes)
        return try writing {
            let base = catalog.table(named: Table.eventsName)?.rowCount ?? 0
            let report = try withinMemoryLimit(settings.memoryLimit) {
                try AuditLogLoader.load(bytes: bytes, name: name, format: format, into: catalog, cancellation: cancellation)
            }
            recordLoaded(report.files, from: base)
            return report
        }
    }

    /// Registers a scalar function written in Swift, callable from every later statement as
    /// `name(arguments…)`. `body` runs once per batch: it gets the argument columns, already
    /// cast to `arguments`, and the row count, and returns a column of `returns` with that many
    /// rows (`Vector.doubles(…)`, `.strings(…)`, …). An error it throws stops the statement
    /// with `function name failed: …`; the database goes on. Registering the same name and
    /// argument types again replaces the function; a built-in name cannot be taken. The body
    /// runs while its statement holds the database's shared lock: it may read the database,
    /// but a statement that writes to it from inside the body would wait for ever.
    ///
    ///     try db.createFunction("domain", arguments: [.varchar], returns: .varchar) { args, rows in
    ///         .strings(args[0].strings().map { $0?.split(separator: "@").last.map(String.init) })
    ///     }
    public func createFunction(_ name: String, arguments: [DataType], returns: DataType,
                               _ body: @escaping UserFunctionBody) throws {
        let key = name.lowercased()
        if Binder.functionNames.contains(key) { throw AQError.api(.functionExists(key)) }
        try writing { userFunctions.add(name: key, arguments: arguments, result: returns, body: body) }
    }

    /// An appender that adds rows to `table` (any table: `events` or one made by CREATE
    /// TABLE), checked against its columns' types and constraints.
    public func appender(table: String) throws -> Appender {
        try lock.reading {
            guard !isClosed else { throw AQError.api(.databaseClosed) }
            guard let found = catalog.table(named: table) else { throw AQError.api(.unknownTable(table)) }
            return Appender(database: self, table: found)
        }
    }

    /// Runs `body` (which adds rows to tables); if the tables then hold more than `limit`
    /// bytes, the rows it added and the tables it made are taken back and the memory limit
    /// error is thrown. The caller holds the lock alone.
    func withinMemoryLimit<T>(_ limit: Int?, _ body: () throws -> T) throws -> T {
        guard let limit else { return try body() }
        let before = catalog.allTables.map { (table: $0, chunks: $0.chunkCount) }
        let result = try body()
        let used = catalog.byteSize
        if used > limit {
            for name in catalog.tableNames { catalog.remove(named: name) }
            for (table, chunks) in before {
                table.keepChunks(chunks)
                catalog.add(table)
            }
            throw ExecutionError.limitExceeded(.memory(limit: limit, needed: used))
        }
        return result
    }

    /// Runs a query from inside a statement that holds the lock (SHOW SOURCES' counts).
    func nestedQuery(_ sql: String) throws -> StatementResult {
        let source = Source(sql)
        var last = StatementResult(message: "")
        for parsed in Parser.parseScript(source) {
            switch parsed {
            case .error(let error): throw AQError(error, source: source)
            case .statement(let statement):
                last = try run(statement, source: source, context: context(cancellation: cancellation))
            }
        }
        return last
    }
}

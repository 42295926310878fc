// SAVE and OPEN: the database to a store file and back (Persist/StoreFile). OPEN replaces
// the tables, views and loaded files only once the whole file has been read and checked, so
// a file that does not open leaves the database as it was.

import AQSyntax

extension Database {
    /// The store file opened last, or saved last: where `SAVE` without a name writes.
    public var openedStore: String? { lock.reading { storePath } }

    /// Opens a saved store: the one way in for the `OPEN` statement and `aq FILE.aqdb`.
    /// Throws `StoreFileError` (the database is then unchanged). The result says what was
    /// opened, its content hash, and in its notes the temporary files of interrupted saves
    /// that were removed (StaleTemporaries).
    @discardableResult
    public func open(path: String) throws -> StatementResult {
        try writing { try openUnlocked(path: path) }
    }

    /// Saves every table, view and the record of loaded files to `path` (crash-safe; see
    /// `StoreFile.write`).
    public func save(path: String) throws {
        try writing { _ = try saveUnlocked(path: path) }
    }

    func openUnlocked(path: String) throws -> StatementResult {
        let started = Clock.now
        // Into a database that holds nothing, nothing can be lost: the rows are checked and
        // decoded when a statement first reads them. Otherwise the whole file is checked
        // before anything is replaced.
        let holdsNothing = catalog.tableNames.isEmpty && catalog.viewNames.isEmpty && loadedFiles.isEmpty
        let contents = try StoreFile.read(path: path, deferring: holdsNothing)
        for name in catalog.tableNames { catalog.remove(named: name) }
        for name in catalog.viewNames { catalog.removeView(named: name) }
        for table in contents.tables { catalog.add(table) }
        for view in contents.views { catalog.add(view) }
        loadedFiles = contents.files
        rowsTable = catalog.table(named: Table.eventsName)
        coverageLock.locked { coverageCache = nil }
        storePath = path
        storeHash = contents.contentHash
        let rows = contents.tables.reduce(0) { $0 + $1.rowCount }
        var message = "opened \(path): \(Database.count(contents.tables.count, "table")), \(Database.count(rows, "row"))"
        if !contents.views.isEmpty { message += ", \(Database.count(contents.views.count, "view"))" }
        message += " in \(Database.seconds(Clock.seconds(since: started)))"
        if let hash = contents.contentHash { message += "; content hash \(ContentHash.text(hash))" }
        var result = StatementResult(message: message)
        result.notes = StoreFile.removeStaleTemporaries(of: path).map(\.note)
        return result
    }

    /// Reads the rows of every table still in its store file (`Table.materialize`): before a
    /// statement that changes or writes tables. Throws what is wrong with the file.
    func materializeTables() throws {
        for table in catalog.allTables { try table.materialize() }
    }

    func saveUnlocked(path: String?) throws -> StatementResult {
        guard let target = path ?? storePath else { throw StoreFileError.nothingOpen }
        let started = Clock.now
        try materializeTables()
        let stale = StoreFile.removeStaleTemporaries(of: target)
        let contents = StoreContents(tables: catalog.allTables, views: catalog.allViews, files: loadedFiles)
        let hash = try StoreFile.write(contents, to: target)
        storePath = target
        storeHash = hash
        let rows = contents.tables.reduce(0) { $0 + $1.rowCount }
        var result = StatementResult(message: "saved \(Database.count(contents.tables.count, "table")), \(Database.count(rows, "row")) to \(target)"
                                     + " in \(Database.seconds(Clock.seconds(since: started))); content hash \(ContentHash.text(hash))")
        result.notes = stale.map(\.note)
        return result
    }
}

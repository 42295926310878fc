// EXPLAIN CLICKHOUSE and `aq translate --to clickhouse`: statements in ClickHouse's SQL,
// and the table they run on.

import AQSyntax

extension Database {
    /// The translator for a source, knowing the catalog's tables.
    func clickHouseTranslator(_ source: Source) -> ClickHouseTranslator {
        var tables: [String: [ColumnSchema]] = [:]
        for name in catalog.tableNames {
            if let t = catalog.table(named: name) { tables[name.lowercased()] = t.columns }
        }
        if tables["events"] == nil { tables["events"] = EventColumn.allCases.map { ColumnSchema(name: $0.name, type: $0.type) } }
        return ClickHouseTranslator(tables: tables, source: source)
    }

    func clickHouseSQL(of statement: Statement, source: Source) throws -> String {
        try clickHouseTranslator(source).translate(statement)
    }

    func clickHouseDDL(location: String?) -> String {
        ClickHouseDDL.script(events: catalog.table(named: "events"), location: location)
    }

    /// A whole script in ClickHouse's SQL, statement by statement, each ending with `;`.
    /// SET VARIABLE statements become comments whose values appear where `$name` is used.
    public func translateToClickHouse(_ source: Source) throws -> String {
        let translator = clickHouseTranslator(source)
        var out: [String] = []
        for parsed in Parser.parseScript(source) {
            guard case .statement(let statement) = parsed else {
                if case .error(let error) = parsed { throw AQError(error, source: source) }
                continue
            }
            do {
                let sql = try translator.translate(statement)
                out.append(sql.hasPrefix("--") ? sql : sql + ";")
            } catch let error as TranslateError {
                throw AQError(error, source: source)
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }
}

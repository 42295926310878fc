// aq statements as ClickHouse SQL, translated from the syntax tree. Names are resolved as
// aq resolves them — a bare name is an input column before it is an output alias — and
// written so that ClickHouse, where aliases win, reads them the same way: every input
// column qualified by its table. Where ClickHouse's defaults differ from aq's, the
// translation says what aq means: NULLS LAST written out, LEFT JOIN NULLs through
// join_use_nulls, `//` as intDiv, set operations as ALL or DISTINCT, ORDER BY over a set
// operation around it, script parameters as query parameters `{name:Type}`.

import AQSyntax

public final class ClickHouseTranslator {
    /// Columns of the tables a statement may name (the catalog's).
    var tables: [String: [ColumnSchema]]
    let source: Source
    /// `SET VARIABLE name = e` seen so far: `$name` stands for e (translated).
    var variables: [String: String] = [:]
    /// CTE names in scope, with their columns when known.
    var ctes: [[String: [String]?]] = []

    /// Settings every query runs with, so that ClickHouse answers as aq does.
    public static let settings = [
        "join_use_nulls = 1",
        "function_json_value_return_type_allow_nullable = 1",
        "function_json_value_return_type_allow_complex = 1",
    ]

    public init(tables: [String: [ColumnSchema]], source: Source) {
        self.tables = tables
        self.source = source
    }

    /// One statement's ClickHouse SQL (no trailing `;`). A SET VARIABLE gives a comment: its
    /// value is put where `$name` is used.
    public func translate(_ statement: Statement) throws -> String {
        switch statement.kind {
        case .query(let q):
            return try query(q, Scope(parent: nil)) + settingsClause
        case .timeline(let q):
            return try timeline(q) + settingsClause
        case .summary(let q):
            return try summary(q) + settingsClause
        case .explain(let inner), .explainAnalyze(let inner), .explainClickHouse(let inner):
            return "EXPLAIN " + (try translate(inner))
        case .createTable(let c):
            let name = identifier(c.name.name)
            if let q = c.asQuery {
                let replace = c.orReplace ? "OR REPLACE " : ""
                let ifNot = c.ifNotExists ? "IF NOT EXISTS " : ""
                let (sql, names) = try queryWithNames(q, Scope(parent: nil))
                // Later statements resolve names against the new table; its types are not known here.
                tables[c.name.name.lowercased()] = names.map { ColumnSchema(name: $0 ?? "", type: .null) }
                return "CREATE \(replace)TABLE \(ifNot)\(name) ENGINE = Memory AS\n" + sql + settingsClause
            }
            let columns = try c.columns.map { col -> String in
                guard let type = ClickHouseTypes.dataType(col.type) else {
                    throw TranslateError.untranslatable(part: "type \(col.type.name)", reason: "aq has no such type",
                                                        range: col.type.range)
                }
                let t = ClickHouseTypes.name(type)
                if case .list = type { return identifier(col.name.name) + " " + t }
                return identifier(col.name.name) + " " + (col.notNull || col.primaryKey ? t : "Nullable(\(t))")
            }
            tables[c.name.name.lowercased()] = try c.columns.map { col in
                guard let type = ClickHouseTypes.dataType(col.type) else {
                    throw TranslateError.untranslatable(part: "type \(col.type.name)", reason: "aq has no such type",
                                                        range: col.type.range)
                }
                return ColumnSchema(name: col.name.name, type: type)
            }
            return "CREATE \(c.orReplace ? "OR REPLACE " : "")TABLE \(c.ifNotExists ? "IF NOT EXISTS " : "")\(name) (\n    "
                + columns.joined(separator: ",\n    ") + "\n) ENGINE = Memory"
        case .createView(let v):
            guard v.columnNames.isEmpty else {
                throw TranslateError.untranslatable(part: "a view's column list", reason: "ClickHouse views take their names from the SELECT",
                                                    range: v.name.range)
            }
            return "CREATE \(v.orReplace ? "OR REPLACE " : "")VIEW \(identifier(v.name.name)) AS\n"
                + (try query(v.query, Scope(parent: nil)))
        case .dropTable(let name, let ifExists):
            return "DROP TABLE \(ifExists ? "IF EXISTS " : "")\(identifier(name.name))"
        case .dropView(let name, let ifExists):
            return "DROP VIEW \(ifExists ? "IF EXISTS " : "")\(identifier(name.name))"
        case .createSequence(let s):
            throw TranslateError.untranslatable(part: "CREATE SEQUENCE", reason: "ClickHouse has no sequences", range: s.name.range)
        case .dropSequence(let name, _):
            throw TranslateError.untranslatable(part: "DROP SEQUENCE", reason: "ClickHouse has no sequences", range: name.range)
        case .insert(let insert):
            let columns = insert.columns.map { " (" + $0.map { identifier($0.name) }.joined(separator: ", ") + ")" } ?? ""
            switch insert.source {
            case .values(let rows):
                let scope = Scope(parent: nil)
                let values = try rows.map { row in "(" + (try row.map { try expr($0, scope) }.joined(separator: ", ")) + ")" }
                return "INSERT INTO \(identifier(insert.table.name))\(columns) VALUES " + values.joined(separator: ", ")
            case .query(let q):
                return "INSERT INTO \(identifier(insert.table.name))\(columns)\n" + (try query(q, Scope(parent: nil)))
                    + settingsClause
            }
        case .showTables:
            return "SHOW TABLES"
        case .describe(let name):
            return "DESCRIBE TABLE \(identifier(name.name))"
        case .setVariable(let name, let value):
            let translated = try variableValue(name.name, value)
            variables[name.name] = translated
            return "-- $\(name.name) = " + translated.split(separator: "\n").map { $0.trimmingPrefixSpaces }.joined(separator: " ")
        case .load:
            throw untranslatable("LOAD", "ClickHouse loads logs with INSERT … SELECT FROM file() or s3(); see EXPLAIN CLICKHOUSE DDL", statement.range)
        case .save:
            throw untranslatable("SAVE", "a saved aq store is not a ClickHouse table; export it with COPY … (FORMAT parquet)", statement.range)
        case .open:
            throw untranslatable("OPEN", "a saved aq store is not a ClickHouse table; export it with COPY … (FORMAT parquet)", statement.range)
        case .copy:
            throw untranslatable("COPY", "write the file with aq, or with ClickHouse's INSERT INTO FUNCTION file()", statement.range)
        case .set, .showSources, .showRawPaths, .explainClickHouseDDL:
            throw untranslatable(Self.firstWord(of: statement, in: source), "it is an aq session command", statement.range)
        }
    }

    var settingsClause: String { "\nSETTINGS " + ClickHouseTranslator.settings.joined(separator: ", ") }

    func untranslatable(_ part: String, _ reason: String, _ range: SourceRange) -> TranslateError {
        .untranslatable(part: part, reason: reason, range: range)
    }

    static func firstWord(of statement: Statement, in source: Source) -> String {
        let text = source.text(statement.range)
        return String(text.prefix(while: { !$0.isWhitespace })).uppercased()
    }

    /// A name as ClickHouse reads it: bare when it is a plain word, else in backquotes.
    func identifier(_ name: String) -> String {
        let plain = name.utf8.first.map { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) } ?? false
            && name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
        if plain { return name }
        return "`" + name.replacingBytes(of: UInt8(ascii: "`"), with: "\\`") + "`"
    }

    /// A string literal as ClickHouse reads it (backslashes are escapes there).
    func string(_ s: String) -> String {
        var out = "'"
        for ch in s.unicodeScalars {
            switch ch {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "'"
    }

    /// `SET VARIABLE x = coalesce(getvariable('x'), default)` — the idiom of the shipped
    /// scripts — becomes `coalesce({x:Nullable(String)}, toString(default))`: a parameter
    /// given from outside as text (as `--param` gives it), else the default.
    func variableValue(_ name: String, _ value: Expr) throws -> String {
        let scope = Scope(parent: nil)
        if case .function(let call) = value.kind, call.name.name == "coalesce", call.arguments.count == 2,
           case .function(let get) = call.arguments[0].kind, get.name.name == "getvariable",
           get.arguments.count == 1, case .literal(.string(let n)) = get.arguments[0].kind, n == name {
            return "coalesce({\(name):Nullable(String)}, toString(\(try expr(call.arguments[1], scope))))"
        }
        return try expr(value, scope)
    }
}

extension Substring {
    var trimmingPrefixSpaces: Substring { drop(while: { $0 == " " }) }
}

extension String {
    func replacingBytes(of byte: UInt8, with replacement: String) -> String {
        var out: [UInt8] = []
        for b in utf8 {
            if b == byte { out.append(contentsOf: replacement.utf8) } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The FROM items visible to an expression, innermost query first.
final class Scope {
    struct Item {
        var qualifier: String
        /// nil when the item's columns are not known.
        var columns: [String]?
    }

    var items: [Item] = []
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    /// The qualifier of the nearest FROM item that has a column `name`.
    func qualifier(of name: String) -> String? {
        let lower = name.lowercased()
        for item in items where item.columns?.contains(where: { $0.lowercased() == lower }) ?? false {
            return item.qualifier
        }
        return parent?.qualifier(of: name)
    }

    /// Every column of the items (or of one qualifier), for `*`.
    func columns(qualifier: String?) -> [String]? {
        var out: [String] = []
        for item in items where qualifier == nil || item.qualifier.lowercased() == qualifier?.lowercased() {
            guard let c = item.columns else { return nil }
            out += c
        }
        return out
    }
}

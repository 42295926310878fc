// A compact S-expression form of the syntax tree, for golden tests and for looking at what
// the parser made of a statement: `SELECT a + 1 FROM t` → `(select ((+ a 1)) (from t))`.

extension Statement {
    /// The statement as an S-expression.
    public var dump: String { ASTDump.statement(self) }
}

extension Expr {
    /// The expression as an S-expression.
    public var dump: String { ASTDump.expr(self) }
}

/// Turns syntax nodes into S-expressions. Names print folded (quoted ones in double quotes),
/// strings in single quotes, and optional parts only when present.
enum ASTDump {
    static func statement(_ s: Statement) -> String {
        switch s.kind {
        case .query(let q): return query(q)
        case .explain(let inner): return "(explain \(statement(inner)))"
        case .explainAnalyze(let inner): return "(explain-analyze \(statement(inner)))"
        case .createTable(let c):
            var out = "(create-table \(name(c.name))"
            if c.orReplace { out += " or-replace" }
            if c.ifNotExists { out += " if-not-exists" }
            if let q = c.asQuery {
                out += " (as \(query(q)))"
            } else {
                out += " (" + c.columns.map { col in
                    var s = "(\(name(col.name)) \(type(col.type))"
                    if col.notNull { s += " not-null" }
                    if col.primaryKey { s += " primary-key" }
                    if col.unique { s += " unique" }
                    if let d = col.defaultValue { s += " (default \(expr(d)))" }
                    return s + ")"
                }.joined(separator: " ")
                for key in c.keys {
                    out += " (\(key.primary ? "primary-key" : "unique") " + key.columns.map(name).joined(separator: " ") + ")"
                }
                out += ")"
            }
            return out + ")"
        case .insert(let i):
            var out = "(insert \(name(i.table))"
            if let cols = i.columns { out += " (" + cols.map(name).joined(separator: " ") + ")" }
            switch i.source {
            case .values(let rows): out += " " + values(rows)
            case .query(let q): out += " " + query(q)
            }
            return out + ")"
        case .dropTable(let n, let ifExists):
            return "(drop-table \(name(n))\(ifExists ? " if-exists" : ""))"
        case .showTables: return "(show-tables)"
        case .showSources: return "(show-sources)"
        case .showRawPaths(let table): return table.map { "(show-raw-paths \($0.name))" } ?? "(show-raw-paths)"
        case .setVariable(let n, let value): return "(set-variable \(name(n)) \(expr(value)))"
        case .timeline(let q): return "(timeline " + eventQuery(q) + ")"
        case .summary(let q): return "(summary " + eventQuery(q) + ")"
        case .createView(let v):
            let columns = v.columnNames.isEmpty ? "" : " (" + v.columnNames.map(name).joined(separator: " ") + ")"
            return "(create-view\(v.orReplace ? " or-replace" : "") \(name(v.name))\(columns) \(query(v.query)))"
        case .dropView(let n, let ifExists):
            return "(drop-view \(name(n))\(ifExists ? " if-exists" : ""))"
        case .createSequence(let s):
            return "(create-sequence\(s.orReplace ? " or-replace" : "")\(s.ifNotExists ? " if-not-exists" : "") \(name(s.name))"
                + (s.start.map { " (start \($0))" } ?? "") + " (increment \(s.increment)))"
        case .dropSequence(let n, let ifExists):
            return "(drop-sequence \(name(n))\(ifExists ? " if-exists" : ""))"
        case .describe(let n): return "(describe \(name(n)))"
        case .set(let setting):
            guard let value = setting.value else { return "(reset \(name(setting.name)))" }
            return "(set \(name(setting.name)) \(string(value)))"
        case .load(let l):
            var out = "(load \(string(l.path))"
            if let t = l.table { out += " (as \(name(t)))" }
            if let f = l.format { out += " (format \(name(f)))" }
            if l.force { out += " force" }
            return out + ")"
        case .open(let path, _):
            return "(open \(string(path)))"
        case .save(let path, _):
            return path.map { "(save \(string($0)))" } ?? "(save)"
        case .copy(let c):
            let source: String
            switch c.source {
            case .table(let t): source = name(t)
            case .query(let q): source = query(q)
            }
            let options = c.options.map { o -> String in
                var out = "(" + name(o.name)
                switch o.value {
                case .word(let w)?: out += " " + string(w)
                case .integer(let n)?: out += " \(n)"
                case .boolean(let b)?: out += b ? " true" : " false"
                case .columns(let cs)?: out += " (" + cs.map(name).joined(separator: " ") + ")"
                case nil: break
                }
                return out + ")"
            }
            return "(copy \(source) \(string(c.path))" + (options.isEmpty ? "" : " " + options.joined(separator: " ")) + ")"
        case .explainClickHouse(let inner): return "(explain-clickhouse \(statement(inner)))"
        case .explainClickHouseDDL(let location):
            return "(explain-clickhouse-ddl" + (location.map { " " + string($0) } ?? "") + ")"
        }
    }

    static func eventQuery(_ q: EventQuery) -> String {
        var out = expr(q.filter)
        switch q.window {
        case .since(let d): out += " (since \(expr(d)))"
        case .between(let from, let to): out += " (from \(expr(from)) \(expr(to)))"
        case nil: break
        }
        if let limit = q.limit { out += " (limit \(expr(limit)))" }
        return out
    }

    static func query(_ q: Query) -> String {
        if q.with.isEmpty && q.orderBy.isEmpty && q.limit == nil && q.offset == nil {
            return body(q.body)
        }
        var out = "(query"
        if !q.with.isEmpty {
            out += " (with " + q.with.map { cte in
                var s = "(\(name(cte.name))"
                if !cte.columnNames.isEmpty { s += " (" + cte.columnNames.map(name).joined(separator: " ") + ")" }
                return s + " \(query(cte.query)))"
            }.joined(separator: " ") + ")"
        }
        out += " " + body(q.body)
        if !q.orderBy.isEmpty { out += " " + orderBy(q.orderBy) }
        if let limit = q.limit { out += " (limit \(expr(limit)))" }
        if let offset = q.offset { out += " (offset \(expr(offset)))" }
        return out + ")"
    }

    static func body(_ b: QueryBody) -> String {
        switch b {
        case .select(let s): return select(s)
        case .setOperation(let op, let all, let l, let r, _):
            return "(\(op.rawValue.lowercased())\(all ? "-all" : "") \(body(l)) \(body(r)))"
        case .nested(let q): return "(nested \(query(q)))"
        case .values(let rows, _): return values(rows)
        }
    }

    static func values(_ rows: [[Expr]]) -> String {
        "(values " + rows.map { "(" + $0.map(expr).joined(separator: " ") + ")" }.joined(separator: " ") + ")"
    }

    static func select(_ s: Select) -> String {
        var out = "(select"
        if s.distinct { out += " distinct" }
        if !s.distinctOn.isEmpty { out += " (on " + s.distinctOn.map(expr).joined(separator: " ") + ")" }
        out += " (" + s.items.map(selectItem).joined(separator: " ") + ")"
        if let from = s.from { out += " (from \(table(from)))" }
        if let w = s.whereClause { out += " (where \(expr(w)))" }
        switch s.groupBy {
        case .none: break
        case .all?: out += " (group-by all)"
        case .expressions(let exprs)?: out += " (group-by " + exprs.map(expr).joined(separator: " ") + ")"
        }
        if let h = s.having { out += " (having \(expr(h)))" }
        for w in s.windows { out += " (window \(name(w.name)) \(window(w.spec)))" }
        if let q = s.qualify { out += " (qualify \(expr(q)))" }
        return out + ")"
    }

    static func selectItem(_ item: SelectItem) -> String {
        switch item {
        case .expression(let e, let alias):
            guard let alias else { return expr(e) }
            return "(as \(expr(e)) \(name(alias)))"
        case .star(let qualifier, let exclude, let replace, _):
            var star = qualifier.map { name($0) + ".*" } ?? "*"
            if !exclude.isEmpty { star = "(\(star) exclude " + exclude.map(name).joined(separator: " ") + ")" }
            if replace.isEmpty { return star }
            return "(\(star) replace " + replace.map { "(as \(expr($0.expr)) \(name($0.column)))" }
                .joined(separator: " ") + ")"
        }
    }

    static func table(_ t: TableReference) -> String {
        switch t {
        case .table(let n, let alias, _):
            guard let alias else { return name(n) }
            return "(as \(name(n)) \(name(alias)))"
        case .subquery(let q, let alias, let columns, _):
            var out = "(subquery \(query(q))"
            if let alias { out += " \(name(alias))" }
            if !columns.isEmpty { out += " (" + columns.map(name).joined(separator: " ") + ")" }
            return out + ")"
        case .function(let call, let alias, let columns, let range):
            var out = "(table-function \(expr(Expr(.function(call), range: range)))"
            if let alias { out += " \(name(alias))" }
            if !columns.isEmpty { out += " (" + columns.map(name).joined(separator: " ") + ")" }
            return out + ")"
        case .join(let kind, let l, let r, let on, _):
            var out = "(\(kind.rawValue.lowercased())-join \(table(l)) \(table(r))"
            if let on { out += " \(expr(on))" }
            return out + ")"
        }
    }

    static func orderBy(_ items: [OrderItem]) -> String {
        "(order-by " + items.map { item in
            if !item.descending && item.nullsFirst == nil { return expr(item.expr) }
            var out = "(\(expr(item.expr))"
            out += item.descending ? " desc" : " asc"
            if let nullsFirst = item.nullsFirst { out += nullsFirst ? " nulls-first" : " nulls-last" }
            return out + ")"
        }.joined(separator: " ") + ")"
    }

    static func expr(_ e: Expr) -> String {
        func not(_ negated: Bool) -> String { negated ? "not-" : "" }
        switch e.kind {
        case .literal(let l): return literal(l)
        case .column(let parts): return parts.map(name).joined(separator: ".")
        case .star(let qualifier): return qualifier.map { name($0) + ".*" } ?? "*"
        case .unary(let op, let operand): return "(\(op.rawValue.lowercased()) \(expr(operand)))"
        case .binary(let op, let l, let r): return "(\(op.rawValue.lowercased()) \(expr(l)) \(expr(r)))"
        case .between(let v, let low, let high, let negated):
            return "(\(not(negated))between \(expr(v)) \(expr(low)) \(expr(high)))"
        case .inList(let v, let list, let negated):
            return "(\(not(negated))in \(expr(v)) (" + list.map(expr).joined(separator: " ") + "))"
        case .inSubquery(let v, let q, let negated):
            return "(\(not(negated))in \(expr(v)) \(query(q)))"
        case .exists(let q): return "(exists \(query(q)))"
        case .subquery(let q): return "(subquery \(query(q)))"
        case .isNull(let v, let negated): return "(is-\(not(negated))null \(expr(v)))"
        case .isDistinctFrom(let l, let r, let negated):
            return "(is-\(not(negated))distinct-from \(expr(l)) \(expr(r)))"
        case .isBoolean(let v, let value, let negated):
            return "(is-\(not(negated))\(value) \(expr(v)))"
        case .like(let v, let pattern, let ci, let negated, let escape):
            var out = "(\(not(negated))\(ci ? "ilike" : "like") \(expr(v)) \(expr(pattern))"
            if let escape { out += " (escape \(expr(escape)))" }
            return out + ")"
        case .caseWhen(let operand, let whens, let elseResult):
            var out = "(case"
            if let operand { out += " \(expr(operand))" }
            for w in whens { out += " (when \(expr(w.condition)) \(expr(w.result)))" }
            if let elseResult { out += " (else \(expr(elseResult)))" }
            return out + ")"
        case .cast(let v, let t, let isTry):
            return "(\(isTry ? "try-cast" : "cast") \(expr(v)) \(type(t)))"
        case .function(let f):
            var out = "(call \(name(f.name))"
            if f.distinct { out += " distinct" }
            if f.star { out += " *" }
            for a in f.arguments { out += " \(expr(a))" }
            if !f.orderBy.isEmpty { out += " " + orderBy(f.orderBy) }
            if let filter = f.filter { out += " (filter \(expr(filter)))" }
            if f.ignoreNulls { out += " ignore-nulls" }
            if let over = f.over { out += " " + window(over) }
            return out + ")"
        case .interval(let v, let unit):
            return "(interval \(expr(v))\(unit.map { " " + $0 } ?? ""))"
        case .parameter(let n): return "$" + name(n)
        case .list(let items): return "(list" + items.map { " " + expr($0) }.joined() + ")"
        }
    }

    static func window(_ w: WindowSpec) -> String {
        var out = "(over"
        if let base = w.base { out += " \(name(base))" }
        if !w.partitionBy.isEmpty { out += " (partition " + w.partitionBy.map(expr).joined(separator: " ") + ")" }
        if !w.orderBy.isEmpty { out += " " + orderBy(w.orderBy) }
        if let f = w.frame {
            func bound(_ b: FrameBound) -> String {
                switch b {
                case .unboundedPreceding: return "unbounded-preceding"
                case .preceding(let e): return "(preceding \(expr(e)))"
                case .currentRow: return "current-row"
                case .following(let e): return "(following \(expr(e)))"
                case .unboundedFollowing: return "unbounded-following"
                }
            }
            out += " (\(f.unit.rawValue.lowercased()) \(bound(f.start)) \(bound(f.end))"
            if f.exclude != .noOthers { out += " exclude-" + String(f.exclude.rawValue.lowercased().map { $0 == " " ? "-" : $0 }) }
            out += ")"
        }
        return out + ")"
    }

    static func literal(_ l: Literal) -> String {
        switch l {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let digits), .double(let digits): return digits
        case .string(let s): return string(s)
        case .duration(let value, let unit): return "(duration \(value) \(unit.rawValue))"
        case .typed(let t, let s): return "(\(type(t)) \(string(s)))"
        }
    }

    static func type(_ t: TypeName) -> String {
        let name = t.name.contains(" ") ? "\"\(t.name)\"" : t.name
        if t.arguments.isEmpty { return name }
        return name + "(" + t.arguments.map(String.init).joined(separator: ",") + ")"
    }

    static func name(_ id: Identifier) -> String {
        id.quoted ? "\"" + doubling("\"", in: id.name) + "\"" : id.name
    }

    static func string(_ s: String) -> String {
        "'" + doubling("'", in: s) + "'"
    }

    /// The text with every `quote` doubled, as SQL writes it inside quotes.
    static func doubling(_ quote: Character, in text: String) -> String {
        var out = ""
        for c in text {
            if c == quote { out.append(c) }
            out.append(c)
        }
        return out
    }
}

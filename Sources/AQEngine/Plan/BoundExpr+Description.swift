// Bound expressions as text: SQL-like for EXPLAIN and column names, and a structural key
// (column positions and types included) that tells whether two expressions are the same.

extension BoundExpr: CustomStringConvertible {
    /// SQL-like text with column names: `(time >= TIMESTAMP '2024-04-12 00:00:00')`.
    public var description: String { render(structural: false) }

    /// A key equal for two expressions exactly when they compute the same thing over the
    /// same input: GROUP BY matching, ORDER BY against the select list, deduplication.
    public var structuralKey: String { render(structural: true) }

    func render(structural s: Bool) -> String {
        func r(_ e: BoundExpr) -> String { e.render(structural: s) }
        func list(_ es: [BoundExpr]) -> String { es.map(r).joined(separator: ", ") }
        switch kind {
        case .constant(let v):
            let text = BoundExpr.literalText(v)
            return s ? "\(text)::\(type)" : text
        case .column(let index, let name):
            return s ? "#\(index)" : BoundExpr.quotedName(name)
        case .parameter(let index, let name):
            return s ? "$\(index)" : "$" + name
        case .cast(let x, let isTry):
            return "\(isTry ? "TRY_CAST" : "CAST")(\(r(x)) AS \(type))"
        case .call(let fn, let args):
            return "\(fn.name)(\(list(args)))"
        case .compare(let op, let a, let b):
            return "(\(r(a)) \(op.rawValue) \(r(b)))"
        case .arithmetic(let op, let a, let b):
            return "(\(r(a)) \(op.rawValue) \(r(b)))"
        case .negate(let x):
            return "(- \(r(x)))"
        case .and(let xs):
            return "(" + xs.map(r).joined(separator: " AND ") + ")"
        case .or(let xs):
            return "(" + xs.map(r).joined(separator: " OR ") + ")"
        case .not(let x):
            return "(NOT \(r(x)))"
        case .isNull(let x, let negated):
            return "(\(r(x)) IS \(negated ? "NOT " : "")NULL)"
        case .isDistinctFrom(let a, let b, let negated):
            return "(\(r(a)) IS \(negated ? "NOT " : "")DISTINCT FROM \(r(b)))"
        case .inList(let x, let items, let negated):
            return "(\(r(x)) \(negated ? "NOT " : "")IN (\(list(items))))"
        case .inSet(let x, let set, let negated):
            let body = s ? "set@\(ObjectIdentifier(set).hashValue)" : "\(set.values.count) values"
            return "(\(r(x)) \(negated ? "NOT " : "")IN <\(body)>)"
        case .like(let x, let pattern, let ci, let negated, let escape):
            let op = (negated ? "NOT " : "") + (ci ? "ILIKE" : "LIKE")
            return "(\(r(x)) \(op) \(r(pattern))" + (escape.map { " ESCAPE \(r($0))" } ?? "") + ")"
        case .caseWhen(let whens, let elseResult):
            var out = "CASE"
            for w in whens { out += " WHEN \(r(w.condition)) THEN \(r(w.result))" }
            if let e = elseResult { out += " ELSE \(r(e))" }
            return out + " END"
        case .coalesce(let xs):
            return "coalesce(\(list(xs)))"
        case .subquery(let sub):
            // A subquery is the same expression as another only when bound from the same
            // text (a GROUP BY position or alias and its select item) with the same parameters.
            let at = sub.range.map { "\($0.start)-\($0.end)" } ?? "#\(sub.id)"
            var tag = s ? "SUBQUERY@" + at : "SUBQUERY"
            if sub.isCorrelated { tag += "[" + list(sub.parameters) + "]" }
            switch sub.kind {
            case .scalar: return "(\(tag))"
            case .exists: return "EXISTS(\(tag))"
            case .inList(let probe, let negated): return "(\(r(probe)) \(negated ? "NOT " : "")IN (\(tag)))"
            }
        }
    }

    /// A value as a SQL literal: `42`, `'it''s'`, `TIMESTAMP '2024-04-12 08:00:00'`.
    public static func literalText(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let x): return String(x)
        case .double(let x): return String(x)
        case .varchar(let x): return "'" + doubling(x, "'") + "'"
        case .json(let x): return "JSON '" + doubling(x, "'") + "'"
        case .date(let d): return "DATE '\(TimeMath.formatDate(d))'"
        case .timestamp(let t): return "TIMESTAMP '\(TimeMath.formatTimestamp(t))'"
        case .interval(let i): return "INTERVAL '\(TimeMath.formatInterval(i))'"
        case .list(let elements, _): return "[" + elements.map(literalText).joined(separator: ", ") + "]"
        }
    }

    /// A column name as written in a plan: bare when it is a plain lower-case word.
    static func quotedName(_ name: String) -> String {
        let plain = !name.isEmpty && name.utf8.allSatisfy { c in
            (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95
        } && !(name.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? false)
        return plain ? name : "\"" + doubling(name, "\"") + "\""
    }
}

extension BoundAggregate: CustomStringConvertible {
    /// `count_star()`, `count(DISTINCT actor)`, `sum(x) FILTER (WHERE (x > 0))`.
    public var description: String { render(structural: false) }

    public var structuralKey: String { render(structural: true) }

    func render(structural s: Bool) -> String {
        var out = function.rawValue + "("
        if distinct { out += "DISTINCT " }
        out += arguments.map { $0.render(structural: s) }.joined(separator: ", ")
        if !orderBy.isEmpty {
            out += " ORDER BY " + orderBy.map { $0.render(structural: s) }.joined(separator: ", ")
        }
        out += ")"
        if let filter { out += " FILTER (WHERE \(filter.render(structural: s)))" }
        return out
    }
}

extension BoundSortKey: CustomStringConvertible {
    /// `count DESC`, `time ASC NULLS FIRST` (the NULLs placement shown only when not the default).
    public var description: String { render(structural: false) }

    func render(structural s: Bool) -> String {
        var out = expr.render(structural: s) + (descending ? " DESC" : " ASC")
        if nullsFirst { out += " NULLS FIRST" }
        return out
    }
}

/// `text` with every `quote` doubled, as SQL writes a quote inside quotes.
func doubling(_ text: String, _ quote: Character) -> String {
    guard text.contains(quote) else { return text }
    var out = ""
    for c in text {
        out.append(c)
        if c == quote { out.append(c) }
    }
    return out
}

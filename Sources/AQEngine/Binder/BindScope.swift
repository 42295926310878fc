// The names visible to an expression: the columns of the FROM clause, each with the
// relation (table, alias, subquery) it belongs to, and the enclosing query's scope.

import AQSyntax

/// A column an expression can refer to; `index` is its position in the input batch.
struct ScopeColumn {
    /// The alias or table name of the relation, nil for an unnamed subquery.
    var qualifier: String?
    var name: String
    var type: DataType
    var index: Int
}

/// The columns of a FROM clause in input order. `parent` is the scope of the query that
/// contains this one: for a subquery in an expression, a boundary scope (no columns, a
/// `frame`) whose own parent is the scope of the expression the subquery stands in. A name
/// found only beyond the boundary is a correlated reference (`Binder+Correlation`).
final class BindScope {
    private(set) var columns: [ScopeColumn]
    let parent: BindScope?
    /// Set on a subquery's boundary scope: collects the subquery's parameters.
    let frame: CorrelationFrame?

    init(columns: [ScopeColumn] = [], parent: BindScope?, frame: CorrelationFrame? = nil) {
        self.columns = columns
        self.parent = parent
        self.frame = frame
    }

    /// A scope over one relation's columns, named by `qualifier`.
    convenience init(qualifier: String?, schema: [ColumnSchema], parent: BindScope?) {
        let columns = schema.enumerated().map {
            ScopeColumn(qualifier: qualifier, name: $1.name, type: $1.type, index: $0)
        }
        self.init(columns: columns, parent: parent)
    }

    /// The columns of `left` followed by those of `right` (a join's input).
    static func joined(_ left: BindScope, _ right: BindScope, parent: BindScope?) -> BindScope {
        let offset = left.columns.count
        let shifted = right.columns.map { c -> ScopeColumn in
            var c = c
            c.index += offset
            return c
        }
        return BindScope(columns: left.columns + shifted, parent: parent)
    }

    /// Qualifiers of the relations in scope, in order, without repeats.
    var qualifiers: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for c in columns {
            if let q = c.qualifier, seen.insert(q.lowercased()).inserted { out.append(q) }
        }
        return out
    }

    /// Whether any relation in scope is called `qualifier`.
    func hasQualifier(_ qualifier: String) -> Bool {
        columns.contains { $0.qualifier.map { Self.same($0, qualifier) } ?? false }
    }

    /// Resolves `name` or `qualifier.name` among this scope's columns; nil when it is not
    /// one of them but an enclosing query's; otherwise throws the error the user should see.
    func resolve(_ parts: [Identifier], range: SourceRange) throws -> ScopeColumn? {
        let shown = parts.map(\.name).joined(separator: ".")
        guard parts.count <= 2, let last = parts.last else {
            throw BindError.tooManyNameParts(shown, range: range)
        }
        let qualifier = parts.count == 2 ? parts[0] : nil
        if let qualifier, !hasQualifier(qualifier.name) {
            if parent?.findsColumn(parts) == true { return nil }
            throw BindError.unknownTable(qualifier.name, suggestion: nearestName(to: qualifier.name, in: qualifiers),
                                         range: qualifier.range)
        }
        let matches = candidates(name: last.name, qualifier: qualifier?.name)
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw BindError.ambiguousColumn(shown, range: range) }
        if parent?.findsColumn(parts) == true { return nil }
        let pool = qualifier.map { q in columns.filter { $0.qualifier.map { Self.same($0, q.name) } ?? false } } ?? columns
        throw BindError.unknownColumn(shown, suggestion: nearestName(to: last.name, in: pool.map(\.name)), range: range)
    }

    /// Columns named `name` (in the relation `qualifier`, if given). A quoted name that
    /// matches exactly wins over names that match only when case is ignored.
    private func candidates(name: String, qualifier: String?) -> [ScopeColumn] {
        let inRelation = columns.filter { c in
            guard let qualifier else { return true }
            return c.qualifier.map { Self.same($0, qualifier) } ?? false
        }
        let exact = inRelation.filter { $0.name == name }
        if !exact.isEmpty { return exact }
        return inRelation.filter { Self.same($0.name, name) }
    }

    /// Whether this scope or an enclosing one has a column that `parts` would name.
    private func findsColumn(_ parts: [Identifier]) -> Bool {
        guard let last = parts.last else { return false }
        let qualifier = parts.count == 2 ? parts[0].name : nil
        if !candidates(name: last.name, qualifier: qualifier).isEmpty { return true }
        return parent?.findsColumn(parts) ?? false
    }

    /// Columns of the relation `qualifier`, or all columns, in order (for `*` and `t.*`).
    func columns(of qualifier: String?) -> [ScopeColumn] {
        guard let qualifier else { return columns }
        return columns.filter { $0.qualifier.map { Self.same($0, qualifier) } ?? false }
    }

    /// Every visible column name, for "did you mean".
    var names: [String] { columns.map(\.name) }

    static func same(_ a: String, _ b: String) -> Bool {
        a == b || a.lowercased() == b.lowercased()
    }
}

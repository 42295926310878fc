// The FROM clause: tables and subqueries with aliases, joins, and comma joins. JOIN binds
// tighter than the comma, as in SQL: `a, b JOIN c ON …` joins b and c first.

extension Parser {
    /// from_clause -> table_reference { "," table_reference }
    mutating func parseFromClause() throws(ParseError) -> TableReference {
        var left = try parseTableReference()
        var folds = 0
        defer { chain -= folds }
        while accept(.comma) != nil {
            folds += 1
            try extendChain()
            let right = try parseTableReference()
            left = .join(.cross, left, right, on: nil, range: left.range.union(right.range))
        }
        return left
    }

    /// table_reference -> table_primary { join_clause }
    mutating func parseTableReference() throws(ParseError) -> TableReference {
        var left = try parseTablePrimary()
        var folds = 0
        defer { chain -= folds }
        while let joined = try parseJoinClause(left) {
            left = joined
            folds += 1
            try extendChain()
        }
        return left
    }

    /// join_clause -> [ INNER | ( LEFT | RIGHT | FULL ) [ OUTER ] | SEMI | ANTI ] JOIN table_primary ON expression
    ///              | CROSS JOIN table_primary
    ///
    /// Returns nil when no join follows `left`.
    mutating func parseJoinClause(_ left: TableReference) throws(ParseError) -> TableReference? {
        let kind: JoinKind
        switch current.keyword {
        case .join:
            kind = .inner
        case .inner:
            advance()
            kind = .inner
        case .left:
            advance()
            _ = accept(.outer)
            kind = .left
        case .cross:
            advance()
            kind = .cross
        case .right:
            advance()
            _ = accept(.outer)
            kind = .right
        case .full:
            advance()
            _ = accept(.outer)
            kind = .full
        case .semi where peek().keyword == .join:
            advance()
            kind = .semi
        case .anti where peek().keyword == .join:
            advance()
            kind = .anti
        case .natural:
            throw .invalid("NATURAL JOIN is not supported; use JOIN … ON", at: current.range)
        default:
            return nil
        }
        try expect(.join)
        let right = try parseTablePrimary()
        if kind == .cross {
            return .join(.cross, left, right, on: nil, range: left.range.union(right.range))
        }
        if at(.using) { throw .invalid("JOIN … USING is not supported; use ON", at: current.range) }
        try expect(.on)
        let condition = try parseExpression()
        return .join(kind, left, right, on: condition, range: left.range.union(condition.range))
    }

    /// table_primary -> identifier [ table_alias ] | table_function [ table_alias ]
    ///                | "(" query ")" [ table_alias ] | values_clause [ table_alias ]
    ///                | "(" table_reference ")"
    mutating func parseTablePrimary() throws(ParseError) -> TableReference {
        if at(.values) {
            // `FROM VALUES (1), (2) t (x)`, as DuckDB reads it: `FROM (VALUES …) t (x)`.
            // A comma not followed by a row is the comma of a join, not a trailing one.
            let start = try expect(.values).start
            var rows = [try parseValuesRow()]
            while at(.comma) && peek().kind == .leftParen {
                advance()
                rows.append(try parseValuesRow())
            }
            let range = SourceRange(start: start, end: previousEnd)
            let query = Query(body: .values(rows, range: range), range: range)
            let (alias, columns) = try parseTableAlias()
            return .subquery(query, alias: alias, columnNames: columns, range: SourceRange(start: start, end: previousEnd))
        }
        if at(.leftParen) && isName(peek()) && !startsQuery(peek()) {
            // Parenthesized joins: `(a JOIN b ON …)`.
            let open = advance()
            try enter()
            defer { leave() }
            let joined = try parseTableReference()
            try expectClosing(open)
            return joined
        }
        if at(.leftParen) {
            let open = advance()
            let query = try parseQuery()
            try expectClosing(open)
            let (alias, columns) = try parseTableAlias()
            return .subquery(query, alias: alias, columnNames: columns,
                             range: SourceRange(start: open.start, end: previousEnd))
        }
        let name = try parseIdentifier("table name")
        if at(.leftParen) {
            let call = try parseTableFunction(name)
            let (alias, columns) = try parseTableAlias()
            return .function(call, alias: alias, columnNames: columns,
                             range: SourceRange(start: name.range.start, end: previousEnd))
        }
        let (alias, columns) = try parseTableAlias()
        let range = SourceRange(start: name.range.start, end: previousEnd)
        if !columns.isEmpty {
            // `t AS u (a, b)` renames t's first columns: it is `(SELECT * FROM t) AS u (a, b)`.
            let star = SelectItem.star(qualifier: nil, exclude: [], range: name.range)
            let select = Select(items: [star], from: .table(name: name, alias: nil, range: name.range), range: range)
            return .subquery(Query(body: .select(select), range: range), alias: alias, columnNames: columns, range: range)
        }
        return .table(name: name, alias: alias, range: range)
    }

    /// table_function -> identifier "(" [ expression_list ] ")"
    ///
    /// `name` is the identifier, already read.
    mutating func parseTableFunction(_ name: Identifier) throws(ParseError) -> FunctionCall {
        let open = try expect(.leftParen)
        let arguments = at(.rightParen) ? [] : try parseExpressionList()
        if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
        try expectClosing(open)
        return FunctionCall(name: name, arguments: arguments)
    }

    /// True at `SEMI JOIN` / `ANTI JOIN`: the words start a join, not an alias.
    private func startsSemiOrAntiJoin(_ token: Token) -> Bool {
        (token.keyword == .semi || token.keyword == .anti) && token.kind == .identifier && peek().keyword == .join
    }

    /// table_alias -> [ AS ] identifier [ column_list ]
    mutating func parseTableAlias() throws(ParseError) -> (Identifier?, [Identifier]) {
        let alias: Identifier
        if accept(.as) != nil {
            alias = try parseIdentifier("alias")
        } else if isName(current) && !startsSemiOrAntiJoin(current) {
            alias = identifier(advance())
        } else {
            return (nil, [])
        }
        let columns = at(.leftParen) ? try parseColumnList() : []
        return (alias, columns)
    }
}

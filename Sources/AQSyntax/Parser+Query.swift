// Queries: WITH, set operations (INTERSECT binds tighter than UNION and EXCEPT), SELECT with
// its clauses, VALUES, ORDER BY and LIMIT / OFFSET.

extension Parser {
    /// query -> [ with_clause ] set_expression [ order_by_clause ] [ limit_clause ]
    mutating func parseQuery() throws(ParseError) -> Query {
        try enter(4)
        defer { leave(4) }
        let start = current.start
        var ctes: [CommonTableExpression] = []
        var recursive = false
        if at(.with) { (recursive, ctes) = try parseWithClause() }
        let body = try parseSetExpression(first: nil)
        let query = try parseQueryTail(start: start, with: ctes, body: body)
        query.recursive = recursive
        return query
    }

    /// The ORDER BY and LIMIT that close a query whose body is parsed.
    mutating func parseQueryTail(start: Int, with ctes: [CommonTableExpression],
                                 body: QueryBody) throws(ParseError) -> Query {
        let orderBy = at(.order) ? try parseOrderByClause() : []
        var limit: Expr?, offset: Expr?
        if at(.limit) || at(.offset) { (limit, offset) = try parseLimitClause() }
        return Query(with: ctes, body: body, orderBy: orderBy, limit: limit, offset: offset,
                     range: SourceRange(start: start, end: previousEnd))
    }

    /// with_clause -> WITH [ RECURSIVE ] common_table_expression { "," common_table_expression }
    ///
    /// `RECURSIVE` followed by `AS` or `(` is the name of a WITH query.
    mutating func parseWithClause() throws(ParseError) -> (recursive: Bool, [CommonTableExpression]) {
        try expect(.with)
        var recursive = false
        if at(.recursive), isName(peek()) {
            advance()
            recursive = true
        }
        var ctes = [try parseCommonTableExpression()]
        while accept(.comma) != nil {
            ctes.append(try parseCommonTableExpression())
        }
        return (recursive, ctes)
    }

    /// common_table_expression -> identifier [ column_list ] AS [ [ NOT ] MATERIALIZED ] "(" query ")"
    ///
    /// `MATERIALIZED` is DuckDB's and PostgreSQL's hint; aq reads it and plans the same way.
    mutating func parseCommonTableExpression() throws(ParseError) -> CommonTableExpression {
        let name = try parseIdentifier("a name for the WITH query")
        let columns = at(.leftParen) ? try parseColumnList() : []
        try expect(.as)
        if at(.not), peek().keyword == .materialized { advance() }
        _ = accept(.materialized)
        let open = try expect(.leftParen)
        let query = try parseQuery()
        try expectClosing(open)
        return CommonTableExpression(name: name, columnNames: columns, query: query)
    }

    /// column_list -> "(" identifier { "," identifier } ")"
    mutating func parseColumnList() throws(ParseError) -> [Identifier] {
        let open = try expect(.leftParen)
        var names = [try parseIdentifier("column name")]
        while accept(.comma) != nil {
            names.append(try parseIdentifier("column name"))
        }
        if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
        try expectClosing(open)
        return names
    }

    /// set_expression -> query_term { ( UNION | EXCEPT ) [ ALL | DISTINCT ] query_term }
    ///
    /// `first`, when given, is a query term already parsed (a parenthesized query met where
    /// an expression was expected).
    mutating func parseSetExpression(first: QueryBody?) throws(ParseError) -> QueryBody {
        var left = try parseQueryTerm(first: first)
        var folds = 0
        defer { chain -= folds }
        while at(.union) || at(.except) {
            folds += 1
            try extendChain()
            let op: SetOperator = advance().keyword == .union ? .union : .except
            let all = try parseSetQuantifier()
            let right = try parseQueryTerm(first: nil)
            left = .setOperation(op, all: all, left, right,
                                 range: Parser.range(of: left).union(Parser.range(of: right)))
        }
        return left
    }

    /// query_term -> query_primary { INTERSECT [ ALL | DISTINCT ] query_primary }
    mutating func parseQueryTerm(first: QueryBody?) throws(ParseError) -> QueryBody {
        var left: QueryBody
        if let first { left = first } else { left = try parseQueryPrimary() }
        var folds = 0
        defer { chain -= folds }
        while accept(.intersect) != nil {
            folds += 1
            try extendChain()
            let all = try parseSetQuantifier()
            let right = try parseQueryPrimary()
            left = .setOperation(.intersect, all: all, left, right,
                                 range: Parser.range(of: left).union(Parser.range(of: right)))
        }
        return left
    }

    /// `ALL` after a set operator; `DISTINCT` is the default, said out loud.
    private mutating func parseSetQuantifier() throws(ParseError) -> Bool {
        if accept(.all) != nil { return true }
        _ = accept(.distinct)
        return false
    }

    /// query_primary -> select_core | from_first | values_clause | table_query | "(" query ")"
    mutating func parseQueryPrimary() throws(ParseError) -> QueryBody {
        switch current.keyword {
        case .select:
            return .select(try parseSelectCore())
        case .from:
            return .select(try parseFromFirst())
        case .values:
            return try parseValuesClause()
        case .table where isName(peek()):
            return .select(try parseTableQuery())
        default:
            guard at(.leftParen) else { throw expected("SELECT, FROM, VALUES, TABLE or '('") }
            let open = advance()
            let query = try parseQuery()
            try expectClosing(open)
            return .nested(query)
        }
    }

    /// select_core -> SELECT [ ALL | DISTINCT [ distinct_on ] ] select_item { "," select_item } [ "," ]
    ///                [ FROM from_clause ] [ WHERE expression ] [ GROUP BY group_by ]
    ///                [ HAVING expression ] [ window_clause ] [ QUALIFY expression ]
    ///
    /// A trailing comma after the last item is allowed, as DuckDB allows it.
    mutating func parseSelectCore() throws(ParseError) -> Select {
        let start = current.start
        var select = try parseSelectList()
        if accept(.from) != nil { select.from = try parseFromClause() }
        try parseSelectClauses(into: &select, start: start)
        return select
    }

    /// from_first -> FROM from_clause [ SELECT [ ALL | DISTINCT [ distinct_on ] ] select_item { "," select_item } [ "," ] ]
    ///               [ WHERE expression ] [ GROUP BY group_by ] [ HAVING expression ]
    ///               [ window_clause ] [ QUALIFY expression ]
    ///
    /// DuckDB's FROM-first form: `FROM t` alone is `SELECT * FROM t`.
    mutating func parseFromFirst() throws(ParseError) -> Select {
        let fromToken = try expect(.from)
        let from = try parseFromClause()
        var select: Select
        if at(.select) {
            select = try parseSelectList()
        } else {
            select = Select(items: [.star(qualifier: nil, exclude: [], range: fromToken.range)], range: fromToken.range)
        }
        select.from = from
        try parseSelectClauses(into: &select, start: fromToken.start)
        return select
    }

    /// table_query -> TABLE identifier
    ///
    /// The SQL standard's `TABLE t`: `SELECT * FROM t`.
    mutating func parseTableQuery() throws(ParseError) -> Select {
        let start = try expect(.table).start
        let name = try parseIdentifier("table name")
        let range = SourceRange(start: start, end: previousEnd)
        let star = SelectItem.star(qualifier: nil, exclude: [], range: range)
        return Select(items: [star], from: .table(name: name, alias: nil, range: name.range), range: range)
    }

    /// `SELECT [ALL | DISTINCT] items`: a Select with only its list.
    private mutating func parseSelectList() throws(ParseError) -> Select {
        let start = try expect(.select).start
        var distinct = false
        var distinctOn: [Expr] = []
        if accept(.distinct) != nil {
            distinct = true
            if at(.on) { distinctOn = try parseDistinctOn() }
        } else {
            _ = accept(.all)
        }
        var items = [try parseSelectItem()]
        while accept(.comma) != nil, !endsSelectList() {
            items.append(try parseSelectItem())
        }
        var select = Select(distinct: distinct, items: items, range: SourceRange(start: start, end: start))
        select.distinctOn = distinctOn
        return select
    }

    /// distinct_on -> ON "(" expression { "," expression } ")"
    mutating func parseDistinctOn() throws(ParseError) -> [Expr] {
        try expect(.on)
        let open = try expect(.leftParen)
        let exprs = try parseExpressionList()
        if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
        try expectClosing(open)
        return exprs
    }

    /// WHERE, GROUP BY and HAVING of a select whose list and FROM are parsed.
    private mutating func parseSelectClauses(into select: inout Select, start: Int) throws(ParseError) {
        if accept(.where) != nil { select.whereClause = try parseExpression() }
        if accept(.group) != nil {
            try expect(.by)
            select.groupBy = try parseGroupBy()
        }
        if accept(.having) != nil { select.having = try parseExpression() }
        if at(.window) { select.windows = try parseWindowClause() }
        if accept(.qualify) != nil { select.qualify = try parseExpression() }
        select.range = SourceRange(start: start, end: previousEnd)
    }

    /// True at a token that ends a select list: a trailing comma came before it.
    private func endsSelectList() -> Bool {
        switch current.kind {
        case .semicolon, .endOfInput, .rightParen:
            return true
        case .identifier:
            switch current.keyword {
            case .from, .where, .group, .having, .window, .qualify, .order, .limit, .offset, .union,
                 .except, .intersect:
                return true
            default:
                return false
            }
        default:
            return false
        }
    }

    /// select_item -> "*" [ exclude_list ] [ replace_list ]
    ///              | identifier "." "*" [ exclude_list ] [ replace_list ]
    ///              | expression [ alias ]
    mutating func parseSelectItem() throws(ParseError) -> SelectItem {
        if at(.star) {
            let star = advance()
            let exclude = try parseExcludeList()
            let replace = try parseReplaceList()
            return .star(qualifier: nil, exclude: exclude, replace: replace,
                         range: SourceRange(start: star.start, end: previousEnd))
        }
        if isName(current) && peek().kind == .dot && peek(2).kind == .star {
            let qualifier = identifier(advance())
            advance()
            advance()
            let exclude = try parseExcludeList()
            let replace = try parseReplaceList()
            return .star(qualifier: qualifier, exclude: exclude, replace: replace,
                         range: SourceRange(start: qualifier.range.start, end: previousEnd))
        }
        let expr = try parseExpression()
        return .expression(expr, alias: try parseAlias())
    }

    /// alias -> AS ( bare_word | quoted_identifier ) | identifier
    ///
    /// An output name: after `AS` any word, even a reserved one; without `AS` a name that
    /// is not reserved.
    mutating func parseAlias() throws(ParseError) -> Identifier? {
        if accept(.as) != nil {
            if current.kind == .identifier { return identifier(advance()) }
            return try parseIdentifier("alias")
        }
        return isName(current) ? identifier(advance()) : nil
    }

    /// exclude_list -> EXCLUDE ( "(" identifier { "," identifier } ")" | identifier )
    mutating func parseExcludeList() throws(ParseError) -> [Identifier] {
        guard accept(.exclude) != nil else { return [] }
        if at(.leftParen) { return try parseColumnList() }
        return [try parseIdentifier("column name")]
    }

    /// replace_list -> REPLACE "(" replace_item { "," replace_item } ")"
    mutating func parseReplaceList() throws(ParseError) -> [StarReplacement] {
        guard at(.replace) && peek().kind == .leftParen else { return [] }
        advance()
        let open = advance()
        var items = [try parseReplaceItem()]
        while accept(.comma) != nil {
            items.append(try parseReplaceItem())
        }
        if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
        try expectClosing(open)
        return items
    }

    /// replace_item -> expression AS identifier
    mutating func parseReplaceItem() throws(ParseError) -> StarReplacement {
        let expr = try parseExpression()
        try expect(.as)
        return StarReplacement(expr: expr, column: try parseIdentifier("column name"))
    }

    /// group_by -> ALL | "*" | expression { "," expression }
    mutating func parseGroupBy() throws(ParseError) -> GroupBy {
        if let all = accept(.all) ?? accept(.star) { return .all(range: all.range) }
        var exprs = [try parseExpression()]
        while accept(.comma) != nil {
            exprs.append(try parseExpression())
        }
        return .expressions(exprs)
    }

    /// order_by_clause -> ORDER BY order_item { "," order_item }
    mutating func parseOrderByClause() throws(ParseError) -> [OrderItem] {
        try expect(.order)
        try expect(.by)
        var items = [try parseOrderItem()]
        while accept(.comma) != nil {
            items.append(try parseOrderItem())
        }
        return items
    }

    /// order_item -> ( ALL | "*" | expression ) [ ASC | DESC ] [ NULLS ( FIRST | LAST ) ]
    ///
    /// `ALL` and `*` stand for every output column, left to right; they are kept as a `*`.
    mutating func parseOrderItem() throws(ParseError) -> OrderItem {
        let expr: Expr
        if let all = accept(.all) ?? accept(.star) {
            expr = Expr(.star(qualifier: nil), range: all.range)
        } else {
            expr = try parseExpression()
        }
        var item = OrderItem(expr: expr)
        if accept(.desc) != nil {
            item.descending = true
        } else {
            _ = accept(.asc)
        }
        if accept(.nulls) != nil {
            if accept(.first) != nil {
                item.nullsFirst = true
            } else if accept(.last) != nil {
                item.nullsFirst = false
            } else {
                throw expected("FIRST or LAST")
            }
        }
        return item
    }

    /// limit_clause -> LIMIT expression [ OFFSET expression ] | OFFSET expression [ LIMIT expression ]
    mutating func parseLimitClause() throws(ParseError) -> (limit: Expr?, offset: Expr?) {
        var limit: Expr?, offset: Expr?
        if accept(.limit) != nil {
            limit = try parseExpression()
            if accept(.offset) != nil { offset = try parseExpression() }
        } else {
            try expect(.offset)
            offset = try parseExpression()
            if accept(.limit) != nil { limit = try parseExpression() }
        }
        return (limit, offset)
    }

    /// values_clause -> VALUES values_row { "," values_row } [ "," ]
    mutating func parseValuesClause() throws(ParseError) -> QueryBody {
        let start = try expect(.values).start
        var rows = [try parseValuesRow()]
        while accept(.comma) != nil, at(.leftParen) {
            rows.append(try parseValuesRow())
        }
        return .values(rows, range: SourceRange(start: start, end: previousEnd))
    }

    /// values_row -> "(" expression { "," expression } ")"
    mutating func parseValuesRow() throws(ParseError) -> [Expr] {
        let open = try expect(.leftParen)
        let row = try parseExpressionList()
        if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
        try expectClosing(open)
        return row
    }

    /// The text range of a query body.
    static func range(of body: QueryBody) -> SourceRange {
        switch body {
        case .select(let select): return select.range
        case .setOperation(_, _, _, _, let range): return range
        case .nested(let query): return query.range
        case .values(_, let range): return range
        }
    }
}

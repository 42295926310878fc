// Statements other than queries: EXPLAIN, INSERT, DROP TABLE, SHOW TABLES, DESCRIBE and
// LOAD (CREATE TABLE: Parser+CreateTable; SET: Parser+Settings). Only SELECT-side words are
// reserved, so these are recognized by position.

extension Parser {
    /// Words a statement can start with, for "did you mean".
    static let statementWords = ["SELECT", "WITH", "VALUES", "EXPLAIN", "CREATE", "INSERT",
                                 "DROP", "SHOW", "DESCRIBE", "LOAD", "OPEN", "SET", "RESET", "TIMELINE",
                                 "SUMMARY"]

    /// statement -> query | explain_statement | create_statement | insert_statement
    ///            | drop_statement | show_statement | describe_statement | load_statement
    ///            | open_statement | set_statement | set_variable_statement | reset_statement
    ///            | timeline_statement | summary_statement
    mutating func parseStatement() throws(ParseError) -> Statement {
        let start = current.start
        let kind: Statement.Kind
        switch current.keyword {
        case .select, .with, .values, .from:
            kind = .query(try parseQuery())
        case .explain:
            kind = try parseExplainStatement()
        case .create:
            kind = try parseCreateStatement()
        case .insert:
            kind = .insert(try parseInsertStatement())
        case .drop:
            kind = try parseDropStatement()
        case .show:
            kind = try parseShowStatement()
        case .describe:
            kind = try parseDescribeStatement()
        case .load:
            kind = .load(try parseLoadStatement())
        case .open:
            kind = try parseOpenStatement()
        case .set where peek().keyword == .variable:
            kind = try parseSetVariableStatement()
        case .set:
            kind = .set(try parseSetStatement())
        case .timeline:
            kind = .timeline(try parseTimelineStatement())
        case .summary:
            kind = .summary(try parseSummaryStatement())
        case .reset:
            kind = .set(try parseResetStatement())
        default:
            if at(.leftParen) {
                kind = .query(try parseQuery())
            } else if current.kind == .identifier && current.keyword == nil {
                let word = source.text(current.range)
                if word.uppercased() == "SAVE" {
                    throw .invalid("SAVE is not supported yet: saved stores are not written (tables live until aq exits)",
                                   at: current.range)
                }
                throw .unknownStatement(word, suggestion: nearestName(to: word, in: Parser.statementWords),
                                        at: current.range)
            } else {
                throw expected("a statement")
            }
        }
        return Statement(kind: kind, range: SourceRange(start: start, end: previousEnd))
    }

    /// explain_statement -> EXPLAIN [ ANALYZE ] statement
    mutating func parseExplainStatement() throws(ParseError) -> Statement.Kind {
        try expect(.explain)
        try enter()
        defer { leave() }
        // ANALYZE is not reserved: it is the option only when a statement follows it.
        if current.kind == .identifier, source.text(current.range).uppercased() == "ANALYZE",
           peek().keyword != nil || peek().kind == .leftParen {
            _ = advance()
            return .explainAnalyze(try parseStatement())
        }
        return .explain(try parseStatement())
    }

    /// insert_statement -> INSERT INTO identifier [ "(" identifier { "," identifier } ")" ] query
    mutating func parseInsertStatement() throws(ParseError) -> Insert {
        try expect(.insert)
        try expect(.into)
        let table = try parseIdentifier("table name")
        var columns: [Identifier]?
        if at(.leftParen) && !startsQuery(peek()) {
            let open = advance()
            var names = [try parseIdentifier("column name")]
            while accept(.comma) != nil {
                names.append(try parseIdentifier("column name"))
            }
            if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
            try expectClosing(open)
            columns = names
        }
        guard at(.values) || at(.select) || at(.with) || at(.from) || at(.leftParen) else {
            throw expected("VALUES or a query")
        }
        let query = try parseQuery()
        if query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil,
           case .values(let rows, _) = query.body {
            return Insert(table: table, columns: columns, source: .values(rows))
        }
        return Insert(table: table, columns: columns, source: .query(query))
    }

    /// drop_statement -> DROP ( TABLE | VIEW ) [ IF EXISTS ] identifier
    mutating func parseDropStatement() throws(ParseError) -> Statement.Kind {
        try expect(.drop)
        let isView = accept(.view) != nil
        if !isView { try expect(.table) }
        var ifExists = false
        if accept(.if) != nil {
            try expect(.exists)
            ifExists = true
        }
        if isView { return .dropView(name: try parseIdentifier("view name"), ifExists: ifExists) }
        return .dropTable(name: try parseIdentifier("table name"), ifExists: ifExists)
    }

    /// show_statement -> SHOW ( TABLES | SOURCES )
    mutating func parseShowStatement() throws(ParseError) -> Statement.Kind {
        try expect(.show)
        if accept(.sources) != nil { return .showSources }
        guard accept(.tables) != nil else { throw expected("TABLES or SOURCES") }
        return .showTables
    }

    /// describe_statement -> DESCRIBE identifier
    mutating func parseDescribeStatement() throws(ParseError) -> Statement.Kind {
        try expect(.describe)
        return .describe(try parseIdentifier("table name"))
    }

    /// open_statement -> OPEN string
    mutating func parseOpenStatement() throws(ParseError) -> Statement.Kind {
        try expect(.open)
        guard at(.string) else { throw expected("a file path in quotes") }
        let pathToken = advance()
        return .open(path: unquote(pathToken), pathRange: pathToken.range)
    }

    /// load_statement -> LOAD string [ AS identifier ] [ FORMAT ( identifier | string ) ]
    mutating func parseLoadStatement() throws(ParseError) -> Load {
        try expect(.load)
        guard at(.string) else { throw expected("a file path in quotes") }
        let pathToken = advance()
        var load = Load(path: unquote(pathToken), pathRange: pathToken.range)
        if accept(.as) != nil {
            load.table = try parseIdentifier("table name")
        }
        if accept(.format) != nil {
            if at(.string) {
                let token = advance()
                load.format = Identifier(name: unquote(token), range: token.range)
            } else {
                load.format = try parseIdentifier("format name")
            }
        }
        return load
    }

    /// True if a token can start a query (after a `(` that might open a column list instead).
    func startsQuery(_ token: Token) -> Bool {
        token.keyword == .select || token.keyword == .with || token.keyword == .values || token.keyword == .from
            || token.kind == .leftParen
    }
}

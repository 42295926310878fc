// Statements other than queries: EXPLAIN, INSERT, DROP TABLE, SHOW TABLES, DESCRIBE and
// LOAD (CREATE TABLE: Parser+CreateTable; SET: Parser+Settings). Only SELECT-side words are
// reserved, so these are recognized by position.

extension Parser {
    /// Words a statement can start with, for "did you mean".
    static let statementWords = ["SELECT", "WITH", "VALUES", "EXPLAIN", "CREATE", "INSERT",
                                 "DROP", "SHOW", "DESCRIBE", "LOAD", "OPEN", "SAVE", "SET", "RESET", "TIMELINE",
                                 "SUMMARY", "COPY"]

    /// statement -> query | explain_statement | create_statement | insert_statement
    ///            | drop_statement | show_statement | describe_statement | load_statement
    ///            | open_statement | save_statement | set_statement | set_variable_statement | reset_statement
    ///            | timeline_statement | summary_statement | copy_statement
    mutating func parseStatement() throws(ParseError) -> Statement {
        let start = current.start
        let kind: Statement.Kind
        switch current.keyword {
        case .select, .with, .values, .from:
            kind = .query(try parseQuery())
        case .table where isName(peek()):
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
        case .copy:
            kind = .copy(try parseCopyStatement())
        default:
            if at(.leftParen) {
                kind = .query(try parseQuery())
            } else if current.kind == .identifier && current.keyword == nil {
                let word = source.text(current.range)
                if word.uppercased() == "SAVE" {
                    kind = try parseSaveStatement()
                    return Statement(kind: kind, range: SourceRange(start: start, end: previousEnd))
                }
                throw .unknownStatement(word, suggestion: nearestName(to: word, in: Parser.statementWords),
                                        at: current.range)
            } else {
                throw expected("a statement")
            }
        }
        return Statement(kind: kind, range: SourceRange(start: start, end: previousEnd))
    }

    /// explain_statement -> EXPLAIN [ ANALYZE | CLICKHOUSE ] statement | EXPLAIN CLICKHOUSE DDL [ string ]
    mutating func parseExplainStatement() throws(ParseError) -> Statement.Kind {
        try expect(.explain)
        try enter()
        defer { leave() }
        // CLICKHOUSE and DDL are words, not keywords: they mean this only here.
        if current.kind == .identifier, source.text(current.range).uppercased() == "CLICKHOUSE" {
            _ = advance()
            if current.kind == .identifier, source.text(current.range).uppercased() == "DDL",
               peek().kind == .string || peek().kind == .semicolon || peek().kind == .endOfInput {
                _ = advance()
                if at(.string) { return .explainClickHouseDDL(location: unquote(advance())) }
                return .explainClickHouseDDL(location: nil)
            }
            return .explainClickHouse(try parseStatement())
        }
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

    /// drop_statement -> DROP ( TABLE | VIEW | SEQUENCE ) [ IF EXISTS ] identifier
    mutating func parseDropStatement() throws(ParseError) -> Statement.Kind {
        try expect(.drop)
        let isView = accept(.view) != nil
        let isSequence = !isView && accept(.sequence) != nil
        if !isView && !isSequence { try expect(.table) }
        var ifExists = false
        if accept(.if) != nil {
            try expect(.exists)
            ifExists = true
        }
        if isView { return .dropView(name: try parseIdentifier("view name"), ifExists: ifExists) }
        if isSequence { return .dropSequence(name: try parseIdentifier("sequence name"), ifExists: ifExists) }
        return .dropTable(name: try parseIdentifier("table name"), ifExists: ifExists)
    }

    /// show_statement -> SHOW ( TABLES | SOURCES | RAW PATHS [ FROM identifier ] )
    mutating func parseShowStatement() throws(ParseError) -> Statement.Kind {
        try expect(.show)
        if accept(.sources) != nil { return .showSources }
        if accept(.raw) != nil {
            try expect(.paths)
            return .showRawPaths(table: accept(.from) != nil ? try parseIdentifier("table name") : nil)
        }
        guard accept(.tables) != nil else { throw expected("TABLES, SOURCES or RAW PATHS") }
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

    /// save_statement -> SAVE [ string ]
    mutating func parseSaveStatement() throws(ParseError) -> Statement.Kind {
        // SAVE is a word, not a keyword: it means this only at the start of a statement.
        _ = advance()
        guard at(.string) else {
            if at(.semicolon) || at(.endOfInput) { return .save(path: nil, pathRange: nil) }
            throw expected("a file path in quotes or the end of the statement")
        }
        let pathToken = advance()
        return .save(path: unquote(pathToken), pathRange: pathToken.range)
    }

    /// load_statement -> LOAD string [ AS identifier ] [ FORMAT ( identifier | string ) ] [ FORCE ]
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
        // FORCE is a word, not a keyword: it means this only here.
        if current.kind == .identifier, source.text(current.range).uppercased() == "FORCE" {
            _ = advance()
            load.force = true
        }
        return load
    }

    /// copy_statement -> COPY ( identifier | "(" query ")" ) TO string
    ///                   [ "(" copy_option { "," copy_option } ")" ]
    mutating func parseCopyStatement() throws(ParseError) -> Copy {
        try expect(.copy)
        let source: Copy.Source
        if at(.leftParen) {
            let open = advance()
            guard startsQuery(current) else { throw expected("a query") }
            source = .query(try parseQuery())
            try expectClosing(open)
        } else {
            source = .table(try parseIdentifier("table name or '(' query ')'"))
        }
        try expect(.to)
        guard at(.string) else { throw expected("a file path in quotes") }
        let pathToken = advance()
        var copy = Copy(source: source, path: unquote(pathToken), pathRange: pathToken.range)
        if at(.leftParen) {
            let open = advance()
            repeat {
                copy.options.append(try parseCopyOption())
            } while accept(.comma) != nil
            try expectClosing(open)
        }
        return copy
    }

    /// copy_option -> identifier [ identifier | string | integer | TRUE | FALSE
    ///                             | "(" identifier { "," identifier } ")" ]
    mutating func parseCopyOption() throws(ParseError) -> CopyOption {
        let start = current.start
        let name = try parseIdentifier("a COPY option")
        var value: CopyOptionValue?
        if at(.leftParen) {
            let open = advance()
            var columns = [try parseIdentifier("column name")]
            while accept(.comma) != nil { columns.append(try parseIdentifier("column name")) }
            try expectClosing(open)
            value = .columns(columns)
        } else if at(.string) {
            value = .word(unquote(advance()))
        } else if at(.integer) {
            let token = advance()
            guard let n = Int(source.text(token.range)) else { throw .expected("a smaller number", found: source.text(token.range), at: token.range) }
            value = .integer(n)
        } else if accept(.true) != nil {
            value = .boolean(true)
        } else if accept(.false) != nil {
            value = .boolean(false)
        } else if isName(current) {
            value = .word(source.text(advance().range))
        }
        return CopyOption(name: name, value: value, range: SourceRange(start: start, end: previousEnd))
    }

    /// True if a token can start a query (after a `(` that might open a column list instead).
    func startsQuery(_ token: Token) -> Bool {
        token.keyword == .select || token.keyword == .with || token.keyword == .values || token.keyword == .from
            || token.kind == .leftParen
    }
}

// CREATE TABLE: the column list with its constraints (NOT NULL, PRIMARY KEY, UNIQUE,
// DEFAULT), table-level keys, or AS query. Constraints aq does not enforce are refused here.

extension Parser {
    /// create_statement -> CREATE [ OR REPLACE ] ( table_definition | view_definition | sequence_definition )
    mutating func parseCreateStatement() throws(ParseError) -> Statement.Kind {
        try expect(.create)
        var orReplace = false
        if accept(.or) != nil {
            try expect(.replace)
            orReplace = true
        }
        if at(.view) { return .createView(try parseViewDefinition(orReplace: orReplace)) }
        if at(.sequence) { return .createSequence(try parseSequenceDefinition(orReplace: orReplace)) }
        return .createTable(try parseTableDefinition(orReplace: orReplace))
    }

    /// view_definition -> VIEW identifier [ column_list ] AS query
    mutating func parseViewDefinition(orReplace: Bool) throws(ParseError) -> CreateView {
        try expect(.view)
        let name = try parseIdentifier("view name")
        let columns = at(.leftParen) ? try parseColumnList() : []
        try expect(.as)
        return CreateView(name: name, orReplace: orReplace, columnNames: columns, query: try parseQuery())
    }

    /// sequence_definition -> SEQUENCE [ IF NOT EXISTS ] identifier
    ///                        { START [ WITH ] signed_integer | INCREMENT [ BY ] signed_integer }
    mutating func parseSequenceDefinition(orReplace: Bool) throws(ParseError) -> CreateSequence {
        try expect(.sequence)
        let ifNotExists = try parseIfNotExists(orReplace: orReplace)
        var create = CreateSequence(name: try parseIdentifier("sequence name"), orReplace: orReplace, ifNotExists: ifNotExists)
        while true {
            if accept(.start) != nil {
                _ = accept(.with)
                create.start = try parseSignedInteger("the START value")
            } else if accept(.increment) != nil {
                _ = accept(.by)
                let at = current.range
                create.increment = try parseSignedInteger("the INCREMENT")
                if create.increment == 0 { throw .invalid("a sequence's INCREMENT must not be zero", at: at) }
            } else {
                return create
            }
        }
    }

    /// signed_integer -> [ "-" | "+" ] integer
    private mutating func parseSignedInteger(_ what: String) throws(ParseError) -> Int64 {
        let sign = current.kind == .minus || current.kind == .plus ? advance() : nil
        guard current.kind == .integer else { throw expected(what + " (an integer)") }
        let token = advance()
        let digits = (sign?.kind == .minus ? "-" : "") + source.text(token.range)
        guard let value = Int64(digits) else {
            throw .invalid("\(digits) is out of range for \(what)", at: token.range)
        }
        return value
    }

    /// `IF NOT EXISTS` after CREATE … TABLE / SEQUENCE (not with OR REPLACE).
    private mutating func parseIfNotExists(orReplace: Bool) throws(ParseError) -> Bool {
        guard let ifToken = accept(.if) else { return false }
        try expect(.not)
        try expect(.exists)
        if orReplace {
            throw .invalid("OR REPLACE and IF NOT EXISTS cannot be used together",
                           at: SourceRange(start: ifToken.start, end: previousEnd))
        }
        return true
    }

    /// table_definition -> TABLE [ IF NOT EXISTS ] identifier
    ///                     ( "(" table_element { "," table_element } ")" | AS query )
    mutating func parseTableDefinition(orReplace: Bool) throws(ParseError) -> CreateTable {
        if !at(.table) { throw expected("TABLE, VIEW or SEQUENCE") }
        try expect(.table)
        let ifNotExists = try parseIfNotExists(orReplace: orReplace)
        let name = try parseIdentifier("table name")
        if accept(.as) != nil {
            let query = try parseQuery()
            return CreateTable(name: name, ifNotExists: ifNotExists, orReplace: orReplace, asQuery: query)
        }
        guard at(.leftParen) else { throw expected("'(' or 'AS'") }
        let open = advance()
        var create = CreateTable(name: name, ifNotExists: ifNotExists, orReplace: orReplace)
        repeat {
            try parseTableElement(into: &create)
        } while accept(.comma) != nil
        if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
        try expectClosing(open)
        return create
    }

    /// table_element -> table_constraint | column_definition
    mutating func parseTableElement(into create: inout CreateTable) throws(ParseError) {
        switch current.keyword {
        case .primary, .unique, .check, .foreign, .constraint:
            // `primary`, `unique` … may also name a column: `unique INTEGER`.
            if peek().kind == .leftParen || peek().keyword == .key || current.keyword == .constraint {
                create.keys.append(try parseTableConstraint())
                return
            }
        default:
            break
        }
        create.columns.append(try parseColumnDefinition())
    }

    /// table_constraint -> ( PRIMARY KEY | UNIQUE ) column_list
    mutating func parseTableConstraint() throws(ParseError) -> KeyConstraint {
        let start = current.start
        let primary: Bool
        switch current.keyword {
        case .primary:
            advance()
            try expect(.key)
            primary = true
        case .unique:
            advance()
            primary = false
        default:
            throw unsupportedConstraint()
        }
        let columns = try parseColumnList()
        return KeyConstraint(primary: primary, columns: columns, range: SourceRange(start: start, end: previousEnd))
    }

    /// column_definition -> identifier type_name { column_constraint }
    mutating func parseColumnDefinition() throws(ParseError) -> ColumnDefinition {
        let name = try parseIdentifier("column name")
        let type = try parseTypeName()
        var column = ColumnDefinition(name: name, type: type)
        while try parseColumnConstraint(into: &column) {}
        return column
    }

    /// column_constraint -> NOT NULL | NULL | PRIMARY KEY | UNIQUE | DEFAULT expression
    ///
    /// Returns false when the current token starts no constraint.
    mutating func parseColumnConstraint(into column: inout ColumnDefinition) throws(ParseError) -> Bool {
        switch current.keyword {
        case .not:
            advance()
            try expect(.null)
            column.notNull = true
        case .null:
            advance()
        case .primary:
            advance()
            try expect(.key)
            column.primaryKey = true
        case .unique:
            advance()
            column.unique = true
        case .default:
            advance()
            column.defaultValue = try parseExpression()
        case .check, .references, .constraint:
            throw unsupportedConstraint()
        default:
            return false
        }
        return true
    }

    /// The error for CHECK, REFERENCES, FOREIGN KEY and named constraints.
    func unsupportedConstraint() -> ParseError {
        let word = source.text(current.range).uppercased()
        let what = word == "FOREIGN" || word == "REFERENCES" ? "foreign keys" : "\(word) constraints"
        return .invalid("\(what) are not supported; aq enforces NOT NULL, PRIMARY KEY and UNIQUE",
                        at: current.range)
    }
}

// Primary expressions: literals (typed, interval, duration), column references, function
// calls with DISTINCT / ORDER BY / FILTER, parentheses and subqueries, CASE and CAST.

extension Parser {
    /// primary -> literal | typed_literal | interval_literal | column_reference | function_call
    ///          | "(" expression ")" | "(" query ")" | exists_expression
    ///          | case_expression | cast_expression | parameter_reference | list_literal
    mutating func parsePrimary() throws(ParseError) -> Expr {
        switch current.kind {
        case .integer, .decimal, .string, .duration:
            return try parseLiteral()
        case .leftParen:
            return try parseParenthesized()
        case .leftBracket:
            return try parseListLiteral()
        case .identifier, .quotedIdentifier:
            return try parseWordPrimary()
        case .parameter:
            return parseParameter()
        default:
            throw expected("expression")
        }
    }

    /// A primary that starts with a word: a keyword's construct, a function call or a column.
    private mutating func parseWordPrimary() throws(ParseError) -> Expr {
        let next = peek()
        if current.kind == .quotedIdentifier {
            return next.kind == .leftParen ? try parseFunctionCall() : try parseColumnReference()
        }
        switch current.keyword {
        case .null, .true, .false:
            return try parseLiteral()
        case .exists:
            return try parseExistsExpression()
        case .case:
            return try parseCaseExpression()
        case .cast:
            return try parseCastExpression()
        case .tryCast where next.kind == .leftParen:
            return try parseCastExpression()
        case .interval where next.kind == .string || next.kind == .integer || next.kind == .decimal
                             || next.kind == .leftParen:
            return try parseIntervalLiteral()
        case .date where next.kind == .string, .timestamp where next.kind == .string:
            return try parseTypedLiteral()
        case .left where next.kind == .leftParen, .right where next.kind == .leftParen:
            // `left(s, n)` and `right(s, n)`: reserved as join words, still function names.
            return try parseFunctionCall()
        default:
            if current.keyword?.isReserved ?? false { throw expected("expression") }
            return next.kind == .leftParen ? try parseFunctionCall() : try parseColumnReference()
        }
    }

    /// parameter_reference -> parameter
    ///
    /// `$name`: the name without the `$`, folded to lower case; `$1`: the name `1`; `?`: the
    /// next number, counting the statement's `?` from 1 (so `?` and `$1` are one parameter).
    mutating func parseParameter() -> Expr {
        let token = advance()
        let text = source.text(token.range)
        if text == "?" {
            positionalParameters += 1
            return Expr(.parameter(Identifier(name: String(positionalParameters), range: token.range)), range: token.range)
        }
        let name = Identifier(name: String(text.dropFirst()),
                              range: SourceRange(start: token.start + 1, end: token.end))
        return Expr(.parameter(name), range: token.range)
    }

    /// exists_expression -> EXISTS "(" query ")"
    mutating func parseExistsExpression() throws(ParseError) -> Expr {
        let start = try expect(.exists).start
        let open = try expect(.leftParen)
        let query = try parseQuery()
        try expectClosing(open)
        return Expr(.exists(query), range: SourceRange(start: start, end: previousEnd))
    }

    /// literal -> integer | decimal | string | duration | NULL | TRUE | FALSE
    mutating func parseLiteral() throws(ParseError) -> Expr {
        let token = advance()
        let literal: Literal
        switch token.kind {
        case .integer: literal = .integer(source.text(token.range))
        case .decimal: literal = .double(source.text(token.range))
        case .string: literal = .string(unquote(token))
        case .duration: literal = try durationLiteral(token)
        default:
            switch token.keyword {
            case .null: literal = .null
            case .true: literal = .boolean(true)
            default: literal = .boolean(false)
            }
        }
        return Expr(.literal(literal), range: token.range)
    }

    /// The value and unit of a duration token such as `30s` or `100ms`.
    private func durationLiteral(_ token: Token) throws(ParseError) -> Literal {
        let bytes = source.bytes
        var value: Int64 = 0
        var i = token.start
        while i < token.end, Lexer.isDigit(bytes[i]) {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(bytes[i] - UInt8(ascii: "0")))
            if o1 || o2 { throw .invalid("duration literal out of range", at: token.range) }
            value = sum
            i += 1
        }
        let unit = bytes.withUnsafeBufferPointer { Lexer.durationUnit($0, from: i, to: token.end) }
        guard let unit else { throw .lexical(.invalidDurationUnit(source.text(SourceRange(start: i, end: token.end))), at: token.range) }
        return .duration(value: value, unit: unit)
    }

    /// typed_literal -> ( DATE | TIMESTAMP ) string
    mutating func parseTypedLiteral() throws(ParseError) -> Expr {
        let typeToken = advance()
        let type = TypeName(name: typeToken.keyword == .date ? "date" : "timestamp", range: typeToken.range)
        let value = try expect(.string)
        return Expr(.literal(.typed(type, unquote(value))), range: typeToken.range.union(value.range))
    }

    /// Interval unit words (singular and plural), mapped to the singular.
    static let intervalUnits: [String: String] = {
        var units: [String: String] = [:]
        for unit in ["year", "month", "week", "day", "hour", "minute", "second", "millisecond",
                     "microsecond", "nanosecond"] {
            units[unit] = unit
            units[unit + "s"] = unit
        }
        return units
    }()

    /// interval_literal -> INTERVAL ( string [ interval_unit ] | ( integer | decimal ) interval_unit
    ///                   | "(" expression ")" interval_unit )
    ///
    /// A word after the string is a unit only if it names one (`INTERVAL '1' day`); otherwise
    /// it is left for an alias (`INTERVAL '1 day' d`). After a number the unit is required.
    mutating func parseIntervalLiteral() throws(ParseError) -> Expr {
        let start = try expect(.interval).start
        let value: Expr
        var unitRequired = true
        if at(.string) {
            value = try parseLiteral()
            unitRequired = false
        } else if at(.leftParen) {
            value = try parseParenthesized()
        } else {
            value = try parseLiteral()
        }
        var unit: String?
        if current.kind == .identifier, current.keyword == nil,
           let known = Parser.intervalUnits[source.text(current.range).lowercased()] {
            advance()
            unit = known
        } else if unitRequired {
            unit = try parseIntervalUnit()
        }
        return Expr(.interval(value, unit: unit), range: SourceRange(start: start, end: previousEnd))
    }

    /// interval_unit -> YEAR | YEARS | MONTH | MONTHS | WEEK | WEEKS | DAY | DAYS | HOUR | HOURS
    ///                | MINUTE | MINUTES | SECOND | SECONDS | MILLISECOND | MILLISECONDS
    ///                | MICROSECOND | MICROSECONDS | NANOSECOND | NANOSECONDS
    mutating func parseIntervalUnit() throws(ParseError) -> String {
        guard current.kind == .identifier else { throw expected("an interval unit such as MINUTE") }
        let word = source.text(current.range).lowercased()
        if let known = Parser.intervalUnits[word] {
            advance()
            return known
        }
        let suggestion = nearestName(to: word, in: Array(Parser.intervalUnits.keys).sorted())
        throw .invalid("unknown interval unit '\(word)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""),
                       at: current.range)
    }

    /// column_reference -> identifier [ "." ( identifier | "*" ) ]
    mutating func parseColumnReference() throws(ParseError) -> Expr {
        let first = try parseIdentifier("column name")
        guard accept(.dot) != nil else { return Expr(.column([first]), range: first.range) }
        if let star = accept(.star) {
            return Expr(.star(qualifier: first), range: first.range.union(star.range))
        }
        let second: Identifier
        if current.kind == .identifier {
            second = identifier(advance())   // after a dot, even a reserved word is a name
        } else {
            second = try parseIdentifier("column name")
        }
        if at(.dot) {
            throw .invalid("a column name has at most two parts (table.column)", at: current.range)
        }
        return Expr(.column([first, second]), range: first.range.union(second.range))
    }

    /// function_call -> identifier "(" [ "*" | [ DISTINCT | ALL ] expression_list [ order_by_clause ]
    ///                  [ ( IGNORE | RESPECT ) NULLS ] ] ")" [ FILTER "(" [ WHERE ] expression ")" ] [ over_clause ]
    mutating func parseFunctionCall() throws(ParseError) -> Expr {
        try enter()
        defer { leave() }
        let name = identifier(advance())
        let open = try expect(.leftParen)
        var call = FunctionCall(name: name, arguments: [])
        if accept(.star) != nil {
            call.star = true
        } else if !at(.rightParen) {
            if accept(.distinct) != nil {
                call.distinct = true
            } else {
                _ = accept(.all)
            }
            call.arguments = try parseExpressionList()
            if at(.order) { call.orderBy = try parseOrderByClause() }
            if at(.ignore) || at(.respect) {
                call.ignoreNulls = advance().keyword == .ignore
                try expect(.nulls)
            }
            if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
        }
        try expectClosing(open)
        if at(.filter) && peek().kind == .leftParen {
            advance()
            let filterOpen = advance()
            _ = accept(.where)   // DuckDB lets it out: `FILTER (x > 1)`
            call.filter = try parseExpression()
            try expectClosing(filterOpen)
        }
        if at(.over), peek().kind == .leftParen || isName(peek()) { call.over = try parseOverClause() }
        return Expr(.function(call), range: SourceRange(start: name.range.start, end: previousEnd))
    }

    /// list_literal -> "[" [ expression_list [ "," ] ] "]"
    mutating func parseListLiteral() throws(ParseError) -> Expr {
        try enter()
        defer { leave() }
        let open = try expect(.leftBracket)
        var elements: [Expr] = []
        while !at(.rightBracket) {
            elements.append(try parseExpression())
            if accept(.comma) == nil { break }
        }
        if !at(.rightBracket) && !at(.endOfInput) { throw expected("',' or ']'") }
        try expectClosing(open)
        return Expr(.list(elements), range: SourceRange(start: open.start, end: previousEnd))
    }

    /// `( expression )`, or a parenthesized query: a scalar subquery, possibly the first
    /// operand of a set operation (`(SELECT 1) UNION (SELECT 2)` in an expression).
    mutating func parseParenthesized() throws(ParseError) -> Expr {
        let open = try expect(.leftParen)
        if at(.select) || at(.with) || at(.values) || at(.from) {
            let query = try parseQuery()
            try expectClosing(open)
            return Expr(.subquery(query), range: SourceRange(start: open.start, end: previousEnd))
        }
        var inner = try parseExpression()
        if case .subquery(let query) = inner.kind,
           at(.union) || at(.except) || at(.intersect) || at(.order) || at(.limit) || at(.offset) {
            let body = try parseSetExpression(first: .nested(query))
            let whole = try parseQueryTail(start: inner.range.start, with: [], body: body)
            inner = Expr(.subquery(whole), range: whole.range)
        }
        try expectClosing(open)
        inner.range = SourceRange(start: open.start, end: previousEnd)
        return inner
    }

    /// case_expression -> CASE [ expression ] when_clause { when_clause } [ ELSE expression ] END
    mutating func parseCaseExpression() throws(ParseError) -> Expr {
        let start = try expect(.case).start
        let operand = at(.when) ? nil : try parseExpression()
        var whens = [try parseWhenClause()]
        while at(.when) {
            whens.append(try parseWhenClause())
        }
        let elseResult = accept(.else) != nil ? try parseExpression() : nil
        if !at(.end) { throw expected(elseResult == nil ? "WHEN, ELSE or END" : "END") }
        advance()
        return Expr(.caseWhen(operand: operand, whens: whens, elseResult: elseResult),
                    range: SourceRange(start: start, end: previousEnd))
    }

    /// when_clause -> WHEN expression THEN expression
    mutating func parseWhenClause() throws(ParseError) -> WhenClause {
        try expect(.when)
        let condition = try parseExpression()
        try expect(.then)
        return WhenClause(condition: condition, result: try parseExpression())
    }

    /// cast_expression -> ( CAST | TRY_CAST ) "(" expression AS type_name ")"
    mutating func parseCastExpression() throws(ParseError) -> Expr {
        let keyword = advance()
        let open = try expect(.leftParen)
        let value = try parseExpression()
        try expect(.as)
        let type = try parseTypeName()
        try expectClosing(open)
        return Expr(.cast(value, type, isTry: keyword.keyword == .tryCast),
                    range: SourceRange(start: keyword.start, end: previousEnd))
    }
}

// The statements for event logs: TIMELINE and SUMMARY (the registry console's "event line"
// and "event summary"), SHOW SOURCES, and SET VARIABLE for the `$name` parameters.

extension Parser {
    /// timeline_statement -> TIMELINE expression [ event_window ] [ LIMIT expression ]
    mutating func parseTimelineStatement() throws(ParseError) -> EventQuery {
        let keyword = try expect(.timeline)
        var query = try parseEventFilter(keyword)
        if accept(.limit) != nil { query.limit = try parseExpression() }
        return query
    }

    /// summary_statement -> SUMMARY expression [ event_window ]
    mutating func parseSummaryStatement() throws(ParseError) -> EventQuery {
        let keyword = try expect(.summary)
        return try parseEventFilter(keyword)
    }

    /// The filter and optional window that TIMELINE and SUMMARY share.
    private mutating func parseEventFilter(_ keyword: Token) throws(ParseError) -> EventQuery {
        if at(.endOfInput) || at(.semicolon) || at(.since) || at(.from) || at(.limit) {
            throw expected("a filter such as repository = 'ns/app'")
        }
        let filter = try parseExpression()
        let window = try parseEventWindow()
        return EventQuery(filter: filter, window: window, keywordRange: keyword.range)
    }

    /// event_window -> SINCE expression | FROM expression TO expression
    mutating func parseEventWindow() throws(ParseError) -> EventWindow? {
        if accept(.since) != nil { return .since(try parseExpression()) }
        guard accept(.from) != nil else { return nil }
        let from = try parseExpression()
        try expect(.to)
        return .between(from: from, to: try parseExpression())
    }

    /// set_variable_statement -> SET VARIABLE identifier ( "=" | TO ) expression
    mutating func parseSetVariableStatement() throws(ParseError) -> Statement.Kind {
        try expect(.set)
        try expect(.variable)
        let name = try parseIdentifier("a variable name")
        if accept(.equal) == nil && accept(.to) == nil { throw expected("'=' or TO") }
        return .setVariable(name: name, value: try parseExpression())
    }
}

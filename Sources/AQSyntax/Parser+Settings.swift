// SET and RESET: session settings such as `SET default_null_order = 'nulls_first'`. The
// parser takes any name and value; the session decides which settings exist.

extension Parser {
    /// set_statement -> SET [ SESSION | GLOBAL ] identifier ( "=" | TO ) setting_value
    mutating func parseSetStatement() throws(ParseError) -> Setting {
        try expect(.set)
        if at(.session) || at(.global) { advance() }
        let name = try parseIdentifier("a setting name")
        if accept(.equal) == nil && accept(.to) == nil { throw expected("'=' or TO") }
        let start = current.start
        let value = try parseSettingValue()
        return Setting(name: name, value: value, valueRange: SourceRange(start: start, end: previousEnd))
    }

    /// reset_statement -> RESET [ SESSION | GLOBAL ] identifier
    mutating func parseResetStatement() throws(ParseError) -> Setting {
        try expect(.reset)
        if at(.session) || at(.global) { advance() }
        return Setting(name: try parseIdentifier("a setting name"), value: nil, valueRange: nil)
    }

    /// setting_value -> string | [ "-" ] ( integer | decimal ) | TRUE | FALSE | bare_word
    ///
    /// The value's text: a string's contents, a number as written, a word in lower case.
    mutating func parseSettingValue() throws(ParseError) -> String {
        switch current.kind {
        case .string:
            return unquote(advance())
        case .minus where peek().kind == .integer || peek().kind == .decimal:
            advance()
            return "-" + source.text(advance().range)
        case .integer, .decimal:
            return source.text(advance().range)
        case .identifier:
            return source.text(advance().range).lowercased()
        default:
            throw expected("a setting value")
        }
    }
}

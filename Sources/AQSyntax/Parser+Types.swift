// Type names as written: one word or a known several-word name (`DOUBLE PRECISION`,
// `TIMESTAMP WITH TIME ZONE`, `CHARACTER VARYING`), with optional arguments (`VARCHAR(20)`)
// and `[]` for a list of the type (`INTEGER[]`).
// The binder decides what a name means.

extension Parser {
    /// type_name -> identifier [ PRECISION | ( WITH | WITHOUT ) TIME ZONE | VARYING ]
    ///              [ "(" integer { "," integer } ")" ] { "[" "]" }
    mutating func parseTypeName() throws(ParseError) -> TypeName {
        let first = try parseIdentifier("type name")
        var name = first.name.lowercased()
        switch name {
        case "double":
            if accept(.precision) != nil { name = "double precision" }
        case "timestamp", "time":
            if at(.with) || at(.without) {
                let with = advance().keyword == .with
                try expect(.time)
                try expect(.zone)
                name += with ? " with time zone" : " without time zone"
            }
        case "character":
            if current.kind == .identifier, source.text(current.range).lowercased() == "varying" {
                advance()
                name = "character varying"
            }
        default:
            break
        }
        var arguments: [Int] = []
        if at(.leftParen) {
            let open = advance()
            arguments.append(try parseTypeArgument())
            while accept(.comma) != nil {
                arguments.append(try parseTypeArgument())
            }
            if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
            try expectClosing(open)
        }
        var listDepth = 0
        while at(.leftBracket) {
            let open = advance()
            try expectClosing(open)
            listDepth += 1
        }
        return TypeName(name: name, arguments: arguments, listDepth: listDepth,
                        range: SourceRange(start: first.range.start, end: previousEnd))
    }

    /// A type argument: a small whole number such as the 20 of `VARCHAR(20)`.
    private mutating func parseTypeArgument() throws(ParseError) -> Int {
        guard at(.integer) else { throw expected("integer") }
        let token = advance()
        guard let value = Int(source.text(token.range)), value <= Int(Int32.max) else {
            throw .invalid("type argument out of range", at: token.range)
        }
        return value
    }
}

// Window functions: `OVER (…)` after a call, its frame, the `WINDOW` clause of named
// windows and `QUALIFY` (parsed with the other SELECT clauses).

extension Parser {
    /// over_clause -> OVER ( identifier | "(" window_spec ")" )
    mutating func parseOverClause() throws(ParseError) -> WindowSpec {
        let over = try expect(.over)
        if isName(current) {
            let name = identifier(advance())
            return WindowSpec(base: name, range: over.range.union(name.range))
        }
        guard at(.leftParen) else { throw expected("'(' or a window name after OVER") }
        return try parseParenthesizedWindowSpec()
    }

    /// `( window_spec )`, its range covering the parentheses.
    private mutating func parseParenthesizedWindowSpec() throws(ParseError) -> WindowSpec {
        let open = try expect(.leftParen)
        var spec = try parseWindowSpec()
        try expectClosing(open)
        spec.range = SourceRange(start: open.start, end: previousEnd)
        return spec
    }

    /// window_spec -> [ identifier ] [ PARTITION BY expression_list ] [ order_by_clause ] [ frame_clause ]
    mutating func parseWindowSpec() throws(ParseError) -> WindowSpec {
        let start = current.start
        var spec = WindowSpec(range: current.range)
        if isName(current), current.keyword != .partition && current.keyword != .rows && current.keyword != .range {
            spec.base = identifier(advance())
        }
        if accept(.partition) != nil {
            try expect(.by)
            spec.partitionBy = try parseExpressionList()
        }
        if at(.order) { spec.orderBy = try parseOrderByClause() }
        if at(.rows) || at(.range) { spec.frame = try parseFrameClause() }
        if !at(.rightParen) && !at(.endOfInput) {
            throw expected(spec.frame == nil ? "PARTITION BY, ORDER BY, ROWS, RANGE or ')'" : "')'")
        }
        spec.range = SourceRange(start: start, end: previousEnd)
        return spec
    }

    /// frame_clause -> ( ROWS | RANGE ) ( BETWEEN frame_bound AND frame_bound | frame_bound )
    ///                 [ EXCLUDE ( CURRENT ROW | GROUP | TIES | NO OTHERS ) ]
    mutating func parseFrameClause() throws(ParseError) -> WindowFrame {
        let unitToken = advance()
        let unit: WindowFrame.Unit = unitToken.keyword == .rows ? .rows : .range
        let start: FrameBound, end: FrameBound
        if accept(.between) != nil {
            start = try parseFrameBound()
            try expect(.and)
            end = try parseFrameBound()
        } else {
            start = try parseFrameBound()
            end = .currentRow(start.range)
        }
        var frame = WindowFrame(unit: unit, start: start, end: end, range: unitToken.range)
        if accept(.exclude) != nil {
            if accept(.current) != nil {
                try expect(.row)
                frame.exclude = .currentRow
            } else if accept(.group) != nil {
                frame.exclude = .group
            } else if accept(.ties) != nil {
                frame.exclude = .ties
            } else if accept(.no) != nil {
                try expect(.others)
                frame.exclude = .noOthers
            } else {
                throw expected("CURRENT ROW, GROUP, TIES or NO OTHERS")
            }
        }
        frame.range = SourceRange(start: unitToken.start, end: previousEnd)
        return frame
    }

    /// frame_bound -> UNBOUNDED ( PRECEDING | FOLLOWING ) | CURRENT ROW
    ///              | expression ( PRECEDING | FOLLOWING )
    mutating func parseFrameBound() throws(ParseError) -> FrameBound {
        if at(.unbounded) {
            let token = advance()
            if let p = accept(.preceding) { return .unboundedPreceding(token.range.union(p.range)) }
            if let f = accept(.following) { return .unboundedFollowing(token.range.union(f.range)) }
            throw expected("PRECEDING or FOLLOWING")
        }
        if at(.current) {
            let token = advance()
            let row = try expect(.row)
            return .currentRow(token.range.union(row.range))
        }
        let offset = try parseExpression()
        if accept(.preceding) != nil { return .preceding(offset) }
        if accept(.following) != nil { return .following(offset) }
        throw expected("PRECEDING or FOLLOWING")
    }

    /// window_clause -> WINDOW identifier AS "(" window_spec ")" { "," identifier AS "(" window_spec ")" }
    mutating func parseWindowClause() throws(ParseError) -> [NamedWindow] {
        try expect(.window)
        var out: [NamedWindow] = []
        repeat {
            let name = try parseIdentifier("a window name")
            try expect(.as)
            out.append(NamedWindow(name: name, spec: try parseParenthesizedWindowSpec()))
        } while accept(.comma) != nil
        return out
    }
}

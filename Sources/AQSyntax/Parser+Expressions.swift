// Operator expressions: one precedence table and one precedence-climbing loop (Lua's
// `subexpr`, clox's `parsePrecedence`), prefix operators, and the predicates that sit at the
// comparison level (IS, IN, BETWEEN, LIKE).

/// How tightly an operator binds, loosest first. As in PostgreSQL and DuckDB, `NOT a = b`
/// is `NOT (a = b)`, `a || b = c` is `(a || b) = c`, `-a::t` is `-(a::t)`.
enum Precedence: Int, Comparable {
    case or = 1
    case and
    case not
    /// `= <> < <= > >=`, `IS`, `IN`, `BETWEEN`, `LIKE`, `ILIKE`
    case comparison
    case concat
    case additive
    case multiplicative
    /// `^`, `**`
    case exponent
    case unary
    case cast

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    /// The next tighter level: the right operand of a left-associative operator.
    var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .cast }
}

/// What the current token does after a complete operand.
enum InfixOperator {
    case binary(BinaryOperator, Precedence)
    /// `IS …`, `[NOT] IN`, `[NOT] BETWEEN`, `[NOT] LIKE`, `[NOT] ILIKE`
    case predicate
    /// `::`
    case cast
    /// `^` / `**`: power(a, b)
    case power

    var precedence: Precedence {
        switch self {
        case .binary(_, let p): return p
        case .power: return .exponent
        case .predicate: return .comparison
        case .cast: return .cast
        }
    }
}

extension Parser {
    /// binary_operator -> OR | AND | "=" | "<>" | "<" | "<=" | ">" | ">=" | "||" | "+" | "-"
    ///                  | "*" | "/" | "//" | "%" | "^" | "**"
    ///
    /// The precedence table: what the current token is as an operator after an operand,
    /// and how tightly it binds; nil if it ends the expression.
    func infixOperator() -> InfixOperator? {
        let token = current
        switch token.kind {
        case .identifier:
            switch token.keyword {
            case .or: return .binary(.or, .or)
            case .and: return .binary(.and, .and)
            case .is, .in, .between, .like, .ilike: return .predicate
            case .not:
                switch peek().keyword {
                case .in, .between, .like, .ilike: return .predicate
                default: return nil
                }
            default: return nil
            }
        case .equal: return .binary(.equal, .comparison)
        case .notEqual: return .binary(.notEqual, .comparison)
        case .less: return .binary(.less, .comparison)
        case .lessEqual: return .binary(.lessEqual, .comparison)
        case .greater: return .binary(.greater, .comparison)
        case .greaterEqual: return .binary(.greaterEqual, .comparison)
        case .concat: return .binary(.concat, .concat)
        case .plus: return .binary(.add, .additive)
        case .minus: return .binary(.subtract, .additive)
        case .star: return .binary(.multiply, .multiplicative)
        case .slash: return .binary(.divide, .multiplicative)
        case .slashSlash: return .binary(.integerDivide, .multiplicative)
        case .percent: return .binary(.modulo, .multiplicative)
        case .caret: return .power
        case .doubleColon: return .cast
        default: return nil
        }
    }

    /// expression -> prefix_expression { binary_operator prefix_expression | predicate | "::" type_name }
    ///
    /// Precedence climbing: operators that bind at least as tightly as `minimum` are folded
    /// into the left operand; a left-associative operator's right operand takes only tighter ones.
    mutating func parseExpression(_ minimum: Precedence = .or) throws(ParseError) -> Expr {
        try enter()
        defer { leave() }
        var left = try parsePrefixExpression()
        var folds = 0
        defer { chain -= folds }
        while let op = infixOperator(), op.precedence >= minimum {
            // A chain `a + b + c + …` makes the tree as deep as the chain is long.
            folds += 1
            try extendChain()
            left = try parseInfix(op, left)
        }
        return left
    }

    /// The rest of an operation whose left operand is parsed and whose operator is current.
    private mutating func parseInfix(_ op: InfixOperator, _ left: Expr) throws(ParseError) -> Expr {
        switch op {
        case .binary(let binary, let precedence):
            advance()
            let right = try parseExpression(precedence.tighter)
            return Expr(.binary(binary, left, right), range: left.range.union(right.range))
        case .power:
            advance()
            let right = try parseExpression(Precedence.exponent.tighter)
            let name = Identifier(name: "power", range: SourceRange(start: left.range.end, end: right.range.start))
            return Expr(.function(FunctionCall(name: name, arguments: [left, right])), range: left.range.union(right.range))
        case .cast:
            advance()
            let type = try parseTypeName()
            return Expr(.cast(left, type, isTry: false), range: left.range.union(type.range))
        case .predicate:
            return try parsePredicate(left)
        }
    }

    /// prefix_expression -> NOT expression | ( "-" | "+" ) prefix_expression | primary
    ///
    /// `NOT` takes everything down to the comparisons; a sign only its operand and casts.
    /// A minus before a number stays an operator (`-5` is `(- 5)`): the binder reads
    /// `-9223372036854775808` as one value.
    mutating func parsePrefixExpression() throws(ParseError) -> Expr {
        switch current.kind {
        case .identifier where current.keyword == .not: return try parseNot()
        case .minus, .plus: return try parseSign()
        default: return try parsePrimary()
        }
    }

    /// `NOT` and its operand, which reaches down to the comparisons.
    private mutating func parseNot() throws(ParseError) -> Expr {
        let token = advance()
        let operand = try parseExpression(.comparison)
        return Expr(.unary(.not, operand), range: token.range.union(operand.range))
    }

    /// A sign and its operand, which takes only casts.
    private mutating func parseSign() throws(ParseError) -> Expr {
        let token = advance()
        let operand = try parseExpression(.cast)
        return Expr(.unary(token.kind == .minus ? .negate : .plus, operand), range: token.range.union(operand.range))
    }

    /// predicate -> IS [ NOT ] ( NULL | UNKNOWN | TRUE | FALSE | DISTINCT FROM prefix_expression )
    ///            | [ NOT ] IN "(" [ query | expression { "," expression } ] ")"
    ///            | [ NOT ] BETWEEN prefix_expression AND prefix_expression
    ///            | [ NOT ] ( LIKE | ILIKE ) prefix_expression [ ESCAPE prefix_expression ]
    ///
    /// The operands after the keyword bind tighter than comparisons, so
    /// `a BETWEEN 1 AND 2 AND b` is `(a BETWEEN 1 AND 2) AND b`.
    mutating func parsePredicate(_ left: Expr) throws(ParseError) -> Expr {
        if accept(.is) != nil {
            let negated = accept(.not) != nil
            let kind: ExprKind
            switch current.keyword {
            case .null, .unknown:
                advance()
                kind = .isNull(left, negated: negated)
            case .true, .false:
                kind = .isBoolean(left, value: advance().keyword == .true, negated: negated)
            case .distinct:
                advance()
                try expect(.from)
                let right = try parseExpression(.concat)
                kind = .isDistinctFrom(left, right, negated: negated)
            default:
                throw expected(negated ? "NULL, TRUE, FALSE or DISTINCT FROM" : "NULL, NOT, TRUE, FALSE or DISTINCT FROM")
            }
            return Expr(kind, range: SourceRange(start: left.range.start, end: previousEnd))
        }
        let negated = accept(.not) != nil
        switch current.keyword {
        case .in:
            advance()
            let open = try expect(.leftParen)
            let kind: ExprKind
            if at(.select) || at(.with) || at(.values) || at(.from) {
                kind = .inSubquery(left, try parseQuery(), negated: negated)
            } else if at(.rightParen) {
                // `x IN ()` is false (NULL for a NULL x), as in DuckDB.
                kind = .inList(left, [], negated: negated)
            } else {
                let list = try parseExpressionList()
                if !at(.rightParen) && !at(.endOfInput) { throw expected("',' or ')'") }
                kind = .inList(left, list, negated: negated)
            }
            try expectClosing(open)
            return Expr(kind, range: SourceRange(start: left.range.start, end: previousEnd))
        case .between:
            advance()
            let low = try parseExpression(.concat)
            try expect(.and)
            let high = try parseExpression(.concat)
            return Expr(.between(left, low: low, high: high, negated: negated),
                        range: left.range.union(high.range))
        case .like, .ilike:
            let caseInsensitive = advance().keyword == .ilike
            let pattern = try parseExpression(.concat)
            var escape: Expr?
            if accept(.escape) != nil { escape = try parseExpression(.concat) }
            return Expr(.like(left, pattern: pattern, caseInsensitive: caseInsensitive,
                              negated: negated, escape: escape),
                        range: left.range.union(escape?.range ?? pattern.range))
        default:
            throw expected("IN, BETWEEN, LIKE or ILIKE")
        }
    }

    /// expression_list -> expression { "," expression }
    mutating func parseExpressionList() throws(ParseError) -> [Expr] {
        var list = [try parseExpression()]
        while accept(.comma) != nil {
            list.append(try parseExpression())
        }
        return list
    }
}

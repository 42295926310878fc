// Implicit typing: casts the binder inserts, and the common type of several expressions
// (CASE results, COALESCE arguments, IN lists, VALUES columns, set operation columns).

import AQSyntax

extension Binder {
    /// `expr` as a value of `type`: itself, a typed NULL, or a cast.
    func coerce(_ expr: BoundExpr, to type: DataType) -> BoundExpr {
        if expr.type == type || type == .null { return expr }
        if case .constant(.null) = expr.kind { return .constant(.null, type, range: expr.range) }
        // A string literal read as a time is read now, so plans show the time itself. Text
        // that does not parse keeps its cast, which fails when (and if) it runs.
        if case .constant(.varchar(let text)) = expr.kind {
            switch type {
            case .timestamp:
                if let t = TimeMath.parseTimestamp(text) { return .constant(.timestamp(t), type, range: expr.range) }
            case .date:
                if let d = TimeMath.parseDate(text) { return .constant(.date(d), type, range: expr.range) }
            case .interval:
                if let i = IntervalText.parse(text) { return .constant(.interval(i), type, range: expr.range) }
            default:
                break
            }
        }
        return BoundExpr(.cast(expr, isTry: false), type: type, range: expr.range)
    }

    /// A condition: BOOLEAN (a bare NULL counts), or an error naming `what`. With
    /// `integers`, an INTEGER counts too, read as DuckDB reads it (0 false, else true): the
    /// operands of AND, OR and NOT.
    func requireBoolean(_ expr: BoundExpr, _ what: String, integers: Bool = false) throws -> BoundExpr {
        switch expr.type {
        case .boolean: return expr
        case .null: return coerce(expr, to: .boolean)
        case .integer where integers: return coerce(expr, to: .boolean)
        default:
            throw BindError.typeMismatch("\(what) must be BOOLEAN, not \(expr.type)",
                                         range: expr.range ?? SourceRange(start: 0, end: 0))
        }
    }

    /// The type two expressions meet in when they stand for the same value (CASE, COALESCE,
    /// VALUES): a string literal takes the other side's type, numbers widen to DOUBLE, DATE
    /// to TIMESTAMP. Nil when they do not mix.
    static func commonType(_ a: BoundExpr, _ b: BoundExpr) -> DataType? {
        commonType(a.type, aIsText: a.isStringLiteral, b.type, bIsText: b.isStringLiteral)
    }

    static func commonType(_ a: DataType, aIsText: Bool, _ b: DataType, bIsText: Bool) -> DataType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        switch (a, b) {
        case (.list(let x), .list(let y)):
            return commonType(x, aIsText: false, y, bIsText: false).map { .list($0) }
        case (.integer, .double), (.double, .integer): return .double
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        case (.varchar, .json), (.json, .varchar): return .varchar
        default: break
        }
        if aIsText { return b }
        if bIsText { return a }
        return nil
    }

    /// The common type of `exprs`, or a mismatch error naming `construct` at the first
    /// expression that does not fit.
    func commonType(_ exprs: [BoundExpr], in construct: String) throws -> DataType {
        guard let first = exprs.first else { return .null }
        var result = first.type
        var textOnly = first.isStringLiteral
        for e in exprs.dropFirst() {
            guard let t = Binder.commonType(result, aIsText: textOnly, e.type, bIsText: e.isStringLiteral) else {
                throw BindError.typeMismatch("cannot mix \(result) and \(e.type) in \(construct)",
                                             range: e.range ?? SourceRange(start: 0, end: 0))
            }
            textOnly = textOnly && e.isStringLiteral
            result = t
        }
        return result
    }

    /// The type a column of a set operation takes: as `commonType`, and VARCHAR for types
    /// that do not otherwise mix (as DuckDB unions INTEGER and VARCHAR).
    static func setOperationType(_ a: DataType, _ b: DataType) -> DataType {
        commonType(a, aIsText: false, b, bIsText: false) ?? .varchar
    }

    /// The type `exprs` are compared in (IN lists), or an error at the first that cannot be.
    func comparisonType(_ exprs: [BoundExpr]) throws -> DataType {
        guard var result = exprs.first?.type else { return .null }
        for e in exprs.dropFirst() {
            guard let t = OperatorTyping.comparisonType(result, e.type) else {
                throw BindError.typeMismatch("cannot compare \(result) and \(e.type)",
                                             range: e.range ?? SourceRange(start: 0, end: 0))
            }
            result = t
        }
        return result
    }

    /// Maps a written type name to a type.
    func dataType(_ name: TypeName) throws -> DataType {
        guard let t = DataType(sqlName: name.name, listDepth: name.listDepth) else {
            throw BindError.unknownType(name.name, range: name.range)
        }
        return t
    }
}

extension BoundExpr {
    /// A VARCHAR constant: a string literal, which adapts to the type it meets.
    var isStringLiteral: Bool {
        if case .constant(.varchar) = kind { return true }
        return false
    }
}

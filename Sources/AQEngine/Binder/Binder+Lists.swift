// Binding LIST forms: list literals `[a, b]`, the list functions (`len`, `array_length`,
// `length` of a list, `list_position`, `list_contains` and their other names, `contains` of a list) and `unnest(list)` in a select list, which becomes a reference to a
// column of an Unnest node that the SELECT places after its window functions.

import AQSyntax

/// The unnest calls of one select list. Each is referred to as column `base + j` until the
/// Unnest node's input width is known; `placed(_:inputWidth:)` then moves the references.
/// The placeholders sit below `Windowing.base`, so placing window columns leaves them be.
final class Unnesting {
    static let base = 1 << 39
    private(set) var lists: [BoundExpr] = []

    /// The placeholder column of the elements of `list` (each call is its own column, as
    /// in DuckDB: `unnest(l), unnest(l)` are two columns walking together).
    func column(of list: BoundExpr) -> Int {
        lists.append(list)
        return Unnesting.base + lists.count - 1
    }

    /// `e` with its placeholder columns pointing after an input of `inputWidth` columns.
    static func placed(_ e: BoundExpr, inputWidth: Int) -> BoundExpr {
        e.remappingColumns { $0 >= base && $0 < Windowing.base ? inputWidth + ($0 - base) : $0 }
    }
}

extension Binder {
    /// Names of the list functions the binder resolves itself.
    static let listFunctionNames = ["len", "array_length", "unnest", "list_position", "list_indexof",
                                    "array_position", "array_indexof", "list_contains", "list_has",
                                    "array_contains", "array_has"]

    /// `[a, b, …]`: the elements cast to their common type.
    func bindListLiteral(_ items: [Expr], range: SourceRange, _ ctx: ExprContext) throws -> BoundExpr {
        let elements = try items.map { try bindExpr($0, ctx) }
        var element = DataType.null
        var textOnly = true
        for e in elements {
            guard let t = Binder.commonType(element, aIsText: textOnly && element != .null, e.type, bIsText: e.isStringLiteral) else {
                throw BindError.list(.elementTypes(element, e.type), range: e.range ?? range)
            }
            textOnly = textOnly && e.isStringLiteral
            element = t
        }
        let function = ListFunctions.value(element: element, count: elements.count)
        return BoundExpr(.call(function, elements.map { coerce($0, to: element) }), type: .list(element), range: range)
    }

    /// A call of a list function, or nil when `name` with these arguments is not one
    /// (`length` of a string stays the string function).
    func bindListFunction(_ name: String, _ call: FunctionCall, range: SourceRange, _ ctx: ExprContext) throws -> BoundExpr? {
        switch name {
        case "unnest":
            return try bindUnnest(call, range: range, ctx)
        case "len", "array_length", "length":
            guard call.arguments.count == 1 else {
                if name == "length" { return nil }
                throw BindError.wrongArguments(function: name, expected: .one, found: call.arguments.count, range: range)
            }
            let list = try bindExpr(call.arguments[0], ctx)
            if list.type.listElement == nil {
                // `length('abc')` and `len('abc')` count characters, as in DuckDB.
                if name != "array_length", list.type.isString || list.type == .null { return nil }
                throw BindError.list(.notAList(function: name, found: list.type), range: call.arguments[0].range)
            }
            return BoundExpr(.call(ListFunctions.length(of: list.type), [list]), type: .integer, range: range)
        case "list_position", "list_indexof", "array_position", "array_indexof",
             "list_contains", "list_has", "array_contains", "array_has":
            return try bindListSearch(name, call, range: range, ctx)
        case "contains":
            // `contains(list, x)` is `list_contains`; `contains(text, part)` stays the string
            // function. Two untyped NULLs could be either, an error as in DuckDB.
            guard call.arguments.count == 2 else { return nil }
            let first = try bindExpr(call.arguments[0], ctx)
            if first.type.listElement != nil { return try bindListSearch(name, call, range: range, ctx) }
            if first.type == .null, try bindExpr(call.arguments[1], ctx).type == .null {
                throw BindError.typeMismatch("contains(NULL, NULL) could be the text or the list function: "
                                             + "give an argument a type, as in NULL::VARCHAR", range: range)
            }
            return nil
        default:
            return nil
        }
    }

    /// `list_position(list, x)` and `list_contains(list, x)` with x cast to the element type.
    private func bindListSearch(_ name: String, _ call: FunctionCall, range: SourceRange,
                                _ ctx: ExprContext) throws -> BoundExpr {
        guard call.arguments.count == 2 else {
            throw BindError.wrongArguments(function: name, expected: .listAndElement, found: call.arguments.count, range: range)
        }
        var list = try bindExpr(call.arguments[0], ctx)
        let needle = try bindExpr(call.arguments[1], ctx)
        if list.type == .null { list = coerce(list, to: .list(needle.type)) }
        guard let element = list.type.listElement else {
            throw BindError.list(.notAList(function: name, found: list.type), range: call.arguments[0].range)
        }
        guard needle.type == .null || OperatorTyping.comparisonType(element, needle.type) == element else {
            throw BindError.list(.elementTypes(element, needle.type), range: call.arguments[1].range)
        }
        let position = name.hasSuffix("position") || name.hasSuffix("indexof")
        let function = ListFunctions.search(name, listType: list.type, position: position)
        return BoundExpr(.call(function, [list, coerce(needle, to: element)]),
                         type: position ? .integer : .boolean, range: range)
    }

    /// `unnest(list)`: allowed only where the select list's Unnest node can produce it.
    private func bindUnnest(_ call: FunctionCall, range: SourceRange, _ ctx: ExprContext) throws -> BoundExpr {
        guard let unnesting = ctx.unnesting else {
            if ctx.clause == "unnest" || ctx.clause == "window function" {
                throw BindError.list(.nestedUnnest, range: range)
            }
            throw BindError.list(.unnestIn(clause: ctx.clause == "aggregate" ? "the arguments of an aggregate" : ctx.clause), range: range)
        }
        guard call.arguments.count == 1 else {
            throw BindError.wrongArguments(function: "unnest", expected: .one, found: call.arguments.count, range: range)
        }
        var inner = ctx
        inner.unnesting = nil
        inner.windowing = ctx.windowing
        inner.clause = "unnest"
        var list = try bindExpr(call.arguments[0], inner)
        if list.type == .null { list = coerce(list, to: .list(.null)) }
        guard let element = list.type.listElement else {
            throw BindError.list(.notAList(function: "unnest", found: list.type), range: call.arguments[0].range)
        }
        let column = unnesting.column(of: list)
        return BoundExpr(.column(index: column, name: "unnest(\(list.description))"), type: element, range: range)
    }

    /// Whether `e` calls unnest outside subqueries.
    func containsUnnest(_ e: Expr) -> Bool {
        var found = false
        visitOwnNodes(e) { node in
            if case .function(let call) = node.kind, call.over == nil, call.name.name == "unnest" { found = true }
        }
        return found
    }
}

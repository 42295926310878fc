// A statement parsed once and run many times with different parameter values.

import AQSyntax

/// One statement, parsed once, run with values for its parameters: `$name`, `$1`, `$2`, …,
/// and `?` (the n-th `?` is `$n`). Values are bound as typed constants, never spliced into
/// the text, so a value holding quotes cannot change the statement. A `$name` without a
/// value takes the session variable of that name (`SET VARIABLE`, `--param`), as in scripts.
///
///     let pulls = try db.prepare("SELECT actor, count(*) AS n FROM events WHERE repository = $1 GROUP BY actor")
///     for try await row in try pulls.query("payments/api") { print(try row["actor"], try row["n"]) }
///
/// Used by one thread at a time; many statements may run on one database at once.
public final class PreparedStatement {
    /// The statement's parameters in order of first appearance: numbers (`"1"`) for `$1` and
    /// `?`, lower-case names for `$name`.
    public let parameterNames: [String]
    /// Limits for this statement's runs, narrowing the database's where set.
    public var limits = Limits()

    private let database: Database
    private let source: Source
    private let statement: Statement
    /// How many positional parameters: the highest `$n`.
    private let positionalCount: Int

    init(database: Database, source: Source) throws {
        self.database = database
        self.source = source
        let parsed = Parser.parseScript(source)
        guard parsed.count == 1, let only = parsed.first else {
            throw parsed.isEmpty ? AQError.api(.noStatement) : AQError(APIError.oneStatementExpected(found: parsed.count), source: source)
        }
        switch only {
        case .error(let error): throw AQError(error, source: source)
        case .statement(let statement): self.statement = statement
        }
        var names: [String] = []
        var questionMarks = 0
        for token in Lexer.tokenize(source) where token.kind == .parameter {
            let text = source.text(token.range)
            let name: String
            if text == "?" {
                questionMarks += 1
                name = String(questionMarks)
            } else {
                name = String(text.dropFirst()).lowercased()
            }
            if !names.contains(name) { names.append(name) }
        }
        parameterNames = names
        positionalCount = names.compactMap { Int($0) }.max() ?? 0
        guard !database.lock.reading({ database.isClosed }) else { throw AQError.api(.databaseClosed) }
    }

    /// Runs the statement with `values` for `$1`, `$2`, … (and the `?`s), in order: as many
    /// values as the statement has positional parameters.
    public func query(_ values: Value...) throws -> Rows {
        try query(values)
    }

    /// Runs the statement with `values` for `$1`, `$2`, … (and the `?`s), in order.
    public func query(_ values: [Value]) throws -> Rows {
        guard values.count == positionalCount else {
            throw AQError.api(.parameterCount(expected: positionalCount, found: values.count))
        }
        var bound: [String: Value] = [:]
        for (i, value) in values.enumerated() { bound[String(i + 1)] = value }
        return try run(bound)
    }

    /// Runs the statement with values by parameter name (`"repo"` for `$repo`, `"1"` for `$1`).
    public func query(_ named: [String: Value]) throws -> Rows {
        var bound: [String: Value] = [:]
        for (name, value) in named {
            let key = name.hasPrefix("$") ? String(name.dropFirst()).lowercased() : name.lowercased()
            guard parameterNames.contains(key) else { throw AQError.api(.unknownParameter(key)) }
            bound[key] = value
        }
        return try run(bound)
    }

    private func run(_ bound: [String: Value]) throws -> Rows {
        let variables = database.lock.reading { database.variables }
        for name in parameterNames where bound[name] == nil {
            if Int(name) == nil, variables[name] != nil { continue }
            throw AQError.api(.missingParameter(name))
        }
        return try Rows(database: database, statement: statement, source: source, parameters: bound, limits: limits)
    }
}

// Tab completion that knows where the cursor is: a dot command, a file path inside `LOAD '…'`
// or `.read`, a table after FROM, a column of the statement's tables, a function, a keyword.
// Pure: it sees text and a snapshot of names, never the terminal, so it is tested directly.

import AQEngine

/// What to put in place of the word before the cursor.
public struct Completion: Equatable, Sendable {
    /// The word being completed (the text before the cursor that candidates replace).
    public var word: String
    /// Full replacements for `word`, best first, without duplicates.
    public var candidates: [String]

    public init(word: String, candidates: [String]) {
        self.word = word
        self.candidates = candidates
    }

    /// The longest text every candidate starts with (compared case-insensitively, spelled
    /// as the first candidate spells it).
    public var commonPrefix: String {
        guard var prefix = candidates.first.map({ Array($0.unicodeScalars) }) else { return word }
        for candidate in candidates.dropFirst() {
            let other = Array(candidate.unicodeScalars)
            var n = 0
            while n < prefix.count, n < other.count,
                  lowered(prefix[n]) == lowered(other[n]) { n += 1 }
            prefix.removeLast(prefix.count - n)
        }
        var out = ""
        out.unicodeScalars.append(contentsOf: prefix)
        return out
    }
}

/// Finds completions for the text before the cursor.
public struct Completer {
    public var names: CompletionNames
    /// Entries of a directory for path completion: (name, is a directory). Injected so
    /// tests do not depend on the file system.
    public var listDirectory: (String) -> [(name: String, isDirectory: Bool)]

    public init(names: CompletionNames,
                listDirectory: @escaping (String) -> [(name: String, isDirectory: Bool)] = FileSystem.listDirectory) {
        self.names = names
        self.listDirectory = listDirectory
    }

    /// Completions for `text`, the statement typed so far up to the cursor (earlier lines
    /// of an unfinished statement included, separated by `\n`). `after` is the rest of the
    /// line after the cursor: a `FROM events e` there tells what `e.` stands for.
    public func complete(_ text: String, after: String = "") -> Completion {
        let bytes = Array(text.utf8)
        let lexed = CompletionLexer.scan(bytes)
        let whole = after.isEmpty ? lexed : CompletionLexer.scan(bytes + Array(after.utf8))

        // A dot command: only at the start of a statement.
        if let first = lexed.tokens.first, first.kind == .dot, first.start == leadingSpace(bytes) {
            return completeDotCommand(bytes)
        }
        if lexed.inString {
            // A path inside `LOAD '…'` (or `OPEN`/`SAVE`), nowhere else.
            let before = lexed.tokens.last { $0.end <= lexed.stringStart }
            if let before, ["load", "open", "save"].contains(before.lowered) {
                let partial = String(decoding: bytes[(lexed.stringStart + 1)...], as: UTF8.self)
                return completePath(partial, quote: "'")
            }
            return Completion(word: "", candidates: [])
        }
        if lexed.inComment || lexed.inQuotedIdentifier { return Completion(word: "", candidates: []) }

        let word = lexed.partialWord(bytes)
        let wordStart = bytes.count - word.utf8.count
        let preceding = lexed.tokens.filter { $0.end <= wordStart }

        // `alias.col` or `table.col`: the columns of that table.
        if let dot = preceding.last, dot.kind == .dot, dot.end == wordStart,
           preceding.count >= 2, preceding[preceding.count - 2].kind == .word {
            let qualifier = preceding[preceding.count - 2].lowered
            let table = resolveQualifier(qualifier, tokens: whole.tokens)
            let columns = names.tables.first { $0.name.lowercased() == table }?.columns ?? []
            return Completion(word: word, candidates: matching(word, columns))
        }

        // After FROM, JOIN, INTO, TABLE, DESCRIBE, or a comma in a FROM list: tables.
        if let last = preceding.last {
            let clause = preceding.last { $0.kind == .word && Completer.clauseWords.contains($0.lowered) }?.lowered
            let tableContext = (last.kind == .word && Completer.tableWords.contains(last.lowered))
                || (last.kind == .comma && clause == "from")
            if tableContext {
                return Completion(word: word, candidates: matching(word, names.tables.map(\.name)))
            }
        }

        // The words that may follow SHOW and SET VARIABLE's SET.
        if let last = preceding.last, last.kind == .word, let next = Completer.nextWords[last.lowered] {
            let lower = word.first?.isLowercase == true
            return Completion(word: word, candidates: matching(word, next).map { lower ? $0.lowercased() : $0 })
        }

        // Anywhere else: columns of the statement's tables, then functions, then keywords.
        let mentioned = Set(whole.tokens.filter { $0.kind == .word }.map(\.lowered))
        var tables = names.tables.filter { mentioned.contains($0.name.lowercased()) }
        if tables.isEmpty { tables = names.tables }
        var candidates: [String] = []
        for table in tables { candidates += matching(word, table.columns) }
        candidates += matching(word, names.tables.map(\.name))
        candidates += matching(word, names.functions)
        candidates += matching(word, SQLKeywords.all).map { word.first?.isLowercase == true ? $0.lowercased() : $0 }
        return Completion(word: word, candidates: unique(candidates))
    }

    /// Keywords that come only after a given word.
    static let nextWords: [String: [String]] = ["show": ["TABLES", "SOURCES", "RAW"], "set": ["VARIABLE"]]

    /// Keywords offered only after their word, not among all words.
    static let onlyAfterTheirWord: Set<String> = ["SOURCES", "VARIABLE", "RAW", "PATHS"]

    /// Words after which a table name comes.
    static let tableWords: Set<String> = ["from", "join", "into", "table", "view", "describe", "update"]
    /// Words that start a clause (to tell a FROM list's comma from a SELECT list's).
    static let clauseWords: Set<String> = ["select", "from", "where", "group", "order", "having",
                                           "limit", "on", "join", "union", "values", "set", "by"]

    // MARK: Contexts

    private func completeDotCommand(_ bytes: [UInt8]) -> Completion {
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            return Completion(word: String(trimmed), candidates: matching(String(trimmed), DotCommand.names))
        }
        let command = String(trimmed[..<space]).lowercased()
        let argument = String(trimmed[space...].drop { $0 == " " || $0 == "\t" })
        // Only the first argument is completed.
        guard !argument.contains(" ") || argument.hasPrefix("'") || argument.hasPrefix("\"") else {
            return Completion(word: "", candidates: [])
        }
        switch command {
        case ".read", ".load", ".output", ".open", ".save":
            if let quote = argument.first, quote == "'" || quote == "\"" {
                return completePath(String(argument.dropFirst()), quote: quote)
            }
            return completePath(argument, quote: nil)
        case ".mode": return Completion(word: argument, candidates: matching(argument, OutputFormat.allCases.map(\.rawValue)))
        case ".timer": return Completion(word: argument, candidates: matching(argument, ["on", "off"]))
        case ".schema": return Completion(word: argument, candidates: matching(argument, names.tables.map(\.name)))
        case ".help": return Completion(word: argument, candidates: matching(argument, DotCommand.names.map { String($0.dropFirst()) }))
        default: return Completion(word: "", candidates: [])
        }
    }

    /// Paths starting with `partial`: directories end in `/`; a finished file name inside
    /// quotes gets its closing quote.
    private func completePath(_ partial: String, quote: Character?) -> Completion {
        var directory = ""
        var stem = partial
        if let slash = partial.lastIndex(of: "/") {
            directory = String(partial[...slash])
            stem = String(partial[partial.index(after: slash)...])
        }
        var listed = directory.hasPrefix("~/") ? FileSystem.home + directory.dropFirst(1) : directory
        if listed.isEmpty { listed = "." }
        let entries = listDirectory(listed)
            .filter { $0.name.hasPrefix(stem) && ($0.name.first != "." || stem.first == ".") }
            .sorted { $0.name < $1.name }
        let candidates = entries.map { entry -> String in
            let path = directory + entry.name
            if entry.isDirectory { return path + "/" }
            return entries.count == 1 && quote != nil ? path + String(quote!) : path
        }
        return Completion(word: partial, candidates: candidates)
    }

    /// The table an alias or table name stands for in the statement (`FROM events e`).
    private func resolveQualifier(_ qualifier: String, tokens: [CompletionLexer.Token]) -> String {
        let tableNames = Set(names.tables.map { $0.name.lowercased() })
        if tableNames.contains(qualifier) { return qualifier }
        let words = tokens.filter { $0.kind == .word }.map(\.lowered)
        for (i, word) in words.enumerated() where word == qualifier && i > 0 {
            var j = i - 1
            if words[j] == "as", j > 0 { j -= 1 }
            if tableNames.contains(words[j]) { return words[j] }
        }
        return qualifier
    }

    private func matching(_ word: String, _ candidates: [String]) -> [String] {
        let lower = word.lowercased()
        return candidates.filter { $0.lowercased().hasPrefix(lower) }
    }

    private func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0.lowercased()).inserted }
    }

    private func leadingSpace(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") || bytes[i] == 10 { i += 1 }
        return i
    }
}

private func lowered(_ s: Unicode.Scalar) -> Unicode.Scalar {
    (s.value >= 65 && s.value <= 90) ? Unicode.Scalar(s.value + 32)! : s
}

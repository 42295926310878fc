// The words tab completion offers, upper case: the lexer's keyword table (clause words
// first, as they are wanted most often), then the type names that are not keywords; words
// that only follow one other word are left to that word.

import AQEngine
import AQSyntax

enum SQLKeywords {
    static let all: [String] = {
        // SOURCES, RAW and VARIABLE are offered only after SHOW and SET (`Completer.nextWords`).
        let keywords = Keyword.allCases.map(\.rawValue).filter { !Completer.onlyAfterTheirWord.contains($0) }
        let isClause = { (word: String) in Completer.clauseWords.contains(word.lowercased()) }
        let types = DataType.scalarTypes.filter { $0 != .null }.map(\.description).filter { !keywords.contains($0) }
        // SAVE (a statement) and FORCE (after LOAD's path) are words the parser reads by
        // position, not keywords.
        return keywords.filter(isClause) + keywords.filter { !isClause($0) } + ["SAVE", "FORCE"] + types
    }()
}

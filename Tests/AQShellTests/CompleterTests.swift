import XCTest
import AQEngine
import AQSyntax
@testable import AQShell

final class CompleterTests: XCTestCase {
    let completer = Completer(
        names: CompletionNames(
            tables: [(name: "events", columns: ["time", "action", "actor", "source_ip", "repository"]),
                     (name: "allowlist", columns: ["ip", "owner", "note"])],
            functions: ["abs", "ago", "avg", "count", "ip_in_cidr", "is_private_ip"]),
        listDirectory: { path in
            switch path {
            case ".": return [("examples", true), ("logs", true), ("README.md", false), (".hidden", false)]
            case "examples/": return [("first-look.aq", false), ("failed-pulls.aq", false), ("logs", true)]
            default: return []
            }
        })

    func testColumnsOfTheStatementsTablesAfterWhere() {
        let c = completer.complete("SELECT count(*) FROM events WHERE ac")
        XCTAssertEqual(c.word, "ac")
        XCTAssertEqual(c.candidates, ["action", "actor"])
        XCTAssertEqual(c.commonPrefix, "act")
        XCTAssertEqual(completer.complete("SELECT * FROM allowlist WHERE o").candidates.first, "owner")
        XCTAssertFalse(completer.complete("SELECT * FROM allowlist WHERE o").candidates.contains("action"))
    }

    func testWordsThatFollowShowAndSet() {
        XCTAssertEqual(completer.complete("SHOW so").candidates, ["sources"])
        XCTAssertEqual(completer.complete("SHOW ").candidates, ["TABLES", "SOURCES", "RAW"])
        XCTAssertEqual(completer.complete("SET VA").candidates, ["VARIABLE"])
        XCTAssertEqual(completer.complete("TIMEL").candidates, ["TIMELINE"])
    }

    func testColumnsOnEarlierLinesOfTheStatementCount() {
        XCTAssertEqual(completer.complete("SELECT *\nFROM events\nWHERE sou").candidates, ["source_ip"])
    }

    func testTablesAfterFromAndJoin() {
        XCTAssertEqual(completer.complete("SELECT * FROM ev").candidates, ["events"])
        XCTAssertEqual(completer.complete("SELECT * FROM events e JOIN al").candidates, ["allowlist"])
        XCTAssertEqual(completer.complete("SELECT * FROM events, a").candidates, ["allowlist"])
        XCTAssertEqual(completer.complete("DESCRIBE e").candidates, ["events"])
    }

    func testQualifiedColumnsThroughAnAlias() {
        XCTAssertEqual(completer.complete("SELECT x.").candidates, [], "an unknown qualifier has no columns")
        XCTAssertEqual(completer.complete("SELECT * FROM events e JOIN allowlist a ON a.").candidates, ["ip", "owner", "note"])
        XCTAssertEqual(completer.complete("SELECT * FROM events AS e WHERE e.so").candidates, ["source_ip"])
    }

    func testFunctionsAndKeywordsFollowTheWordsCase() {
        XCTAssertEqual(completer.complete("SELECT is_p").candidates, ["is_private_ip"])
        XCTAssertEqual(completer.complete("SELECT * FROM events WHE").candidates, ["WHERE", "WHEN"])
        XCTAssertEqual(completer.complete("select * from events whe").candidates, ["where", "when"])
        XCTAssertTrue(completer.complete("SELECT a").candidates.starts(with: ["action", "actor", "allowlist", "abs", "ago", "avg"]))
    }

    func testWindowKeywordsAndFunctions() {
        XCTAssertEqual(completer.complete("SELECT * FROM events QUAL").candidates, ["QUALIFY"])
        XCTAssertEqual(completer.complete("SELECT count(*) OVER (PART").candidates, ["PARTITION"])
        XCTAssertEqual(completer.complete("SELECT sum(x) OVER (ROWS UNB").candidates, ["UNBOUNDED"])
        XCTAssertTrue(completer.complete("SELECT sum(x) OVER (ROWS 2 PREC").candidates.contains("PRECEDING"))
        let engine = Completer(names: CompletionNames(functions: Binder.functionNames), listDirectory: { _ in [] })
        XCTAssertEqual(engine.complete("SELECT row_n").candidates, ["row_number"])
        XCTAssertEqual(engine.complete("SELECT dense").candidates, ["dense_rank"])
        XCTAssertEqual(engine.complete("SELECT first_v").candidates, ["first_value"])
    }

    func testNothingInsideStringsCommentsOrQuotedNames() {
        XCTAssertEqual(completer.complete("SELECT 'ac").candidates, [])
        XCTAssertEqual(completer.complete("SELECT 1 -- ac").candidates, [])
        XCTAssertEqual(completer.complete("SELECT /* ac").candidates, [])
    }

    func testPathsInsideLoadAndRead() {
        XCTAssertEqual(completer.complete("LOAD 'ex").candidates, ["examples/"])
        XCTAssertEqual(completer.complete("LOAD 'examples/f").candidates, ["examples/first-look.aq", "examples/failed-pulls.aq"].sorted())
        XCTAssertEqual(completer.complete("LOAD 'examples/fi").candidates, ["examples/first-look.aq'"])
        XCTAssertEqual(completer.complete(".read examples/fi").candidates, ["examples/first-look.aq"])
        XCTAssertEqual(completer.complete(".read '").candidates, ["README.md", "examples/", "logs/"])
        XCTAssertEqual(completer.complete("SELECT 'ex").candidates, [])
    }

    func testDotCommandsAndTheirArguments() {
        XCTAssertEqual(completer.complete(".t").candidates, [".tables", ".timer"])
        XCTAssertEqual(completer.complete(".mode m").candidates, ["markdown"])
        XCTAssertEqual(completer.complete(".timer o").candidates, ["on", "off"])
        XCTAssertEqual(completer.complete(".schema al").candidates, ["allowlist"])
        // Not a dot command in the middle of a statement.
        XCTAssertFalse(completer.complete("SELECT\n.t").candidates.contains(".tables"))
    }

    func testCommonPrefixIgnoresCase() {
        XCTAssertEqual(Completion(word: "s", candidates: ["SELECT", "select_x"]).commonPrefix, "SELECT")
        XCTAssertEqual(Completion(word: "x", candidates: []).commonPrefix, "x")
    }

    func testKeywordsComeFromTheLexersTable() {
        let words = SQLKeywords.all
        XCTAssertEqual(Set(words).count, words.count, "no word twice")
        XCTAssertTrue(Set(words).union(Completer.onlyAfterTheirWord).isSuperset(of: Keyword.allCases.map(\.rawValue)))
        XCTAssertEqual(words.filter { Keyword(rawValue: $0) == nil }, ["SAVE", "FORCE", "BOOLEAN", "INTEGER", "VARCHAR", "JSON"],
                       "besides keywords, the positional words SAVE and FORCE and type names")
        XCTAssertEqual(completer.complete("SAV").candidates, ["SAVE"])
        XCTAssertEqual(completer.complete("OPE").candidates, ["OPEN"])
        XCTAssertEqual(completer.complete("SELECT CAST(1 AS varc").candidates, ["varchar"])
        XCTAssertEqual(completer.complete("SELECT * FROM events GRO").candidates, ["GROUP"])
    }
}

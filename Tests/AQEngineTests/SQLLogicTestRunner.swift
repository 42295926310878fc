// Runs aq's own sqllogictest files (`Tests/sql/*.test`): `statement ok`, `statement error`
// with the expected message, and `query <types> [nosort|rowsort|valuesort]` with the expected
// rows, values tab-separated as aq prints them (NULL as `NULL`, '' as `(empty)`).

import AQEngine
import AQSyntax
import XCTest

/// One record of a test file.
struct SQLLogicRecord {
    enum Kind {
        case statementOK
        /// The error text must contain `expected` (which may include `line 1, column 8:`).
        case statementError(expected: String)
        case query(columns: Int, sort: String, expected: [String])
    }

    var kind: Kind
    var sql: String
    /// 1-based line of the record's first line, for failure reports.
    var line: Int
}

enum SQLLogicTestRunner {
    /// The directory of `.test` files.
    static var directory: String {
        let here = #filePath
        let testsDir = here.split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
        return testsDir + "/sql"
    }

    /// Every `.test` file, sorted; with `AQ_SQL_TESTS=a,b` only those whose names contain
    /// one of the words (to run a few files while working on them).
    static func files() -> [String] {
        let all = filesIn(directory, suffix: ".test")
        guard let only = ProcessInfo.processInfo.environment["AQ_SQL_TESTS"], !only.isEmpty else { return all }
        let words = only.split(separator: ",").map(String.init)
        return all.filter { path in words.contains { path.split(separator: "/").last?.contains($0) ?? false } }
    }

    /// Paths of the files in `directory` whose names end in `suffix`, sorted.
    static func filesIn(_ directory: String, suffix: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(suffix) { out.append(directory + "/" + name) }
        }
        return out.sorted()
    }

    static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a file into records; a malformed record is reported as a failure at its line.
    static func parse(_ text: String, file: String) -> (records: [SQLLogicRecord], problems: [String]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        var records: [SQLLogicRecord] = []
        var problems: [String] = []
        var i = 0
        func block() -> [String] {
            var out: [String] = []
            while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
                out.append(lines[i])
                i += 1
            }
            return out
        }
        while i < lines.count {
            let line = lines[i]
            let words = line.split(separator: " ").map(String.init)
            if words.isEmpty || line.hasPrefix("#") { i += 1; continue }
            let start = i + 1
            if words[0] == "halt" { break }
            i += 1
            let body = block()
            let split = body.firstIndex(of: "----")
            let sql = (split.map { Array(body[..<$0]) } ?? body).joined(separator: "\n")
            let after = split.map { Array(body[($0 + 1)...]) } ?? []
            switch (words[0], words.count > 1 ? words[1] : "") {
            case ("statement", "ok"):
                records.append(SQLLogicRecord(kind: .statementOK, sql: sql, line: start))
            case ("statement", "error"):
                let inline = words.dropFirst(2).joined(separator: " ")
                let expected = inline.isEmpty ? after.joined(separator: "\n") : inline
                records.append(SQLLogicRecord(kind: .statementError(expected: expected), sql: sql, line: start))
            case ("query", let types):
                let sort = words.count > 2 ? words[2] : "nosort"
                records.append(SQLLogicRecord(kind: .query(columns: types.count, sort: sort, expected: after),
                                              sql: sql, line: start))
            default:
                problems.append("\(file):\(start): unknown record '\(line)'")
            }
        }
        return (records, problems)
    }

    /// The thread counts every file runs with: one thread, the machine's two cores, and more
    /// threads than cores (workers then take turns on the same core).
    static let threadSettings = [1, 2, 7]

    /// Runs a file's records in order on a fresh database (with the optimizer passes named
    /// in `disabled` switched off); returns the failures as `file:line: what went wrong`.
    static func run(_ path: String, disabled: Set<String> = [], threads: Int = SessionSettings.cores) -> [String] {
        transcript(path, disabled: disabled, threads: threads).failures
    }

    /// Runs a file with `threads` threads: the failures, and every query's rows as returned
    /// (unsorted) or its error, to compare runs with different thread counts.
    static func transcript(_ path: String, disabled: Set<String> = [], threads: Int) -> (failures: [String], results: [String]) {
        let name = String(path.split(separator: "/").last ?? "")
        guard let text = read(path) else { return (["\(name): cannot read the file"], []) }
        let (records, problems) = parse(text, file: name)
        var failures = problems
        var results: [String] = []
        let db = Database()
        db.threads = threads
        db.optimizer.disabled = disabled
        for record in records {
            let at = "\(name):\(record.line)"
            var result: StatementResult?
            var error: AQError?
            do {
                result = try db.query(record.sql)
            } catch let e as AQError {
                error = e
                results.append("\(record.line): error \(e.description)")
            } catch {
                failures.append("\(at): unexpected error type: \(error)")
                continue
            }
            switch record.kind {
            case .statementOK:
                if let error { failures.append("\(at): expected success, got: \(error.description)") }
            case .statementError(let expected):
                guard let error else {
                    failures.append("\(at): expected an error containing '\(expected)', but it succeeded")
                    continue
                }
                if !error.description.contains(expected) {
                    failures.append("\(at): expected an error containing '\(expected)', got: \(error.description)")
                }
            case .query(let columns, let sort, let expected):
                if let error { failures.append("\(at): query failed: \(error.description)"); continue }
                guard let result else { continue }
                results.append("\(record.line): " + result.rows.map { $0.map(cellText).joined(separator: "\t") }.joined(separator: "\n"))
                if result.columns.count != columns {
                    failures.append("\(at): expected \(columns) columns, got \(result.columns.count)")
                    continue
                }
                var actual = result.rows.map { row in row.map(cellText).joined(separator: "\t") }
                var wanted = expected
                switch sort {
                case "rowsort":
                    actual.sort()
                    wanted.sort()
                case "valuesort":
                    actual = actual.flatMap { $0.split(separator: "\t").map(String.init) }.sorted()
                    wanted = wanted.flatMap { $0.split(separator: "\t").map(String.init) }.sorted()
                default:
                    break
                }
                if actual != wanted {
                    failures.append("\(at): wrong result\n  expected:\n    " + wanted.joined(separator: "\n    ")
                                    + "\n  actual:\n    " + actual.joined(separator: "\n    "))
                }
            }
        }
        return (failures, results)
    }

    /// A value as the test files write it.
    static func cellText(_ value: Value) -> String {
        guard let text = formatted(value) else { return "NULL" }
        return text.isEmpty ? "(empty)" : text
    }
}

/// One test per file would need code generation; one test runs them all and names each
/// failing record's file and line. Every file runs with each of `threadSettings`, and the
/// rows of every query must be the same, in the same order, whatever the thread count.
final class SQLLogicTests: XCTestCase {
    func testAllFiles() throws {
        let files = SQLLogicTestRunner.files()
        if files.isEmpty { throw XCTSkip("no .test files in \(SQLLogicTestRunner.directory)") }
        for file in files {
            var first: (threads: Int, results: [String])?
            for threads in SQLLogicTestRunner.threadSettings {
                let (failures, results) = SQLLogicTestRunner.transcript(file, threads: threads)
                for failure in failures { XCTFail("threads=\(threads): " + failure) }
                guard let first else { first = (threads, results); continue }
                for (a, b) in zip(first.results, results) where a != b {
                    XCTFail("\(file): threads=\(first.threads) and threads=\(threads) differ:\n\(a)\n---\n\(b)")
                }
                if first.results.count != results.count {
                    XCTFail("\(file): threads=\(first.threads) ran \(first.results.count) queries, threads=\(threads) \(results.count)")
                }
            }
        }
    }

    func testParserOfTheFormat() {
        let text = """
        # a comment
        statement ok
        CREATE TABLE t (a INTEGER)

        statement error
        SELECT nope FROM t
        ----
        unknown column 'nope'

        query IT rowsort
        SELECT 1, 'x'
        ----
        1\tx
        """
        let (records, problems) = SQLLogicTestRunner.parse(text, file: "t.test")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records.map(\.line), [2, 5, 10])
        guard records.count == 3 else { return }
        if case .statementError(let expected) = records[1].kind {
            XCTAssertEqual(expected, "unknown column 'nope'")
        } else {
            XCTFail("second record should be statement error")
        }
        if case .query(let columns, let sort, let expected) = records[2].kind {
            XCTAssertEqual(columns, 2)
            XCTAssertEqual(sort, "rowsort")
            XCTAssertEqual(expected, ["1\tx"])
        } else {
            XCTFail("third record should be a query")
        }
    }
}

// `LOAD 'file' AS t`: CSV and JSON-lines files into tables of their own, column types
// inferred from every value.

import Foundation
import XCTest
@testable import AQEngine

final class IngestTableFileTests: XCTestCase {
    typealias T = IngestTest

    func load(_ text: String, name: String) throws -> (Catalog, LoadReport) {
        let catalog = Catalog()
        let path = T.write(text, to: name, in: T.temporaryDirectory())
        return (catalog, try TableFileLoader.load(path: path, table: "t", into: catalog))
    }

    func testCSVTypesAreInferred() throws {
        let (catalog, report) = try load(#"""
        id,score,ok,at,name,empty,mixed
        1,1.5,true,2024-04-12 16:58:30,"a, b",,1
        2,-3,FALSE,2024-04-12T08:00:00Z,"say ""hi""",,x
        3,1e3,true,2024-04-12,,,2

        """#, name: "t.csv")
        XCTAssertEqual(report.rows, 3)
        XCTAssertEqual(report.files.first?.format, "csv")
        let table = catalog.table(named: "t")!
        XCTAssertEqual(table.columns.map(\.name), ["id", "score", "ok", "at", "name", "empty", "mixed"])
        XCTAssertEqual(table.columns.map(\.type), [.integer, .double, .boolean, .timestamp, .varchar, .varchar, .varchar])
        let rows = T.rows(catalog, table: "t")
        XCTAssertEqual(rows.map { $0["id"] }, [.integer(1), .integer(2), .integer(3)])
        XCTAssertEqual(rows.map { $0["score"] }, [.double(1.5), .double(-3), .double(1000)])
        XCTAssertEqual(rows.map { $0["ok"] }, [.boolean(true), .boolean(false), .boolean(true)])
        XCTAssertEqual(rows.map { $0["at"] }, [T.ts("2024-04-12T16:58:30Z"), T.ts("2024-04-12T08:00:00Z"), T.ts("2024-04-12T00:00:00Z")])
        XCTAssertEqual(rows.map { $0["name"] }, [T.s("a, b"), T.s("say \"hi\""), .null])
        XCTAssertEqual(rows.map { $0["empty"] }, [.null, .null, .null])
        XCTAssertEqual(rows.map { $0["mixed"] }, [T.s("1"), T.s("x"), T.s("2")])
    }

    func testAllowlist() throws {
        let catalog = Catalog()
        let report = try TableFileLoader.load(path: T.fixture("allowlist.csv"), table: "allowlist", into: catalog)
        let table = catalog.table(named: "allowlist")!
        XCTAssertEqual(table.columns.map(\.name), ["ip", "owner", "note"])
        XCTAssertEqual(table.columns.map(\.type), [.varchar, .varchar, .varchar])
        let lines = try String(contentsOfFile: T.fixture("allowlist.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(report.rows, lines.count - 1)
        XCTAssertEqual(table.rowCount, lines.count - 1)
        XCTAssertEqual(T.rows(catalog, table: "allowlist").first?["ip"], T.s(String(lines[1].split(separator: ",")[0])))
    }

    func testJSONLinesKeysAndTypes() throws {
        let (catalog, report) = try load("""
        {"user":"alice","n":1,"ratio":0.5,"admin":true,"seen":"2024-04-12T16:58:30+08:00","tags":["a","b"]}
        {"user":"bob\\u00e9","n":2,"ratio":2,"admin":false,"extra":"x"}
        not json
        {"n":3,"user":null}

        """, name: "t.jsonl")
        XCTAssertEqual(report.files.first?.format, "json")
        XCTAssertEqual(report.skipped, 1)
        XCTAssertEqual(report.firstSkipped.first?.line, 3)
        let table = catalog.table(named: "t")!
        XCTAssertEqual(table.columns.map(\.name), ["user", "n", "ratio", "admin", "seen", "tags", "extra"])
        XCTAssertEqual(table.columns.map(\.type), [.varchar, .integer, .double, .boolean, .timestamp, .varchar, .varchar])
        let rows = T.rows(catalog, table: "t")
        XCTAssertEqual(rows.map { $0["user"] }, [T.s("alice"), T.s("bobé"), .null])
        XCTAssertEqual(rows.map { $0["n"] }, [.integer(1), .integer(2), .integer(3)])
        XCTAssertEqual(rows.map { $0["ratio"] }, [.double(0.5), .double(2), .null])
        XCTAssertEqual(rows[0]["seen"], T.ts("2024-04-12T08:58:30Z"))
        XCTAssertEqual(rows[0]["tags"], T.s("[\"a\",\"b\"]"))
        XCTAssertEqual(rows.map { $0["extra"] }, [.null, T.s("x"), .null])
    }

    func testManyRowsAreChunked() throws {
        let text = "k,v\n" + (0..<5000).map { "\($0),v\($0 % 7)" }.joined(separator: "\n") + "\n"
        let (catalog, _) = try load(text, name: "big.csv")
        let table = catalog.table(named: "t")!
        XCTAssertEqual(table.rowCount, 5000)
        XCTAssertEqual(table.chunks.map(\.count), [2048, 2048, 904])
        XCTAssertEqual(T.column(catalog, "k", table: "t").last, .integer(4999))
    }

    func testErrors() throws {
        let catalog = Catalog()
        let path = T.write("a,b\n1,2\n", to: "x.csv", in: T.temporaryDirectory())
        _ = try TableFileLoader.load(path: path, table: "x", into: catalog)
        XCTAssertThrowsError(try TableFileLoader.load(path: path, table: "X", into: catalog)) {
            XCTAssertEqual(($0 as? ExecutionError)?.message, "table 'X' already exists")
        }
        XCTAssertThrowsError(try TableFileLoader.load(path: "/nonexistent.csv", table: "y", into: catalog)) {
            XCTAssertEqual(($0 as? ExecutionError)?.message, "/nonexistent.csv: no such file or directory")
        }
        let empty = T.write("", to: "e.csv", in: T.temporaryDirectory())
        XCTAssertThrowsError(try TableFileLoader.load(path: empty, table: "z", into: catalog)) {
            XCTAssertEqual(($0 as? ExecutionError)?.message, empty + ": file is empty")
        }
    }
}

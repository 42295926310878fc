// count(*) grouped by one dictionary-coded string column (`CodeCounts`): the rows of a batch
// counted per code, the keys in order of first appearance while new ones come and in code
// order after, NULL rows as one key, and the row-by-row path taken where the counts would not
// be right or would not pay.

@testable import AQEngine
import XCTest

final class CodeCountsTests: XCTestCase {
    private let dictionary: StringDictionary = {
        let d = StringDictionary()
        for s in ["pull", "push", "delete", "list"] { _ = d.code(for: s) }
        return d
    }()

    private func column(_ codes: [UInt32], nulls: Set<Int> = []) -> Vector {
        var validity: Validity?
        if !nulls.isEmpty {
            validity = Validity(allValid: codes.count)
            for row in nulls { validity?.set(row, valid: false) }
        }
        return Vector(type: .varchar, storage: .string(.dictionary(codes: codes, dictionary: dictionary)), validity: validity)
    }

    private func keys(_ v: Vector) -> [String?] {
        (0..<v.count).map { row -> String? in
            if case .varchar(let s) = v.value(at: row) { return s }
            return nil
        }
    }

    func testKeysComeInOrderOfFirstAppearanceThenInCodeOrder() throws {
        var counts = CodeCounts()
        let first = try XCTUnwrap(counts.count(column([2, 0, 2, 2, 1, 0, 2, 2]), rows: 8))
        XCTAssertEqual(keys(first.keys), ["delete", "pull", "push"])
        XCTAssertEqual(first.rows, [5, 2, 1])
        // Every key met before: code order.
        let second = try XCTUnwrap(counts.count(column([1, 2, 1, 0, 1, 1, 2, 2]), rows: 8))
        XCTAssertEqual(keys(second.keys), ["pull", "push", "delete"])
        XCTAssertEqual(second.rows, [1, 4, 3])
        // A new key among old ones: first appearance again.
        let third = try XCTUnwrap(counts.count(column([2, 2, 3, 1, 1, 1, 3, 0]), rows: 8))
        XCTAssertEqual(keys(third.keys), ["delete", "list", "push", "pull"])
        XCTAssertEqual(third.rows, [2, 2, 3, 1])
    }

    func testNullRowsAreOneKeyWhateverTheirPlaceholderCode() throws {
        var counts = CodeCounts()
        // The NULL rows' codes (9, 0) lie outside the dictionary or on a real code.
        let got = try XCTUnwrap(counts.count(column([1, 9, 1, 0, 3, 1, 0, 1], nulls: [1, 3]), rows: 8))
        XCTAssertEqual(keys(got.keys), ["push", nil, "list", "pull"])
        XCTAssertEqual(got.rows, [4, 2, 1, 1])
    }

    func testOnlyTheFirstRowsAreCounted() throws {
        var counts = CodeCounts()
        let got = try XCTUnwrap(counts.count(column([0, 1, 0, 1, 3, 3, 3, 3]), rows: 4))
        XCTAssertEqual(keys(got.keys), ["pull", "push"])
        XCTAssertEqual(got.rows, [2, 2])
    }

    func testRowByRowWhereTheCountsWouldBeWrongOrCostly() {
        var counts = CodeCounts()
        // A code outside the dictionary (a damaged column) in a valid row.
        XCTAssertNil(counts.count(column([0, 1, 7, 1, 0, 1, 0, 1]), rows: 8))
        XCTAssertNil(counts.count(column([0, 1, 7, 1, 0, 1, 0, 1], nulls: [0]), rows: 8))
        // Fewer rows than dictionary entries.
        XCTAssertNil(counts.count(column([0, 1, 0]), rows: 3))
        // Flat strings.
        var heap = StringHeap()
        for s in ["a", "b", "a", "c", "a"] { heap.append(s) }
        XCTAssertNil(counts.count(Vector(type: .varchar, storage: .string(.flat(heap))), rows: 5))
    }

    /// GROUP BY through the database on loaded logs (dictionary-coded columns): the same
    /// groups, counts and order as the row-by-row path (`sum(1)` takes it), with NULL keys, at
    /// 1, 2 and 7 threads.
    func testGroupByMatchesTheRowByRowPath() throws {
        let db = Database()
        _ = try db.query("LOAD '\(try EventStatementTests.generated.get())'")
        for threads in [1, 2, 7] {
            _ = try db.query("SET threads = \(threads)")
            for key in ["action", "actor", "error", "repository", "source_ip"] {
                let fast = try db.query("SELECT \(key), count(*) AS n FROM events GROUP BY \(key)").rows
                let rowByRow = try db.query("SELECT \(key), sum(1) AS n FROM events GROUP BY \(key)").rows
                XCTAssertGreaterThan(fast.count, 1, key)
                XCTAssertEqual(fast, rowByRow, "\(key) at threads \(threads)")
            }
        }
    }
}

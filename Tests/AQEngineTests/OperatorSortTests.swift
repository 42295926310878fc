// Sort and top-N: several keys, directions, NULL placement, byte order of strings,
// stability, ties at the limit, and top-N agreeing with sort + limit on larger inputs.

import XCTest
@testable import AQEngine

final class OperatorSortTests: OperatorTestCase {
    private var data: Table {
        table("t", [("s", .varchar), ("n", .integer), ("x", .double), ("id", .integer)], [
            [s("b"), i(2), d(0.5), i(0)], [s("B"), null, d(-1), i(1)], [null, i(1), null, i(2)],
            [s("a"), i(2), d(.infinity), i(3)], [s("é"), i(1), d(-0.0), i(4)], [s("b"), i(1), d(2), i(5)],
            [s("ab"), null, d(1e-9), i(6)],
        ], chunk: 3)
    }

    private func sortedIDs(_ keys: [BoundSortKey], limit: Int? = nil, offset: Int = 0) throws -> [Value] {
        let plan: LogicalPlan = limit.map { .topN(scan(data), keys: keys, limit: $0, offset: offset) } ?? .sort(scan(data), keys: keys)
        return try rows(plan).map { $0[3] }
    }

    func testStringsSortByBytesWithNullsLastByDefault() throws {
        XCTAssertEqual(try sortedIDs([key(column(0, .varchar))]), [i(1), i(3), i(6), i(0), i(5), i(4), i(2)])
        XCTAssertEqual(try sortedIDs([key(column(0, .varchar), desc: true)]), [i(4), i(0), i(5), i(6), i(3), i(1), i(2)])
        XCTAssertEqual(try sortedIDs([key(column(0, .varchar), desc: true, nullsFirst: true)]).first, i(2))
    }

    func testSeveralKeysAndStability() throws {
        // n DESC NULLS FIRST, then s; equal keys keep input order.
        XCTAssertEqual(try sortedIDs([key(column(1, .integer), desc: true, nullsFirst: true), key(column(0, .varchar))]),
                       [i(1), i(6), i(3), i(0), i(5), i(4), i(2)])
        XCTAssertEqual(try sortedIDs([key(column(1, .integer))]), [i(2), i(4), i(5), i(0), i(3), i(1), i(6)])
    }

    func testDoublesOrderNumerically() throws {
        XCTAssertEqual(try sortedIDs([key(column(2, .double))]), [i(1), i(4), i(6), i(0), i(5), i(3), i(2)])
    }

    func testTopNKeepsTheFirstRowsAndBreaksTiesByInputOrder() throws {
        XCTAssertEqual(try sortedIDs([key(column(1, .integer))], limit: 2), [i(2), i(4)])
        XCTAssertEqual(try sortedIDs([key(column(1, .integer))], limit: 3, offset: 2), [i(5), i(0), i(3)])
        XCTAssertEqual(try sortedIDs([key(column(1, .integer))], limit: 10, offset: 6), [i(6)])
        XCTAssertEqual(try sortedIDs([key(column(1, .integer))], limit: 0), [])
    }

    func testTopNAgreesWithSortOnLargeInput() throws {
        var generator = SystemRandomNumberGenerator()
        // Random values with NULLs and ties; values rising with the row (the worst case for
        // a descending top-N); doubles without NULLs.
        let shapes: [(DataType, (Int64) -> Value)] = [
            (.integer, { _ in let v = Int64.random(in: 0..<50, using: &generator); return v == 7 ? .null : .integer(v) }),
            (.integer, { k in .integer(k / 3) }),
            (.double, { _ in .double(Double(Int.random(in: -100..<100, using: &generator)) / 4) }),
        ]
        for (type, value) in shapes {
            var data: [[Value]] = []
            for k in 0..<Int64(9000) {
                data.append([value(k), s("s\(Int.random(in: 0..<30, using: &generator))"), i(k)])
            }
            let t = table("t", [("v", type), ("s", .varchar), ("id", .integer)], data)
            for keys in [[key(column(0, type), desc: true), key(column(1, .varchar))], [key(column(0, type), desc: true)],
                         [key(column(0, type), nullsFirst: true)]] {
                let all = try rows(.sort(scan(t), keys: keys))
                XCTAssertEqual(all.count, 9000)
                for (limit, offset) in [(1, 0), (20, 0), (100, 50), (2100, 10), (5000, 4000)] {
                    let top = try rows(.topN(scan(t), keys: keys, limit: limit, offset: offset))
                    XCTAssertEqual(top, Array(all[offset..<min(all.count, offset + limit)]),
                                   "\(type) keys \(keys.count) limit \(limit) offset \(offset)")
                }
            }
        }
    }

    func testLongStringsIntervalsAndBooleans() throws {
        let t = table("t", [("s", .varchar), ("v", .interval), ("f", .boolean), ("id", .integer)], [
            [s("registry/app-b"), .interval(Interval(months: 1)), b(true), i(0)],
            [s("registry/app"), .interval(Interval(days: 31)), b(false), i(1)],
            [s("registry/app-a"), .interval(Interval(days: 29, nanoseconds: 5)), null, i(2)],
            [s("registry/"), .interval(Interval(nanoseconds: -1)), b(true), i(3)],
            [s(""), null, b(false), i(4)],
        ], dictionary: false)
        func ids(_ keys: [BoundSortKey]) throws -> [Value] { try rows(.sort(scan(t), keys: keys)).map { $0[3] } }
        XCTAssertEqual(try ids([key(column(0, .varchar))]), [i(4), i(3), i(1), i(2), i(0)])
        // A month counts as 30 days.
        XCTAssertEqual(try ids([key(column(1, .interval))]), [i(3), i(2), i(0), i(1), i(4)])
        XCTAssertEqual(try ids([key(column(2, .boolean), desc: true), key(column(3, .integer), desc: true)]),
                       [i(3), i(0), i(4), i(1), i(2)])
    }
}

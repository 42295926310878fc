// Hash aggregate: groups of every key type, NULL groups, each aggregate function with
// DISTINCT, FILTER and ORDER BY, empty inputs, overflow, and many groups.

import XCTest
@testable import AQEngine

final class OperatorAggregateTests: OperatorTestCase {
    private func events(dictionary: Bool = true, chunk: Int = Batch.capacity) -> Table {
        table("events", [("action", .varchar), ("n", .integer), ("ok", .boolean), ("time", .timestamp)], [
            [s("pull"), i(1), b(true), t("2024-04-12 08:00:00")],
            [s("push"), i(5), b(false), t("2024-04-12 09:00:00")],
            [s("pull"), i(3), b(true), t("2024-04-11 08:00:00")],
            [null, i(7), null, t("2024-04-13 08:00:00")],
            [s("pull"), null, b(false), null],
            [s("delete"), i(-2), b(true), t("2024-04-10 00:00:00")],
        ], chunk: chunk, dictionary: dictionary)
    }

    private func grouped(_ table: Table, by group: BoundExpr, _ aggregates: [BoundAggregate]) throws -> [[Value]] {
        let plan = LogicalPlan.aggregate(scan(table), groups: [group], aggregates: aggregates,
                                         names: ["g"] + aggregates.map(\.function.rawValue))
        return try rows(.sort(plan, keys: [key(column(0, group.type), nullsFirst: true)]))
    }

    func testGroupByStringCountsSumsAndExtremes() throws {
        for dictionary in [true, false] {
            for chunk in [1, 2, 2048] {
                let out = try grouped(events(dictionary: dictionary, chunk: chunk), by: column(0, .varchar), [
                    aggregate(.countStar, []), aggregate(.count, [column(1, .integer)]),
                    aggregate(.sum, [column(1, .integer)]), aggregate(.min, [column(3, .timestamp)]),
                    aggregate(.max, [column(1, .integer)]), aggregate(.avg, [column(1, .integer)]),
                ])
                XCTAssertEqual(out, [
                    [null, i(1), i(1), i(7), t("2024-04-13 08:00:00"), i(7), d(7)],
                    [s("delete"), i(1), i(1), i(-2), t("2024-04-10 00:00:00"), i(-2), d(-2)],
                    [s("pull"), i(3), i(2), i(4), t("2024-04-11 08:00:00"), i(3), d(2)],
                    [s("push"), i(1), i(1), i(5), t("2024-04-12 09:00:00"), i(5), d(5)],
                ], "dictionary \(dictionary), chunk \(chunk)")
            }
        }
    }

    func testGroupByBooleanAndIntegerWithNullGroup() throws {
        let out = try grouped(events(), by: column(2, .boolean), [aggregate(.sum, [column(1, .integer)])])
        XCTAssertEqual(out, [[null, i(7)], [b(false), i(5)], [b(true), i(2)]])
        let byN = try grouped(events(chunk: 2), by: column(1, .integer), [aggregate(.countStar, [])])
        XCTAssertEqual(byN, [[null, i(1)], [i(-2), i(1)], [i(1), i(1)], [i(3), i(1)], [i(5), i(1)], [i(7), i(1)]])
    }

    func testMixedDictionariesAndFlatChunksGroupTogether() throws {
        // Three chunks: a dictionary, another dictionary and flat strings, all with "a".
        let table = Table(name: "t", columns: [ColumnSchema(name: "x", type: .varchar)])
        for _ in 0..<2 {
            let d = StringDictionary()
            _ = d.code(for: "zzz")
            let codes = [d.code(for: "a"), d.code(for: "b"), d.code(for: "a")]
            table.append(Batch(columns: [Vector(type: .varchar, storage: .string(.dictionary(codes: codes, dictionary: d)))], count: 3))
        }
        var builder = VectorBuilder(type: .varchar)
        for v in [s("b"), s("a"), null] { builder.append(v) }
        table.append(Batch(columns: [builder.build()], count: 3))
        let out = try grouped(table, by: column(0, .varchar), [aggregate(.countStar, [])])
        XCTAssertEqual(out, [[null, i(1)], [s("a"), i(5)], [s("b"), i(3)]])
    }

    func testMultipleKeysAndManyGroups() throws {
        var data: [[Value]] = []
        for k in 0..<5000 { data.append([i(Int64(k % 2500)), s(k % 2 == 0 ? "even" : "odd"), i(Int64(k))]) }
        let t = table("t", [("k", .integer), ("p", .varchar), ("v", .integer)], data)
        let plan = LogicalPlan.aggregate(scan(t), groups: [column(0, .integer), column(1, .varchar)],
                                         aggregates: [aggregate(.countStar, []), aggregate(.sum, [column(2, .integer)])],
                                         names: ["k", "p", "n", "s"])
        let out = try rows(plan)
        // k % 2500 and k % 2 are both fixed by k % 2500 (2500 is even): 2500 groups of two rows.
        XCTAssertEqual(out.count, 2500)
        for row in out {
            guard case .integer(let k) = row[0] else { return XCTFail("key \(row[0])") }
            XCTAssertEqual(row[1], s(k % 2 == 0 ? "even" : "odd"))
            XCTAssertEqual(row[2], i(2))
            XCTAssertEqual(row[3], i(2 * k + 2500))
        }
    }

    func testNoGroupByGivesOneRowEvenForEmptyInput() throws {
        let empty = table("e", [("x", .integer), ("s", .varchar)], [])
        let aggregates = [aggregate(.countStar, []), aggregate(.count, [column(0, .integer)]),
                          aggregate(.sum, [column(0, .integer)]), aggregate(.min, [column(1, .varchar)]),
                          aggregate(.stringAgg, [column(1, .varchar)]), aggregate(.avg, [column(0, .integer)])]
        let out = try rows(.aggregate(scan(empty), groups: [], aggregates: aggregates, names: ["a", "b", "c", "d", "e", "f"]))
        XCTAssertEqual(out, [[i(0), i(0), null, null, null, null]])
        let grouped = try rows(.aggregate(scan(empty), groups: [column(0, .integer)], aggregates: aggregates,
                                          names: ["k", "a", "b", "c", "d", "e", "f"]))
        XCTAssertEqual(grouped, [])
    }

    func testIntegerSumOverflowIsAnError() throws {
        let t = table("t", [("x", .integer)], [[i(Int64.max)], [i(1)]])
        let plan = LogicalPlan.aggregate(scan(t), groups: [], aggregates: [aggregate(.sum, [column(0, .integer)])], names: ["s"])
        XCTAssertThrowsError(try rows(plan)) { error in
            guard case ExecutionError.overflow(let message, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(message, "integer overflow in sum")
        }
        // avg sums in 128 bits: no overflow.
        let avg = LogicalPlan.aggregate(scan(t), groups: [], aggregates: [aggregate(.avg, [column(0, .integer)])], names: ["a"])
        XCTAssertEqual(try rows(avg), [[d(Double(Int64.max) / 2 + 0.5)]])
    }

    func testDistinctAndFilter() throws {
        let t = table("t", [("g", .varchar), ("x", .integer), ("s", .varchar), ("f", .boolean)], [
            [s("a"), i(1), s("p"), b(true)], [s("a"), i(1), s("q"), b(false)], [s("a"), i(2), s("p"), null],
            [s("a"), null, null, b(true)], [s("b"), i(3), s("r"), b(true)], [s("b"), i(3), s("r"), b(false)],
        ], chunk: 2)
        let out = try grouped(t, by: column(0, .varchar), [
            aggregate(.count, [column(1, .integer)], distinct: true),
            aggregate(.sum, [column(1, .integer)], distinct: true),
            aggregate(.count, [column(2, .varchar)], distinct: true),
            aggregate(.countStar, [], filter: column(3, .boolean)),
            aggregate(.sum, [column(1, .integer)], filter: column(3, .boolean)),
            aggregate(.stringAgg, [column(2, .varchar)], distinct: true),
        ])
        XCTAssertEqual(out, [[s("a"), i(2), i(3), i(2), i(2), i(1), s("p,q")],
                             [s("b"), i(1), i(3), i(1), i(1), i(3), s("r")]])
    }

    func testStringAggSeparatorAndOrderBy() throws {
        let t = table("t", [("g", .integer), ("x", .varchar), ("k", .integer)], [
            [i(1), s("c"), i(3)], [i(1), s("a"), i(1)], [i(2), s("z"), i(1)], [i(1), null, i(0)], [i(1), s("b"), i(2)],
        ], chunk: 2)
        let sep = constant(s(" | "))
        let out = try grouped(t, by: column(0, .integer), [
            aggregate(.stringAgg, [column(1, .varchar)]),
            aggregate(.stringAgg, [column(1, .varchar), sep], orderBy: [key(column(2, .integer))]),
            aggregate(.stringAgg, [column(1, .varchar), sep], orderBy: [key(column(1, .varchar), desc: true)]),
            aggregate(.first, [column(1, .varchar)], orderBy: [key(column(2, .integer))]),
        ])
        XCTAssertEqual(out, [
            [i(1), s("c,a,b"), s("a | b | c"), s("c | b | a"), null],
            [i(2), s("z"), s("z"), s("z"), s("z")],
        ])
    }

    func testArgMinMaxBoolAndFirst() throws {
        let out = try grouped(events(chunk: 2), by: column(0, .varchar), [
            aggregate(.argMin, [column(1, .integer), column(3, .timestamp)]),
            aggregate(.argMax, [column(0, .varchar), column(1, .integer)]),
            aggregate(.boolAnd, [column(2, .boolean)]), aggregate(.boolOr, [column(2, .boolean)]),
            aggregate(.first, [column(1, .integer)]), aggregate(.anyValue, [column(2, .boolean)]),
            aggregate(.max, [column(0, .varchar)]),
        ])
        XCTAssertEqual(out, [
            [null, i(7), null, null, null, i(7), null, null],
            [s("delete"), i(-2), s("delete"), b(true), b(true), i(-2), b(true), s("delete")],
            [s("pull"), i(3), s("pull"), b(false), b(true), i(1), b(true), s("pull")],
            [s("push"), i(5), s("push"), b(false), b(false), i(5), b(false), s("push")],
        ])
    }

    func testMinMaxOfStringsCompareBytes() throws {
        let t = table("t", [("x", .varchar)], [[s("b")], [s("B")], [s("ab")], [s("é")], [s("a")]])
        let out = try rows(.aggregate(scan(t), groups: [], aggregates: [
            aggregate(.min, [column(0, .varchar)]), aggregate(.max, [column(0, .varchar)]),
        ], names: ["lo", "hi"]))
        XCTAssertEqual(out, [[s("B"), s("é")]])
    }

    func testDoubleSumAvgAndNaNIsLargest() throws {
        let t = table("t", [("g", .integer), ("x", .double)], [
            [i(1), d(1.5)], [i(1), d(2.5)], [i(2), d(.nan)], [i(2), d(-1)], [i(3), null],
        ])
        let out = try grouped(t, by: column(0, .integer), [
            aggregate(.sum, [column(1, .double)]), aggregate(.avg, [column(1, .double)]),
            aggregate(.max, [column(1, .double)]), aggregate(.min, [column(1, .double)]),
        ])
        XCTAssertEqual(out[0], [i(1), d(4), d(2), d(2.5), d(1.5)])
        guard case .double(let nanMax) = out[1][3] else { return XCTFail() }
        XCTAssertTrue(nanMax.isNaN)
        XCTAssertEqual(out[1][4], d(-1))
        XCTAssertEqual(out[2], [i(3), null, null, null, null])
    }

    func testHighCardinalityCountDistinct() throws {
        var data: [[Value]] = []
        for k in 0..<30_000 { data.append([s("g\(k % 3)"), s("ip-\(k % 7000)")]) }
        let t = table("t", [("g", .varchar), ("ip", .varchar)], data)
        let out = try grouped(t, by: column(0, .varchar), [aggregate(.count, [column(1, .varchar)], distinct: true)])
        // Within a group k runs over a residue class mod 3 of 0..<30000, covering 0..<21000 = lcm(3, 7000): all 7000 ips.
        XCTAssertEqual(out, [[s("g0"), i(7000)], [s("g1"), i(7000)], [s("g2"), i(7000)]])
    }

    func testCountDistinctOfNumbersWideAndNegative() throws {
        let t = table("t", [("g", .integer), ("x", .integer), ("y", .double)], [
            [i(1), i(Int64.min), d(-0.0)], [i(1), i(Int64.max), d(0)], [i(1), i(Int64.min), d(.nan)],
            [i(2), i(-1), d(1.5)], [i(2), null, null], [i(2), i(-1), d(-1.5)], [i(3), null, null],
        ], chunk: 3)
        let out = try grouped(t, by: column(0, .integer), [
            aggregate(.count, [column(1, .integer)], distinct: true), aggregate(.count, [column(2, .double)], distinct: true),
        ])
        XCTAssertEqual(out, [[i(1), i(2), i(2)], [i(2), i(1), i(2)], [i(3), i(0), i(0)]])
    }

    func testCountDistinctCompactsAsItGoes() throws {
        let accumulator = CountDistinctAccumulator(type: .varchar, nil, compactAt: 100, bitmapLimit: 0)
        for round in 0..<50 {
            var builder = VectorBuilder(type: .varchar)
            var groups: [Int32] = []
            for k in 0..<64 {
                builder.append(.varchar("v\((k * 7 + round) % 40)"))
                groups.append(Int32(k % 4))
            }
            accumulator.grow(to: 4)
            try groups.withUnsafeBufferPointer { try accumulator.update([builder.build()], groups: $0) }
        }
        // Group g sees values (k * 7 + round) % 40 for k ≡ g (mod 4): over 50 rounds, all 40.
        XCTAssertEqual((0..<4).map { try? accumulator.finish(count: 4).value(at: $0) }, [i(40), i(40), i(40), i(40)])
    }

    func testCountDistinctBitmapsGiveWayToPairs() throws {
        // 64 groups and codes growing past 64 × 64: the bitmaps outgrow a 256-word limit midway.
        for limit in [0, 256, 1 << 21] {
            let accumulator = CountDistinctAccumulator(type: .varchar, nil, bitmapLimit: limit)
            var expected = [Set<String>](repeating: [], count: 64)
            for round in 0..<40 {
                var builder = VectorBuilder(type: .varchar)
                var groups: [Int32] = []
                for k in 0..<200 {
                    let value = "v\((k * 13 + round * 101) % (100 * (round + 1)))"
                    let g = (k + round) % 64
                    builder.append(k % 17 == 0 ? .null : .varchar(value))
                    if k % 17 != 0 { expected[g].insert(value) }
                    groups.append(Int32(g))
                }
                accumulator.grow(to: 64)
                try groups.withUnsafeBufferPointer { try accumulator.update([builder.build()], groups: $0) }
            }
            let counts = try accumulator.finish(count: 64)
            XCTAssertEqual((0..<64).map { counts.value(at: $0) }, expected.map { .integer(Int64($0.count)) }, "limit \(limit)")
        }
    }

    func testIntegerKeysInASmallSpanThenWiderAndWithNulls() throws {
        // Chunks of 100 rows: small values; NULLs; values around the first (the direct window
        // widens both ways); values far apart (it gives way to hashing); small values again.
        var data: [[Value]] = []
        for k in 0..<100 { data.append([i(Int64(200 + k % 7))]) }
        for k in 0..<100 { data.append([k % 2 == 0 ? null : i(Int64(203 + k % 3))]) }
        for k in 0..<100 { data.append([i(Int64(190 + k % 20))]) }
        for k in 0..<100 { data.append([i(Int64(k % 4) * 1_000_000_007 - 5)]) }
        for k in 0..<100 { data.append([i(Int64(180 + k % 50))]) }
        var expected: [Value: Int64] = [:]
        for row in data { expected[row[0], default: 0] += 1 }
        let t = table("t", [("x", .integer)], data, chunk: 100)
        let out = try rows(.aggregate(scan(t), groups: [column(0, .integer)], aggregates: [aggregate(.countStar, [])],
                                      names: ["x", "n"]))
        XCTAssertEqual(out.count, expected.count)
        for row in out { XCTAssertEqual(row[1], .integer(expected[row[0]] ?? -1), "\(row[0])") }
    }
}

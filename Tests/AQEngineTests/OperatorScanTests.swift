// Scans with zone maps: range filters skip chunks or pass them whole, NULLs are kept out
// of comparisons, and a top-N straight over a scan reads chunks best-first and agrees
// with a full sort, ties in table order.

import XCTest
@testable import AQEngine

final class OperatorScanTests: OperatorTestCase {
    /// 10,000 rows in chunks of 2,048: t = row, except that rows 4,100..<4,200 are NULL and
    /// the last chunk's times run backwards; g = row % 3.
    private lazy var data: Table = {
        let rows: [[Value]] = (0..<10_000).map { k in
            let t: Value = (4100..<4200).contains(k) ? .null : .timestamp(k >= 8192 ? Int64(18_191 - k) : Int64(k))
            return [t, i(Int64(k % 3)), i(Int64(k))]
        }
        return table("z", [("t", .timestamp), ("g", .integer), ("id", .integer)], rows)
    }()

    private func compare(_ op: ComparisonOperator, _ x: Int64, constantFirst: Bool = false) -> BoundExpr {
        let c = column(0, .timestamp), k = constant(.timestamp(x), .timestamp)
        return BoundExpr(.compare(constantFirst ? op.flipped : op, constantFirst ? k : c, constantFirst ? c : k), type: .boolean)
    }

    private func ids(_ filters: [BoundExpr], file: StaticString = #filePath, line: UInt = #line) throws -> Set<Int64> {
        Set(try rows(scan(data, filters: filters)).compactMap { if case .integer(let x) = $0[2] { return x } else { return nil } })
    }

    /// The ids whose t satisfies `keep`, computed without the engine.
    private func expected(_ keep: (Int64) -> Bool) -> Set<Int64> {
        Set((0..<Int64(10_000)).filter { k in
            if (4100..<4200).contains(k) { return false }
            return keep(k >= 8192 ? 18_191 - k : k)
        })
    }

    func testRangeFiltersAgreeWithRowByRowEvaluation() throws {
        XCTAssertEqual(try ids([compare(.greaterEqual, 3000), compare(.less, 7000)]), expected { $0 >= 3000 && $0 < 7000 })
        // Written `9000 < t`.
        XCTAssertEqual(try ids([compare(.greater, 9000, constantFirst: true)]), expected { $0 > 9000 })
        XCTAssertEqual(try ids([compare(.equal, 5000)]), expected { $0 == 5000 })
        XCTAssertEqual(try ids([compare(.notEqual, 5000)]), expected { $0 != 5000 })
        XCTAssertEqual(try ids([compare(.lessEqual, -1)]), [])
        XCTAssertEqual(try ids([compare(.greater, 20_000)]), [])
        XCTAssertEqual(try ids([compare(.greaterEqual, 0)]).count, 9900)
        let isNull = BoundExpr(.isNull(column(0, .timestamp), negated: false), type: .boolean)
        XCTAssertEqual(try ids([isNull]), Set(4100..<4200))
        let isNotNull = BoundExpr(.isNull(column(0, .timestamp), negated: true), type: .boolean)
        XCTAssertEqual(try ids([isNotNull]).count, 9900)
    }

    func testFiltersSkipChunksThatCannotMatch() throws {
        func chunksRead(_ filters: [BoundExpr]) throws -> Int {
            let scan = PhysicalScan(LogicalScan(table: data, columns: [0, 2], filters: filters, alias: "z"), context())
            _ = try scan.drain()
            return scan.chunksRead
        }
        XCTAssertEqual(try chunksRead([]), 5)
        XCTAssertEqual(try chunksRead([compare(.greaterEqual, 4096), compare(.less, 6000)]), 1)
        XCTAssertEqual(try chunksRead([compare(.equal, 9500)]), 1)
        XCTAssertEqual(try chunksRead([compare(.greater, 10_000)]), 0)
        XCTAssertEqual(try chunksRead([BoundExpr(.isNull(column(0, .timestamp), negated: false), type: .boolean)]), 1)
        // A top-N over the scan reads the best chunk, then skips the others.
        let top = PhysicalPlanner(context: context()).topNOverScan(scan(data), keys: [key(column(0, .timestamp), desc: true)],
                                                                   limit: 10, offset: 0)
        XCTAssertEqual(try top?.drain().reduce(0) { $0 + $1.count }, 10)
    }

    func testZoneMapsDescribeChunks() throws {
        XCTAssertEqual(data.zoneMaps.zone(data, column: 0, chunk: 0), .range(min: 0, max: 2047, hasNull: false))
        XCTAssertEqual(data.zoneMaps.zone(data, column: 0, chunk: 2), .range(min: 4096, max: 6143, hasNull: true))
        XCTAssertEqual(data.zoneMaps.zone(data, column: 0, chunk: 4), .range(min: 8192, max: 9999, hasNull: false))
        data.truncate()
        XCTAssertNil(data.zoneMaps.zone(data, column: 0, chunk: 0))
    }

    func testTopNOverScanMatchesSort() throws {
        for descending in [true, false] {
            for (limit, offset) in [(1, 0), (20, 0), (5, 3000), (3000, 100)] {
                let keys = [key(column(0, .timestamp), desc: descending)]
                let sorted = try rows(.sort(scan(data), keys: keys))
                let top = try rows(.topN(scan(data), keys: keys, limit: limit, offset: offset))
                XCTAssertEqual(top, Array(sorted[offset..<min(sorted.count, offset + limit)]),
                               "desc \(descending) limit \(limit) offset \(offset)")
            }
        }
    }

    func testTopNOverProjectedScanKeepsTableOrderForTies() throws {
        // g has three values: ties everywhere, resolved by the row order of the table.
        let projected = LogicalPlan.project(scan(data), expressions: [column(2, .integer), column(1, .integer)], names: ["id", "g"])
        let keys = [key(column(1, .integer), desc: true)]
        let top = try rows(.topN(projected, keys: keys, limit: 4, offset: 0))
        XCTAssertEqual(top, [[i(2), i(2)], [i(5), i(2)], [i(8), i(2)], [i(11), i(2)]])
        let filtered = LogicalPlan.project(scan(data, filters: [compare(.greaterEqual, 9000)]),
                                           expressions: [column(2, .integer), column(0, .timestamp)], names: ["id", "t"])
        let latest = try rows(.topN(filtered, keys: [key(column(1, .timestamp))], limit: 2, offset: 0))
        XCTAssertEqual(latest, [[i(9191), .timestamp(9000)], [i(9190), .timestamp(9001)]])
    }
}

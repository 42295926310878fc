import XCTest
@testable import AQEngine

final class TimeMathTests: XCTestCase {
    func testParsesEveryOffsetForm() {
        let utc = TimeMath.parseTimestamp("2024-04-12T08:58:30.855892463Z")
        XCTAssertEqual(TimeMath.parseTimestamp("2024-04-12T16:58:30.855892463+08:00"), utc)
        XCTAssertEqual(TimeMath.parseTimestamp("2024-04-12T16:58:30.855892463+0800"), utc)
        XCTAssertEqual(TimeMath.parseTimestamp("2019-05-03T20:01:36.11+0000").map(TimeMath.formatTimestamp),
                       "2019-05-03 20:01:36.11")
        XCTAssertEqual(TimeMath.parseTimestamp("2024-04-12 16:58:30").map(TimeMath.formatTimestamp), "2024-04-12 16:58:30")
        XCTAssertEqual(utc.map(TimeMath.formatTimestamp), "2024-04-12 08:58:30.855892463")
    }

    func testRejectsOutOfRangeFields() {
        XCTAssertNil(TimeMath.parseTimestamp("2024-04-12T24:00:00Z"))
        XCTAssertNil(TimeMath.parseTimestamp("2024-04-12T23:59:60Z"))
        XCTAssertNil(TimeMath.parseTimestamp("2024-04-31T00:00:00Z"))
        XCTAssertNil(TimeMath.parseTimestamp("2024-04-12T00:00:00.1234567890Z"))
    }

    func testCivilRoundTripBeforeAndAfterEpoch() {
        for days: Int64 in [-719_468, -1, 0, 1, 19_825, 2_932_896] {
            let (y, m, d) = TimeMath.civilFromDays(days)
            XCTAssertEqual(TimeMath.daysFromCivil(year: y, month: m, day: d), days)
        }
        XCTAssertEqual(TimeMath.formatTimestamp(-1), "1969-12-31 23:59:59.999999999")
    }

    /// The text DuckDB gives the same values (CAST to VARCHAR), through the byte writers and
    /// the strings made from them.
    func testWritesTimesAndDatesAsDuckDBDoes() {
        let base = TimeMath.parseTimestamp("2024-04-12 08:58:30") ?? 0
        XCTAssertEqual(TimeMath.formatTimestamp(base + 5), "2024-04-12 08:58:30.000000005")
        XCTAssertEqual(TimeMath.formatTimestamp(base + 120_000_000), "2024-04-12 08:58:30.12")
        XCTAssertEqual(TimeMath.formatDate(TimeMath.daysFromCivil(year: 99, month: 1, day: 2)), "0099-01-02")
        XCTAssertEqual(TimeMath.formatDate(TimeMath.daysFromCivil(year: 12_345, month: 6, day: 7)), "12345-06-07")
        XCTAssertEqual(TimeMath.formatTimestamp(TimeMath.infinity), "infinity")
        XCTAssertEqual(TimeMath.formatDate(TimeMath.dateNegativeInfinity), "-infinity")
        // CSV cells of times are written from the column, the same text.
        let out = ByteBuffer()
        CSVOutput.writeCell(Vector(type: .timestamp, storage: .int64([base + 120_000_000])), 0, to: out)
        XCTAssertEqual(String(decoding: out.bytes, as: UTF8.self), "2024-04-12 08:58:30.12")
    }
}

// Casts between every pair of types that make sense, their errors, TRY_CAST, LIKE patterns,
// and the canonical text of values.

@testable import AQEngine
import AQSyntax
import XCTest

final class ExpressionCastTests: ExpressionTestCase {
    func c(_ v: Value, _ t: DataType, isTry: Bool = false) throws -> Value {
        try eval1(cast(lit(v), t, isTry: isTry))
    }

    func testStringToNumbers() throws {
        XCTAssertEqual(try c(s(" 12 "), .integer), i(12))
        XCTAssertEqual(try c(s("+5"), .integer), i(5))
        XCTAssertEqual(try c(s("-9223372036854775808"), .integer), i(.min))
        XCTAssertEqual(try c(s("1.5"), .double), d(1.5))
        XCTAssertEqual(try c(s(".5"), .double), d(0.5))
        XCTAssertEqual(try c(s("1e3"), .double), d(1000))
        XCTAssertEqual(try c(s("-inf"), .double), d(-.infinity))
        let e = assertFails("cannot cast 'abc' to INTEGER") { try c(s("abc"), .integer) }
        XCTAssertEqual(e?.range, SourceRange(start: 2, end: 5))
        assertFails("cannot cast '9223372036854775808' to INTEGER") { try c(s("9223372036854775808"), .integer) }
        assertFails("cannot cast '1.5' to INTEGER") { try c(s("1.5"), .integer) }
        assertFails("cannot cast '0x10' to DOUBLE") { try c(s("0x10"), .double) }
        XCTAssertEqual(try c(s("abc"), .integer, isTry: true), .null)
    }

    func testDoubleToIntegerRoundsHalfToEven() throws {
        XCTAssertEqual(try c(d(2.5), .integer), i(2))
        XCTAssertEqual(try c(d(3.5), .integer), i(4))
        XCTAssertEqual(try c(d(-2.5), .integer), i(-2))
        XCTAssertEqual(try c(d(-2.6), .integer), i(-3))
        assertFails("cannot cast '1e+19' to INTEGER") { try c(d(1e19), .integer) }
        assertFails("cannot cast 'nan' to INTEGER") { try c(d(.nan), .integer) }
        XCTAssertEqual(try c(d(1e19), .integer, isTry: true), .null)
    }

    func testBooleans() throws {
        for (text, value) in [("true", true), ("T", true), ("1", true), ("false", false), ("f", false), ("0", false)] {
            XCTAssertEqual(try c(s(text), .boolean), b(value), text)
        }
        assertFails("cannot cast 'yes please' to BOOLEAN") { try c(s("yes please"), .boolean) }
        XCTAssertEqual(try c(i(5), .boolean), b(true))
        XCTAssertEqual(try c(b(true), .integer), i(1))
        XCTAssertEqual(try c(b(false), .varchar), s("false"))
    }

    func testTimes() throws {
        XCTAssertEqual(try c(s("2024-04-12"), .timestamp), ts("2024-04-12 00:00:00"))
        XCTAssertEqual(try c(s("2024-04-12T08:00:00Z"), .timestamp), ts("2024-04-12 08:00:00"))
        XCTAssertEqual(try c(s("2024-04-12 08:00"), .date).text, "2024-04-12")
        XCTAssertEqual(try c(ts("2024-04-12 08:30:00"), .date).text, "2024-04-12")
        XCTAssertEqual(try c(.date(19_825), .timestamp).text, "2024-04-12 00:00:00")
        XCTAssertEqual(try c(ts("2024-04-12 08:58:30.855892463"), .varchar), s("2024-04-12 08:58:30.855892463"))
        assertFails("cannot cast '2024-13-01' to TIMESTAMP") { try c(s("2024-13-01"), .timestamp) }
    }

    func testIntervals() throws {
        let cases: [(String, String)] = [
            ("15 minutes", "00:15:00"), ("1 hour", "01:00:00"), ("7 days", "7 days"), ("2 weeks", "14 days"),
            ("1 month", "1 month"), ("00:15:00", "00:15:00"), ("1 year 2 months 3 days 04:05:06.5", "1 year 2 months 3 days 04:05:06.5"),
            ("1.5 hours", "01:30:00"), ("15m", "00:15:00"), ("-1 day", "-1 day"), ("2 days ago", "-2 days"), ("90", "00:01:30"),
            ("1 day -1 hour", "1 day -01:00:00"), ("1 quarter", "3 months"), ("1 decade", "10 years"),
        ]
        for (text, shown) in cases {
            XCTAssertEqual(try c(s(text), .interval).text, shown, text)
        }
        assertFails("cannot cast 'abc' to INTERVAL") { try c(s("abc"), .interval) }
        assertFails("cannot cast '5 fortnights' to INTERVAL") { try c(s("5 fortnights"), .interval) }
    }

    func testToTextIsTheCanonicalForm() throws {
        XCTAssertEqual(try c(i(-42), .varchar), s("-42"))
        XCTAssertEqual(try c(i(.min), .varchar), s("-9223372036854775808"))
        XCTAssertEqual(try c(d(0.1), .varchar), s("0.1"))
        XCTAssertEqual(try c(d(1e20), .varchar), s("1e+20"))
        XCTAssertEqual(try c(d(1e15), .varchar), s("1000000000000000.0"))
        XCTAssertEqual(try c(d(1.5e-7), .varchar), s("1.5e-07"))
        XCTAssertEqual(try c(d(.nan), .varchar), s("nan"))
        XCTAssertEqual(try c(d(-.infinity), .varchar), s("-inf"))
        XCTAssertEqual(try c(d(100), .varchar), s("100.0"))
        XCTAssertEqual(formatted(.interval(Interval(days: 1, nanoseconds: 7_200_000_000_000))), "1 day 02:00:00")
        XCTAssertNil(formatted(.null))
    }

    func testJSON() throws {
        XCTAssertEqual(try c(s("{\"a\": 1}"), .json), .json("{\"a\": 1}"))
        assertFails("cannot cast 'x' to JSON") { try c(s("x"), .json) }
        XCTAssertEqual(try c(.json("[1]"), .varchar), s("[1]"))
        XCTAssertEqual(try c(i(3), .json), .json("3"))
    }

    func testCastsOverDictionaryVectorsKeepNulls() throws {
        let v = vector([s("1"), .null, s("x"), s("1")], .varchar, dictionary: true)
        XCTAssertEqual(try eval(cast(col(0, .varchar), .integer, isTry: true), [v]), [i(1), .null, .null, i(1)])
        assertFails("cannot cast 'x' to INTEGER") { try eval(cast(col(0, .varchar), .integer), [v]) }
    }

    func like(_ value: String, _ pattern: String, ci: Bool = false, escape: String? = nil) throws -> Value {
        try eval1(BoundExpr(.like(lit(s(value)), pattern: lit(s(pattern)), caseInsensitive: ci, negated: false,
                                  escape: escape.map { lit(s($0)) }), type: .boolean))
    }

    func testLikePatterns() throws {
        let cases: [(String, String, Bool)] = [
            ("abc", "abc", true), ("abc", "ab", false), ("abc", "a%", true), ("abc", "%c", true), ("abc", "%b%", true),
            ("abc", "a%c%", true), ("", "%", true), ("", "_", false), ("héllo", "h_llo", true), ("abc", "a_c", true),
            ("abcabc", "%bc", true), ("aXbXc", "a%b%c", true), ("ab", "a%b%c", false), ("a", "a%a", false),
            ("a\\b", "a\\b", true), ("docker/24.0", "docker/%", true), ("xdocker/", "docker/%", false),
        ]
        for (value, pattern, expected) in cases {
            XCTAssertEqual(try like(value, pattern), b(expected), "\(value) LIKE \(pattern)")
        }
        XCTAssertEqual(try like("ÀB", "àb", ci: true), b(true))
        XCTAssertEqual(try like("Moby BuildKit", "%buildkit%", ci: true), b(true))
        XCTAssertEqual(try like("a_b", "a!_b", escape: "!"), b(true))
        XCTAssertEqual(try like("axb", "a!_b", escape: "!"), b(false))
        XCTAssertEqual(try like("50%", "50!%", escape: "!"), b(true))
        assertFails("must not end with the escape character") { try like("a", "a!", escape: "!") }
        assertFails("empty or one character") { try like("a", "a", escape: "xy") }
    }
}

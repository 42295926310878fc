// The function library: resolution by name and argument types, dictionary-aware kernels,
// every function's errors, and the parsers behind JSON paths, IP addresses and intervals.

@testable import AQEngine
import AQSyntax
import XCTest

final class FunctionLibraryTests: ExpressionTestCase {
    func testResolutionPicksTheCheapestOverload() {
        guard case .found(let round) = FunctionRegistry.resolve("round", argumentTypes: [.integer]) else {
            return XCTFail("round(INTEGER) not found")
        }
        XCTAssertEqual(round.returnType, .integer)
        guard case .found(let greatest) = FunctionRegistry.resolve("GREATEST", argumentTypes: [.integer, .double, .null]) else {
            return XCTFail("greatest not found")
        }
        XCTAssertEqual(greatest.argumentTypes, [.double, .double, .double])
        guard case .found(let trunc) = FunctionRegistry.resolve("date_trunc", argumentTypes: [.varchar, .varchar]) else {
            return XCTFail("date_trunc(VARCHAR, VARCHAR) not found")
        }
        XCTAssertEqual(trunc.argumentTypes, [.varchar, .timestamp])
        guard case .found(let concat) = FunctionRegistry.resolve("concat", argumentTypes: [.integer, .boolean]) else {
            return XCTFail("concat not found")
        }
        XCTAssertEqual(concat.argumentTypes, [.integer, .boolean])
    }

    func testResolutionErrorsSayWhatIsExpected() {
        guard case .invalidArguments(let message) = FunctionRegistry.resolve("lower", argumentTypes: [.integer]) else {
            return XCTFail("lower(INTEGER) resolved")
        }
        XCTAssertEqual(message, "no function lower(INTEGER); expected lower(VARCHAR)")
        guard case .unknownFunction(let suggestion) = FunctionRegistry.resolve("json_extract_strin", argumentTypes: []) else {
            return XCTFail("unknown name resolved")
        }
        XCTAssertEqual(suggestion, "json_extract_string")
        for name in ["abs", "round", "floor", "ceil", "ceiling", "greatest", "least", "nullif", "lower", "upper", "length",
                     "substr", "substring", "replace", "trim", "ltrim", "rtrim", "starts_with", "ends_with", "contains",
                     "split_part", "concat", "regexp_matches", "regexp_extract", "now", "date_trunc", "time_bucket",
                     "strftime", "epoch", "json_extract_string", "json_extract", "is_ip", "is_private_ip", "ip_in_cidr"] {
            XCTAssertTrue(FunctionRegistry.allNames.contains(name), name)
        }
    }

    func testDictionaryInputRunsOncePerValueAndStaysEncoded() throws {
        // Two batches over one column dictionary of 40 values.
        let dictionary = StringDictionary()
        for k in 0..<40 { _ = dictionary.code(for: "Value\(k)") }
        let small = StringDictionary()
        for k in 0..<3 { _ = small.code(for: "Small\(k)") }
        func batch(_ codes: [UInt32]) -> Batch {
            Batch(columns: [Vector(type: .varchar, storage: .string(.dictionary(codes: codes, dictionary: dictionary)))],
                  count: codes.count)
        }
        let lower = call("lower", [col(0, .varchar)])
        let first = try ExpressionEvaluator.evaluate(lower, batch([0, 1, 39, 1]), context)
        let second = try ExpressionEvaluator.evaluate(lower, batch([39, 2]), context)
        guard case .string(.dictionary(let c1, let d1)) = first.storage,
              case .string(.dictionary(let c2, let d2)) = second.storage else {
            return XCTFail("lower() of a dictionary column is not dictionary-encoded")
        }
        XCTAssertTrue(d1 === d2, "batches of one statement share the output dictionary")
        XCTAssertEqual(c1[2], c2[0])
        XCTAssertEqual(values(first), [s("value0"), s("value1"), s("value39"), s("value1")])
        XCTAssertEqual(values(second), [s("value39"), s("value2")])
        XCTAssertEqual(d1.count, 4, "only the values seen were computed")
        let predicate = cmp(.equal, col(0, .varchar), lit(s("Value2")))
        XCTAssertEqual(try ExpressionEvaluator.select(predicate, batch([2, 3, 2]), context), [0, 2])
        XCTAssertEqual(context.memo.count, 2)
        // A small column dictionary is memoized too: the same output dictionary per batch.
        let a = try ExpressionEvaluator.evaluate(lower, Batch(columns: [Vector(type: .varchar,
            storage: .string(.dictionary(codes: [0, 2], dictionary: small)))], count: 2), context)
        let b2 = try ExpressionEvaluator.evaluate(lower, Batch(columns: [Vector(type: .varchar,
            storage: .string(.dictionary(codes: [1], dictionary: small)))], count: 1), context)
        guard case .string(.dictionary(_, let da)) = a.storage, case .string(.dictionary(_, let db)) = b2.storage else {
            return XCTFail("not dictionary-encoded")
        }
        XCTAssertTrue(da === db)
        XCTAssertEqual(values(b2), [s("small1")])
    }

    func testStringFunctionsOverFlatAndDictionaryVectors() throws {
        for dictionary in [false, true] {
            let v = vector([s("Hello World"), .null, s("héllo"), s("")], .varchar, dictionary: dictionary)
            XCTAssertEqual(try eval(call("upper", [col(0, .varchar)]), [v]), [s("HELLO WORLD"), .null, s("HÉLLO"), s("")])
            XCTAssertEqual(try eval(call("length", [col(0, .varchar)]), [v]), [i(11), .null, i(5), i(0)])
            XCTAssertEqual(try eval(call("substr", [col(0, .varchar), lit(i(2)), lit(i(3))]), [v]),
                           [s("ell"), .null, s("éll"), s("")])
            XCTAssertEqual(try eval(call("contains", [col(0, .varchar), lit(s("o"))]), [v]), [b(true), .null, b(true), b(false)])
            XCTAssertEqual(try eval(call("split_part", [col(0, .varchar), lit(s(" ")), lit(i(2))]), [v]),
                           [s("World"), .null, s(""), s("")])
        }
    }

    func testSubstringFollowsDuckDB() throws {
        let cases: [(Int64, Int64?, String)] = [
            (2, nil, "ello"), (2, 3, "ell"), (0, 2, "h"), (-3, nil, "llo"), (-3, 2, "ll"), (0, nil, "hello"),
            (10, nil, ""), (2, -1, "h"), (-10, 3, ""), (1, 0, ""), (5, -10, "hell"),
        ]
        for (start, length, expected) in cases {
            let args = [lit(s("hello")), lit(i(start))] + (length.map { [lit(i($0))] } ?? [])
            XCTAssertEqual(try eval1(call("substr", args)), s(expected), "substr('hello', \(start), \(length ?? 0))")
        }
    }

    func testFunctionErrorsNameTheFunctionAndTheCall() {
        let e = assertFails("regexp_matches: invalid regular expression") { try call1("regexp_matches", s("a"), s("(")) }
        XCTAssertEqual(e?.range, SourceRange(start: 3, end: 9))
        assertFails("regexp_matches: invalid regular expression: invalid escape sequence '\\1'") {
            try call1("regexp_matches", s("aa"), s("(a)\\1"))
        }
        assertFails("regexp_matches: invalid regular expression: bad repetition operator: more than 1000 repetitions") {
            try call1("regexp_matches", s("a"), s("a{1001}"))
        }
        assertFails("regexp_matches: invalid regular expression: pattern too large") {
            try call1("regexp_matches", s("a"), s("((a{1000}){1000})"))
        }
        assertFails("regexp_extract: the group must be between 0 and 9") { try call1("regexp_extract", s("a"), s("a"), i(-1)) }
        assertFails("regexp_extract: the group must be between 0 and 9") { try call1("regexp_extract", s("a"), s("(a)"), i(10)) }
        assertFails("ip_in_cidr: invalid CIDR '10.0.0.0/33'") { try call1("ip_in_cidr", s("10.0.0.1"), s("10.0.0.0/33")) }
        assertFails("ip_in_cidr: invalid CIDR '10.0.0/8'") { try call1("ip_in_cidr", s("10.0.0.1"), s("10.0.0/8")) }
        assertFails("json_extract: invalid json path near '.'") { try call1("json_extract", s("{}"), s("$.a.")) }
        assertFails("strftime: unknown format code '%Q'") { try call1("strftime", ts("2024-01-01 00:00:00"), s("%Q")) }
        assertFails("date_trunc: unknown date part 'fortnight'") { try call1("date_trunc", s("fortnight"), ts("2024-01-01 00:00:00")) }
        assertFails("time_bucket: the width must be positive") {
            try call1("time_bucket", .interval(Interval()), ts("2024-01-01 00:00:00"))
        }
        assertFails("integer overflow in abs") { try call1("abs", i(.min)) }
    }

    func testFunctionsOfNullAreNull() throws {
        XCTAssertEqual(try eval1(call("lower", [lit(.null, .varchar)])), .null)
        XCTAssertEqual(try eval1(call("replace", [lit(s("a")), lit(.null, .varchar), lit(s("b"))])), .null)
        XCTAssertEqual(try eval1(call("ip_in_cidr", [lit(s("10.0.0.1")), lit(.null, .varchar)])), .null)
        XCTAssertEqual(try eval1(call("concat", [lit(.null, .varchar), lit(s("a"))])), s("a"))
        XCTAssertEqual(try eval1(call("greatest", [lit(.null, .integer), lit(.null, .integer)])), .null)
    }

    func testJSONExtraction() throws {
        let doc = #"{ "a" : { "b" : [ 1 , {"c":"x\u00e9\"y"} ] }, "Event category": "pull", "n": null, "t": true }"#
        func extract(_ path: String, string: Bool = true) throws -> Value {
            try call1(string ? "json_extract_string" : "json_extract", s(doc), s(path))
        }
        XCTAssertEqual(try extract("$.a.b[1].c"), s("xé\"y"))
        XCTAssertEqual(try extract("$.a.b[1].c", string: false), .json(#""xé\"y""#))
        XCTAssertEqual(try extract("$.a", string: false), .json(#"{"b":[1,{"c":"xé\"y"}]}"#))
        XCTAssertEqual(try extract("$.a.b[-1].c"), s("xé\"y"))
        XCTAssertEqual(try extract("$.\"Event category\""), s("pull"))
        XCTAssertEqual(try extract("t"), s("true"))
        XCTAssertEqual(try extract("a.b[0]"), s("1"))
        XCTAssertEqual(try extract("/a/b/0"), s("1"))
        XCTAssertEqual(try extract("$.n"), .null)
        XCTAssertEqual(try extract("$.n", string: false), .json("null"))
        XCTAssertEqual(try extract("$.missing"), .null)
        XCTAssertEqual(try extract("$.a.b[7]"), .null)
        XCTAssertEqual(try call1("json_extract_string", s("not json"), s("$.a")), .null)
        XCTAssertEqual(try call1("json_extract_string", s(#"{"a":[1,"#), s("$.a")), .null)
        XCTAssertEqual(try call1("json_extract_string", s(String(repeating: "[", count: 5000)), s("$[0]")), .null)
    }

    func testIPAddresses() throws {
        let addresses: [(String, Bool, Bool)] = [
            ("10.0.0.1", true, true), ("172.31.255.255", true, true), ("172.32.0.0", true, false), ("192.168.0.1", true, true),
            ("127.1.2.3", true, true), ("8.8.8.8", true, false), ("::1", true, true), ("fc00::1", true, true),
            ("fe80::1", true, false), ("2001:db8::1", true, false), ("::ffff:192.168.1.1", true, true), ("1::", true, false),
            ("1:2:3:4:5:6:7::", true, false), ("::", true, false), ("1.2.3.04", true, false),
            ("", false, false), ("1.2.3", false, false), ("1.2.3.4.5", false, false), ("1:2:3:4:5:6:7:8:9", false, false),
            ("1::2::3", false, false), (":1", false, false), ("12345::", false, false), ("10.0.0.256", false, false),
            ("10.0.0.1 ", false, false), ("AWS Internal", false, false),
        ]
        for (text, isIP, isPrivate) in addresses {
            XCTAssertEqual(try call1("is_ip", s(text)), b(isIP), text)
            XCTAssertEqual(try call1("is_private_ip", s(text)), b(isPrivate), text)
        }
        XCTAssertEqual(try call1("ip_in_cidr", s("2001:db8:1::5"), s("2001:db8::/32")), b(true))
        XCTAssertEqual(try call1("ip_in_cidr", s("2001:db9::5"), s("2001:db8::/32")), b(false))
        XCTAssertEqual(try call1("ip_in_cidr", s("10.0.0.1"), s("2001:db8::/32")), b(false))
        XCTAssertEqual(try call1("ip_in_cidr", s("anything"), s("0.0.0.0/0")), b(false))
        XCTAssertEqual(try call1("ip_in_cidr", s("::ffff:10.1.1.1"), s("10.0.0.0/8")), b(true))
    }

    func testIntervalText() {
        XCTAssertEqual(Interval(parsing: "15 minutes"), Interval(nanoseconds: 900_000_000_000))
        XCTAssertEqual(Interval(parsing: "2w"), Interval(days: 14))
        XCTAssertEqual(Interval(parsing: "1 year 2 mons"), Interval(months: 14))
        XCTAssertEqual(Interval(parsing: "1.5 days"), Interval(days: 1, nanoseconds: 43_200_000_000_000))
        XCTAssertEqual(Interval(parsing: "-01:30:00"), Interval(nanoseconds: -5_400_000_000_000))
        XCTAssertNil(Interval(parsing: ""))
        XCTAssertNil(Interval(parsing: "ago"))
        XCTAssertNil(Interval(parsing: "3000000000 days"))
        XCTAssertNil(Interval(parsing: "99999999999999999999 seconds"))
    }

    func testTimeFunctionsOverColumns() throws {
        let t = vector([ts("2024-04-12 08:58:30.5"), .null, ts("1969-12-31 23:59:59")], .timestamp)
        XCTAssertEqual(try eval(call("date_trunc", [lit(s("hour")), col(0, .timestamp)]), [t]),
                       [ts("2024-04-12 08:00:00"), .null, ts("1969-12-31 23:00:00")])
        XCTAssertEqual(try eval(call("time_bucket", [lit(.interval(Interval(nanoseconds: 900_000_000_000))), col(0, .timestamp)]), [t]),
                       [ts("2024-04-12 08:45:00"), .null, ts("1969-12-31 23:45:00")])
        XCTAssertEqual(try eval(call("epoch", [col(0, .timestamp)]), [t]), [d(1_712_912_310.5), .null, d(-1)])
        XCTAssertEqual(try eval(call("strftime", [col(0, .timestamp), lit(s("%Y/%m/%d %H"))]), [t]),
                       [s("2024/04/12 08"), .null, s("1969/12/31 23")])
        XCTAssertEqual(try eval1(call("now", [])), ts("2024-04-12 12:00:00"))
    }

    func testTruncationOverUnorderedRowsMatchesRowByRow() throws {
        // Mostly increasing times with jumps back and forth across unit boundaries.
        var state: UInt64 = 42
        func next() -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64(state >> 33)
        }
        var t: Int64 = TimeMath.parseTimestamp("2023-12-30 22:00:00") ?? 0
        var rows: [Value] = []
        for k in 0..<3000 {
            t += next() % 600_000_000_000
            if k % 97 == 0 { t -= next() % 40_000_000_000_000 }
            rows.append(k % 50 == 0 ? .null : .timestamp(t))
        }
        let column = vector(rows, .timestamp)
        for unit in ["minute", "hour", "day", "week", "month", "quarter", "year", "isoyear"] {
            let vectorized = try eval(call("date_trunc", [lit(s(unit)), col(0, .timestamp)]), [column])
            for (k, row) in rows.enumerated() where k % 7 == 0 {
                XCTAssertEqual(vectorized[k], try eval1(call("date_trunc", [lit(s(unit)), lit(row, .timestamp)])), "\(unit) row \(k)")
            }
        }
        let widths = [Interval(nanoseconds: 900_000_000_000), Interval(days: 1), Interval(days: 7), Interval(months: 1),
                      Interval(months: 3)]
        for width in widths {
            let vectorized = try eval(call("time_bucket", [lit(.interval(width)), col(0, .timestamp)]), [column])
            for (k, row) in rows.enumerated() where k % 7 == 0 {
                XCTAssertEqual(vectorized[k], try eval1(call("time_bucket", [lit(.interval(width)), lit(row, .timestamp)])),
                               "\(width) row \(k)")
            }
        }
    }
}

// The expression kernels: arithmetic and its errors, comparisons over every storage,
// three-valued logic, CASE/COALESCE evaluated per branch, IN, IS DISTINCT FROM, and filters.

@testable import AQEngine
import AQSyntax
import XCTest

final class ExpressionEvaluatorTests: ExpressionTestCase {
    func testIntegerArithmeticFollowsTheContract() throws {
        let a = vector([i(7), i(-7), .null, i(9)], .integer), b = vector([i(2), i(2), i(3), i(-4)], .integer)
        XCTAssertEqual(try eval(arith(.add, col(0, .integer), col(1, .integer), .integer), [a, b]), [i(9), i(-5), .null, i(5)])
        XCTAssertEqual(try eval(arith(.integerDivide, col(0, .integer), col(1, .integer), .integer), [a, b]),
                       [i(3), i(-3), .null, i(-2)])
        XCTAssertEqual(try eval(arith(.modulo, col(0, .integer), col(1, .integer), .integer), [a, b]),
                       [i(1), i(-1), .null, i(1)])
        XCTAssertEqual(try eval(arith(.multiply, col(0, .integer), col(1, .integer), .integer), [a, b]),
                       [i(14), i(-14), .null, i(-36)])
        XCTAssertEqual(try eval1(arith(.modulo, lit(i(.min)), lit(i(-1)), .integer)), i(0))
    }

    func testOverflowAndDivisionByZeroAreErrorsWithTheirRange() {
        let e = assertFails("integer overflow in '+'") {
            try eval1(arith(.add, lit(i(.max)), lit(i(1)), .integer))
        }
        XCTAssertEqual(e?.range, SourceRange(start: 4, end: 7))
        assertFails("integer overflow in '*'") { try eval1(arith(.multiply, lit(i(.max)), lit(i(2)), .integer)) }
        assertFails("integer overflow in '//'") { try eval1(arith(.integerDivide, lit(i(.min)), lit(i(-1)), .integer)) }
        assertFails("integer overflow in '-'") { try eval1(BoundExpr(.negate(lit(i(.min))), type: .integer)) }
        for op in [ArithmeticOperator.integerDivide, .modulo] {
            assertFails("division by zero") { try eval1(arith(op, lit(i(1)), lit(i(0)), .integer)) }
        }
        assertFails("division by zero") { try eval1(arith(.divide, lit(d(1)), lit(d(0)), .double)) }
        assertFails("division by zero") { try eval1(arith(.modulo, lit(d(1)), lit(d(0)), .double)) }
    }

    func testNullRowsNeverRaise() throws {
        // Row 1 divides by zero but is NULL on the left; row 2 overflows but is NULL.
        let a = vector([i(6), .null, .null], .integer), b = vector([i(3), i(0), i(1)], .integer)
        XCTAssertEqual(try eval(arith(.integerDivide, col(0, .integer), col(1, .integer), .integer), [a, b]),
                       [i(2), .null, .null])
        let big = vector([i(1), .null], .integer), one = vector([i(1), i(.max)], .integer)
        XCTAssertEqual(try eval(arith(.add, col(0, .integer), col(1, .integer), .integer), [big, one]), [i(2), .null])
    }

    func testDoubleArithmetic() throws {
        XCTAssertEqual(try eval1(arith(.divide, lit(d(7)), lit(d(2)), .double)), d(3.5))
        XCTAssertEqual(try eval1(arith(.modulo, lit(d(-7.5)), lit(d(2)), .double)), d(-1.5))
        XCTAssertEqual(try eval1(arith(.integerDivide, lit(d(7.5)), lit(d(2)), .double)), d(3.75))
        XCTAssertEqual(try eval1(BoundExpr(.negate(lit(d(2.5))), type: .double)), d(-2.5))
    }

    func testTimeArithmeticUsesTheCalendar() throws {
        let month = Value.interval(Interval(months: 1))
        XCTAssertEqual(try eval1(arith(.add, lit(ts("2024-01-31 10:00:00")), lit(month), .timestamp)), ts("2024-02-29 10:00:00"))
        XCTAssertEqual(try eval1(arith(.subtract, lit(ts("2024-03-31 10:00:00")), lit(month), .timestamp)),
                       ts("2024-02-29 10:00:00"))
        XCTAssertEqual(try eval1(arith(.add, lit(.interval(Interval(days: 1, nanoseconds: 3_600_000_000_000))),
                                       lit(ts("2024-04-12 08:00:00")), .timestamp)), ts("2024-04-13 09:00:00"))
        let diff = try eval1(arith(.subtract, lit(ts("2024-03-01 00:00:00")), lit(ts("2024-02-01 01:00:00")), .interval))
        XCTAssertEqual(diff.text, "28 days 23:00:00")
        XCTAssertEqual(try eval1(arith(.subtract, lit(.date(19_800)), lit(.date(19_790)), .integer)), i(10))
        XCTAssertEqual(try eval1(arith(.add, lit(.date(19_800)), lit(i(3)), .date)), .date(19_803))
        XCTAssertEqual(try eval1(arith(.multiply, lit(.interval(Interval(days: 1))), lit(i(3)), .interval)),
                       .interval(Interval(days: 3)))
        XCTAssertEqual(try eval1(BoundExpr(.negate(lit(.interval(Interval(days: 1, nanoseconds: 7_200_000_000_000)))),
                                           type: .interval)).text, "-1 day -02:00:00")
    }

    func testConcatIsNullWhenEitherSideIsNull() throws {
        let a = vector([s("a"), .null, s("x")], .varchar, dictionary: true), b = vector([s("b"), s("c"), .null], .varchar)
        XCTAssertEqual(try eval(arith(.concat, col(0, .varchar), col(1, .varchar), .varchar), [a, b]), [s("ab"), .null, .null])
    }

    func testComparisonsOverEveryStorage() throws {
        let ints = vector([i(1), i(5), .null], .integer)
        XCTAssertEqual(try eval(cmp(.less, col(0, .integer), lit(i(3))), [ints]), [b(true), b(false), .null])
        XCTAssertEqual(try eval(cmp(.greater, lit(i(3)), col(0, .integer)), [ints]), [b(true), b(false), .null])
        let nan = Double.nan
        let doubles = vector([d(nan), d(-0.0), d(1)], .double)
        XCTAssertEqual(try eval(cmp(.equal, col(0, .double), col(0, .double)), [doubles]), [b(true), b(true), b(true)])
        XCTAssertEqual(try eval(cmp(.greater, col(0, .double), lit(d(1e308))), [doubles]), [b(true), b(false), b(false)])
        XCTAssertEqual(try eval(cmp(.equal, col(0, .double), lit(d(0))), [doubles]), [b(false), b(true), b(false)])
        for dictionary in [false, true] {
            let strings = vector([s("abc"), s("B"), .null, s("é")], .varchar, dictionary: dictionary)
            XCTAssertEqual(try eval(cmp(.less, col(0, .varchar), lit(s("abd"))), [strings]),
                           [b(true), b(true), .null, b(false)])
            XCTAssertEqual(try eval(cmp(.equal, col(0, .varchar), lit(s("B"))), [strings]),
                           [b(false), b(true), .null, b(false)])
        }
        let month = vector([.interval(Interval(months: 1)), .interval(Interval(days: 29))], .interval)
        XCTAssertEqual(try eval(cmp(.equal, col(0, .interval), lit(.interval(Interval(days: 30)))), [month]),
                       [b(true), b(false)])
        // A string constant against a TIMESTAMP column is read as a timestamp.
        let times = vector([ts("2024-04-12 08:00:00"), ts("2024-04-11 23:59:59")], .timestamp)
        XCTAssertEqual(try eval(cmp(.greaterEqual, col(0, .timestamp), lit(s("2024-04-12"))), [times]), [b(true), b(false)])
    }

    func testThreeValuedLogic() throws {
        let t = lit(b(true)), f = lit(b(false)), n = lit(.null, .boolean)
        func and(_ xs: BoundExpr...) -> BoundExpr { BoundExpr(.and(xs), type: .boolean) }
        func or(_ xs: BoundExpr...) -> BoundExpr { BoundExpr(.or(xs), type: .boolean) }
        XCTAssertEqual(try eval1(and(t, n)), .null)
        XCTAssertEqual(try eval1(and(f, n)), b(false))
        XCTAssertEqual(try eval1(and(n, f)), b(false))
        XCTAssertEqual(try eval1(or(t, n)), b(true))
        XCTAssertEqual(try eval1(or(n, t)), b(true))
        XCTAssertEqual(try eval1(or(f, n)), .null)
        XCTAssertEqual(try eval1(BoundExpr(.not(n), type: .boolean)), .null)
        XCTAssertEqual(try eval1(BoundExpr(.isNull(n, negated: false), type: .boolean)), b(true))
        XCTAssertEqual(try eval1(BoundExpr(.isDistinctFrom(lit(.null, .integer), lit(.null, .integer), negated: false),
                                           type: .boolean)), b(false))
        XCTAssertEqual(try eval1(BoundExpr(.isDistinctFrom(lit(i(1)), lit(.null, .integer), negated: false),
                                           type: .boolean)), b(true))
    }

    func testAndDoesNotEvaluateADecidedRow() throws {
        // x <> 0 AND 10 // x > 1: the second operand would divide by zero on row 1.
        let x = vector([i(5), i(0), i(20)], .integer)
        let guardExpr = cmp(.notEqual, col(0, .integer), lit(i(0)))
        let division = cmp(.greater, arith(.integerDivide, lit(i(10)), col(0, .integer), .integer), lit(i(1)))
        let e = BoundExpr(.and([guardExpr, division]), type: .boolean)
        XCTAssertEqual(try eval(e, [x]), [b(true), b(false), b(false)])
        XCTAssertEqual(try ExpressionEvaluator.select(e, batch([x]), context), [0])
    }

    func testCaseEvaluatesEachBranchOnItsRowsOnly() throws {
        let x = vector([i(0), i(4), .null], .integer)
        let e = BoundExpr(.caseWhen([(cmp(.equal, col(0, .integer), lit(i(0))), lit(.null, .integer))],
                                    elseResult: arith(.integerDivide, lit(i(8)), col(0, .integer), .integer)),
                          type: .integer)
        XCTAssertEqual(try eval(e, [x]), [.null, i(2), .null])
        let strings = BoundExpr(.caseWhen([(cmp(.greater, col(0, .integer), lit(i(1))), lit(s("big")))],
                                          elseResult: lit(s("small"))), type: .varchar)
        XCTAssertEqual(try eval(strings, [x]), [s("small"), s("big"), s("small")])
        let noElse = BoundExpr(.caseWhen([(cmp(.greater, col(0, .integer), lit(i(1))), lit(s("big")))], elseResult: nil),
                               type: .varchar)
        XCTAssertEqual(try eval(noElse, [x]), [.null, s("big"), .null])
    }

    func testCoalesceTakesTheFirstNonNull() throws {
        let a = vector([.null, s("a"), .null], .varchar, dictionary: true), b = vector([s("x"), s("y"), .null], .varchar)
        let e = BoundExpr(.coalesce([col(0, .varchar), col(1, .varchar), lit(s("z"))]), type: .varchar)
        XCTAssertEqual(try eval(e, [a, b]), [s("x"), s("a"), s("z")])
    }

    func testInListWithNulls() throws {
        let x = vector([i(1), i(3), .null], .integer)
        func inList(_ list: [Value], negated: Bool) -> BoundExpr {
            BoundExpr(.inList(col(0, .integer), list.map { lit($0, .integer) }, negated: negated), type: .boolean)
        }
        XCTAssertEqual(try eval(inList([i(1), i(2)], negated: false), [x]), [b(true), b(false), .null])
        XCTAssertEqual(try eval(inList([i(1), .null], negated: false), [x]), [b(true), .null, .null])
        XCTAssertEqual(try eval(inList([i(1), .null], negated: true), [x]), [b(false), .null, .null])
        XCTAssertEqual(try eval(inList([i(2)], negated: true), [x]), [b(true), b(true), .null])
        let strings = vector([s("pull"), s("push"), s("delete")], .varchar, dictionary: true)
        let e = BoundExpr(.inList(col(0, .varchar), [lit(s("push")), lit(s("delete"))], negated: false), type: .boolean)
        XCTAssertEqual(try eval(e, [strings]), [b(false), b(true), b(true)])
        let set = ValueSet(values: [s("pull")], containsNull: true)
        let inSet = BoundExpr(.inSet(col(0, .varchar), set, negated: true), type: .boolean)
        XCTAssertEqual(try eval(inSet, [strings]), [b(false), .null, .null])
    }

    func testSelectFastPathsAgreeWithEvaluation() throws {
        let n = 3000
        let actions = (0..<n).map { k -> Value in k % 7 == 0 ? .null : s(["pull", "push", "delete"][k % 3]) }
        let times = (0..<n).map { k -> Value in k % 11 == 0 ? .null : .timestamp(Int64(k) * 1_000_000_000) }
        let columns = [vector(actions, .varchar, dictionary: true), vector(times, .timestamp), vector(actions, .varchar)]
        let predicates: [BoundExpr] = [
            cmp(.equal, col(0, .varchar), lit(s("pull"))),
            cmp(.equal, col(2, .varchar), lit(s("pull"))),
            cmp(.greaterEqual, col(1, .timestamp), lit(.timestamp(1_000_000_000_000))),
            BoundExpr(.and([cmp(.notEqual, col(0, .varchar), lit(s("push"))),
                            cmp(.less, col(1, .timestamp), lit(.timestamp(2_000_000_000_000)))]), type: .boolean),
            BoundExpr(.isNull(col(1, .timestamp), negated: false), type: .boolean),
            BoundExpr(.like(col(0, .varchar), pattern: lit(s("p%")), caseInsensitive: false, negated: false, escape: nil),
                      type: .boolean),
        ]
        for p in predicates {
            let b = Batch(columns: columns, count: n)
            let v = try ExpressionEvaluator.evaluate(p, b, context)
            let expected = (0..<n).filter { v.value(at: $0) == .boolean(true) }.map { Int32($0) }
            XCTAssertEqual(try ExpressionEvaluator.select(p, b, context), expected)
            XCTAssertFalse(expected.isEmpty)
        }
    }

    func testColumnFreeOperandsActAsConstants() throws {
        // time > now() - INTERVAL '7 days', with now() = 2024-04-12 12:00:00.
        let times = vector([ts("2024-04-06 00:00:00"), ts("2024-04-05 12:00:00"), .null, ts("2024-04-12 11:00:00")], .timestamp)
        let weekAgo = arith(.subtract, call("now", []), lit(.interval(Interval(days: 7))), .timestamp)
        let p = cmp(.greater, col(0, .timestamp), weekAgo)
        XCTAssertEqual(try eval(p, [times]), [b(true), b(false), .null, b(true)])
        XCTAssertEqual(try ExpressionEvaluator.select(p, batch([times]), context), [0, 3])
        let flipped = cmp(.less, weekAgo, col(0, .timestamp))
        XCTAssertEqual(try ExpressionEvaluator.select(flipped, batch([times]), context), [0, 3])
    }
}

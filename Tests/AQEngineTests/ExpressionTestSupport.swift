// Helpers for expression and function tests: bound expressions built by hand, small
// vectors (flat or dictionary-encoded), and evaluation to boxed values.

@testable import AQEngine
import AQSyntax
import XCTest

class ExpressionTestCase: XCTestCase {
    let context = ExecutionContext(now: TimeMath.parseTimestamp("2024-04-12 12:00:00") ?? 0,
                                   cancellation: CancellationToken(), catalog: Catalog())

    func col(_ index: Int, _ type: DataType) -> BoundExpr {
        BoundExpr(.column(index: index, name: "c\(index)"), type: type)
    }

    func lit(_ value: Value, _ type: DataType? = nil) -> BoundExpr {
        BoundExpr(.constant(value), type: type ?? value.type, range: SourceRange(start: 0, end: 1))
    }

    func s(_ x: String) -> Value { .varchar(x) }
    func i(_ x: Int64) -> Value { .integer(x) }
    func d(_ x: Double) -> Value { .double(x) }
    func b(_ x: Bool) -> Value { .boolean(x) }
    func ts(_ x: String) -> Value { .timestamp(TimeMath.parseTimestamp(x) ?? 0) }

    /// A vector of `values`; strings dictionary-encoded when `dictionary`.
    func vector(_ values: [Value], _ type: DataType, dictionary: Bool = false) -> Vector {
        if dictionary, type.isString {
            let dict = StringDictionary()
            var codes: [UInt32] = []
            var validity = Validity(allValid: 0)
            var sawNull = false
            for v in values {
                switch v {
                case .varchar(let x), .json(let x): codes.append(dict.code(for: x)); validity.append(true)
                default: codes.append(0); validity.append(false); sawNull = true
                }
            }
            if dict.count == 0 { _ = dict.code(for: "") }
            return Vector(type: type, storage: .string(.dictionary(codes: codes, dictionary: dict)),
                          validity: sawNull ? validity : nil)
        }
        var builder = VectorBuilder(type: type)
        for v in values { builder.append(v) }
        return builder.build()
    }

    func batch(_ columns: [Vector]) -> Batch {
        Batch(columns: columns, count: columns.first?.count ?? 1)
    }

    func values(_ v: Vector) -> [Value] { (0..<v.count).map { v.value(at: $0) } }

    /// `expr` over the rows of `columns`.
    func eval(_ expr: BoundExpr, _ columns: [Vector]) throws -> [Value] {
        values(try ExpressionEvaluator.evaluate(expr, batch(columns), context))
    }

    /// `expr` (without column references) on one row.
    func eval1(_ expr: BoundExpr) throws -> Value {
        try ExpressionEvaluator.evaluate(expr, Batch(columns: [], count: 1), context).value(at: 0)
    }

    /// A call resolved through the registry, its arguments cast as the binder does.
    func call(_ name: String, _ args: [BoundExpr], file: StaticString = #filePath, line: UInt = #line) -> BoundExpr {
        switch FunctionRegistry.resolve(name, argumentTypes: args.map(\.type)) {
        case .found(let f):
            let cast = args.enumerated().map { k, a in
                a.type == f.argumentTypes[k] ? a : BoundExpr(.cast(a, isTry: false), type: f.argumentTypes[k], range: a.range)
            }
            return BoundExpr(.call(f, cast), type: f.returnType, range: SourceRange(start: 3, end: 9))
        case .unknownFunction(let suggestion):
            XCTFail("unknown function \(name) (\(suggestion ?? "-"))", file: file, line: line)
        case .invalidArguments(let message):
            XCTFail(message, file: file, line: line)
        }
        return lit(.null)
    }

    /// One call on constants.
    func call1(_ name: String, _ args: Value..., file: StaticString = #filePath, line: UInt = #line) throws -> Value {
        try eval1(call(name, args.map { lit($0) }, file: file, line: line))
    }

    func cast(_ e: BoundExpr, _ type: DataType, isTry: Bool = false) -> BoundExpr {
        BoundExpr(.cast(e, isTry: isTry), type: type, range: SourceRange(start: 2, end: 5))
    }

    func arith(_ op: ArithmeticOperator, _ a: BoundExpr, _ b: BoundExpr, _ type: DataType) -> BoundExpr {
        BoundExpr(.arithmetic(op, a, b), type: type, range: SourceRange(start: 4, end: 7))
    }

    func cmp(_ op: ComparisonOperator, _ a: BoundExpr, _ b: BoundExpr) -> BoundExpr {
        BoundExpr(.compare(op, a, b), type: .boolean)
    }

    /// Asserts that `body` throws an `ExecutionError` whose message contains `text`, and
    /// returns it.
    @discardableResult
    func assertFails<T>(_ text: String, file: StaticString = #filePath, line: UInt = #line,
                        _ body: () throws -> T) -> ExecutionError? {
        do {
            let v = try body()
            XCTFail("expected an error containing '\(text)', got \(v)", file: file, line: line)
        } catch let e as ExecutionError {
            XCTAssertTrue(e.message.contains(text), "'\(e.message)' does not contain '\(text)'", file: file, line: line)
            return e
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }
}

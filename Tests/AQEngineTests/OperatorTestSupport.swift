// Helpers for operator tests: small tables built from values, bound expressions and
// plans written by hand, and running a plan to rows of values.

import XCTest
@testable import AQEngine

/// The base of operator test cases: helpers as members, so they shadow nothing globally.
class OperatorTestCase: XCTestCase {
    /// A table of `rows`, appended in chunks of `chunk` rows. String columns share one
    /// dictionary across chunks when `dictionary` is true, and are flat otherwise.
    func table(_ name: String, _ columns: [(String, DataType)], _ rows: [[Value]],
                      chunk: Int = Batch.capacity, dictionary: Bool = true) -> Table {
        let table = Table(name: name, columns: columns.map { ColumnSchema(name: $0.0, type: $0.1) })
        var dictionaries: [StringDictionary?] = columns.map { $0.1.isString && dictionary ? StringDictionary() : nil }
        table.dictionaries = dictionaries
        var start = 0
        while start < rows.count {
            let end = min(start + chunk, rows.count)
            var vectors: [Vector] = []
            for (c, column) in columns.enumerated() {
                let values = rows[start..<end].map { $0[c] }
                if let d = dictionaries[c] {
                    var validity = Validity(allValid: values.count)
                    var codes: [UInt32] = []
                    for (i, v) in values.enumerated() {
                        switch v {
                        case .varchar(let s), .json(let s): codes.append(d.code(for: s))
                        default: codes.append(0); validity.set(i, valid: false)
                        }
                    }
                    let hasNull = values.contains { $0.isNull }
                    vectors.append(Vector(type: column.1, storage: .string(.dictionary(codes: codes, dictionary: d)),
                                          validity: hasNull ? validity : nil))
                } else {
                    var builder = VectorBuilder(type: column.1)
                    for v in values { builder.append(v) }
                    vectors.append(builder.build())
                }
            }
            table.append(Batch(columns: vectors, count: end - start))
            start = end
        }
        dictionaries = []
        return table
    }

    func scan(_ table: Table, _ columns: [Int]? = nil, filters: [BoundExpr] = []) -> LogicalPlan {
        .scan(LogicalScan(table: table, columns: columns ?? Array(table.columns.indices), filters: filters, alias: table.name))
    }

    func column(_ index: Int, _ type: DataType, _ name: String = "c") -> BoundExpr {
        BoundExpr(.column(index: index, name: name), type: type)
    }

    func constant(_ value: Value, _ type: DataType? = nil) -> BoundExpr {
        BoundExpr(.constant(value), type: type ?? value.type)
    }

    func equal(_ a: BoundExpr, _ b: BoundExpr) -> BoundExpr {
        BoundExpr(.compare(.equal, a, b), type: .boolean)
    }

    func aggregate(_ f: AggregateFunction, _ args: [BoundExpr], distinct: Bool = false,
                          filter: BoundExpr? = nil, orderBy: [BoundSortKey] = []) -> BoundAggregate {
        let type = AggregateFunction.resultType(f, args.map(\.type)) ?? .null
        return BoundAggregate(function: f, arguments: args, distinct: distinct, filter: filter, orderBy: orderBy, type: type)
    }

    func key(_ expr: BoundExpr, desc: Bool = false, nullsFirst: Bool = false) -> BoundSortKey {
        BoundSortKey(expr: expr, descending: desc, nullsFirst: nullsFirst)
    }

    func context(_ catalog: Catalog = Catalog()) -> ExecutionContext {
        ExecutionContext(now: 0, cancellation: CancellationToken(), catalog: catalog)
    }

    /// Runs `plan` and returns its rows; checks that every batch has the plan's width and
    /// at most `Batch.capacity` rows.
    func rows(_ plan: LogicalPlan, file: StaticString = #filePath, line: UInt = #line) throws -> [[Value]] {
        let batches = try Executor.run(plan, context())
        var out: [[Value]] = []
        for batch in batches {
            XCTAssertLessThanOrEqual(batch.count, Batch.capacity, file: file, line: line)
            XCTAssertGreaterThan(batch.count, 0, "empty batch", file: file, line: line)
            XCTAssertEqual(batch.columns.count, plan.columnCount, file: file, line: line)
            for column in batch.columns { XCTAssertEqual(column.count, batch.count, file: file, line: line) }
            for r in 0..<batch.count { out.append(batch.columns.map { $0.value(at: r) }) }
        }
        return out
    }

    // Shorthands for values in expected rows.
    func s(_ x: String) -> Value { .varchar(x) }
    func i(_ x: Int64) -> Value { .integer(x) }
    func d(_ x: Double) -> Value { .double(x) }
    func b(_ x: Bool) -> Value { .boolean(x) }
    func t(_ x: String) -> Value { .timestamp(TimeMath.parseTimestamp(x) ?? 0) }
    var null: Value { .null }
}

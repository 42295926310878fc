// Reads a table's stored chunks, keeps the scanned columns and applies the filters
// pushed into the scan. Chunks are shared, not copied, unless a filter drops rows; chunks
// whose zone maps show that no row can pass a range filter are not read at all.

final class PhysicalScan: PhysicalOperator {
    let types: [DataType]
    private let table: Table
    private let chunks: [Batch]
    private let columns: [Int]
    private let filter: SelectionFilter
    private let pruners: [ZonePruner]
    private let context: ExecutionContext
    private var position = 0

    /// The order to read chunks in (default: as stored). Set before the first `next()`.
    var chunkOrder: [Int]?
    /// Asked before each chunk is read (a top-N above skips chunks that cannot beat its rows).
    var skipChunk: ((Int) -> Bool)?
    /// Whether each batch carries one more column: the rows' positions in the table.
    private let rowIDs: Bool
    private var chunkStarts: [Int64] = []

    init(_ scan: LogicalScan, _ context: ExecutionContext, rowIDs: Bool = false) {
        self.table = scan.table
        self.types = scan.columns.map { scan.table.columns[$0].type } + (rowIDs ? [.integer] : [])
        self.chunks = scan.table.chunks
        self.columns = scan.columns
        self.filter = SelectionFilter(scan.filters)
        self.pruners = ZonePruner.pruners(scan.filters, columns: scan.columns, table: scan.table, context)
        self.context = context
        self.rowIDs = rowIDs
        if rowIDs {
            var start: Int64 = 0
            for chunk in chunks {
                chunkStarts.append(start)
                start += Int64(chunk.count)
            }
        }
    }

    func next() throws -> Batch? {
        let count = chunkOrder?.count ?? chunks.count
        while position < count {
            try context.cancellation.check()
            let index = chunkOrder?[position] ?? position
            position += 1
            if pruners.contains(where: { $0.excludes(table, chunk: index) }) { continue }
            if let skipChunk, skipChunk(index) { continue }
            let chunk = chunks[index]
            var vectors = columns.map { chunk.columns[$0] }
            if rowIDs {
                let start = chunkStarts[index]
                vectors.append(Vector(type: .integer, storage: .int64((0..<Int64(chunk.count)).map { start + $0 })))
            }
            if let out = try filter.apply(Batch(columns: vectors, count: chunk.count), context) { return out }
        }
        return nil
    }
}

/// A pushed filter that zone maps can decide for a whole chunk: `column <op> constant`,
/// `column IS [NOT] NULL`, on a column stored as integers.
struct ZonePruner {
    private enum Test {
        case compare(ComparisonOperator, Int64)
        case isNull
        case isNotNull
    }
    private let column: Int
    private let test: Test

    /// Whether no row of chunk `chunk` can pass.
    func excludes(_ table: Table, chunk: Int) -> Bool {
        guard let zone = table.zoneMaps.zone(table, column: column, chunk: chunk) else { return false }
        switch (test, zone) {
        case (.isNull, .allNull): return false
        case (.isNull, .range(_, _, let hasNull)): return !hasNull
        case (.isNotNull, .allNull): return true
        case (.isNotNull, .range): return false
        case (.compare, .allNull): return true
        case (.compare(let op, let x), .range(let lo, let hi, _)):
            switch op {
            case .equal: return x < lo || x > hi
            case .notEqual: return lo == x && hi == x
            case .less: return lo >= x
            case .lessEqual: return lo > x
            case .greater: return hi <= x
            case .greaterEqual: return hi < x
            }
        }
    }

    static func pruners(_ filters: [BoundExpr], columns: [Int], table: Table, _ context: ExecutionContext) -> [ZonePruner] {
        var conjuncts: [BoundExpr] = []
        func flatten(_ e: BoundExpr) {
            if case .and(let parts) = e.kind { parts.forEach(flatten) } else { conjuncts.append(e) }
        }
        filters.forEach(flatten)
        var out: [ZonePruner] = []
        for c in conjuncts {
            switch c.kind {
            case .compare(let op, let a, let b):
                if let column = storedColumn(a, columns, table), let x = constant(b, context) {
                    out.append(ZonePruner(column: column, test: .compare(op, x)))
                } else if let column = storedColumn(b, columns, table), let x = constant(a, context) {
                    out.append(ZonePruner(column: column, test: .compare(op.flipped, x)))
                }
            case .isNull(let x, let negated):
                if let column = storedColumn(x, columns, table) {
                    out.append(ZonePruner(column: column, test: negated ? .isNotNull : .isNull))
                }
            default:
                break
            }
        }
        return out
    }

    /// The table column an expression reads directly, if it is stored as integers.
    private static func storedColumn(_ e: BoundExpr, _ columns: [Int], _ table: Table) -> Int? {
        guard case .column(let index, _) = e.kind, index < columns.count else { return nil }
        let column = columns[index]
        return table.columns[column].type.isInt64Backed && e.type == table.columns[column].type ? column : nil
    }

    /// The value of an expression that reads no column, as an integer word, if it is one.
    private static func constant(_ e: BoundExpr, _ context: ExecutionContext) -> Int64? {
        guard e.type.isInt64Backed, ExpressionWalker.columns(of: e).isEmpty, !ExpressionWalker.containsSubquery(e) else { return nil }
        let value: Value
        if case .constant(let v) = e.kind {
            value = v
        } else {
            // A constant expression (a cast of a literal): its value, or no pruning if it fails.
            guard let v = try? ExpressionEvaluator.evaluate(e, Batch(columns: [], count: 1), context).value(at: 0) else { return nil }
            value = v
        }
        switch value {
        case .integer(let x), .date(let x), .timestamp(let x): return x
        default: return nil
        }
    }
}

// Reads a table's stored chunks, keeps the scanned columns and applies the filters
// pushed into the scan. Chunks are shared, not copied, unless a filter drops rows; chunks
// whose zone maps show that no row can pass a range filter are not read at all. Leading
// string tests run on the stored codes (`ScanCodeFilter`), the other filters on the columns
// they read; the columns the filters do not read are unpacked only for the rows kept, and
// JSON paths come from sub-columns (`ScanColumnReader`).

final class PhysicalScan: PhysicalOperator {
    let types: [DataType]
    private let table: Table
    private let reader: ScanColumnReader
    /// The chunks there were when the scan was made (an INSERT … SELECT from the same table
    /// reads only those).
    private let chunkCount: Int
    private let filter: SelectionFilter
    /// The leading conjuncts tested on stored dictionary codes.
    private let codeFilter: ScanCodeFilter
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
    /// How many chunks were read (not skipped): for tests and EXPLAIN ANALYZE-style output.
    private(set) var chunksRead = 0

    /// Output columns nothing above the scan reads (its filters may): given as NULL
    /// placeholders, never gathered, and not read at all when no filter reads them.
    private let unused: Set<Int>

    private struct ColumnSets {
        let settled: [Bool]?
        let open: Set<Int>
        let openDeferred: Set<Int>
        let restDeferred: Set<Int>
    }
    private var lastColumnSets: ColumnSets?

    init(_ scan: LogicalScan, _ context: ExecutionContext, rowIDs: Bool = false, unused: Set<Int> = []) {
        self.unused = unused
        self.table = scan.table
        self.types = LogicalPlan.scan(scan).schema.map(\.type) + (rowIDs ? [.integer] : [])
        self.reader = ScanColumnReader(table: scan.table, columns: scan.columns, paths: scan.paths)
        self.chunkCount = scan.table.chunkCount
        self.filter = SelectionFilter(scan.filters)
        self.codeFilter = ScanCodeFilter(filter.conjuncts, columns: scan.columns, table: scan.table)
        self.pruners = ZonePruner.pruners(scan.filters, columns: scan.columns, table: scan.table, context)
        self.context = context
        self.rowIDs = rowIDs
        if rowIDs {
            var start: Int64 = 0
            for chunk in 0..<scan.table.chunkCount {
                chunkStarts.append(start)
                start += Int64(scan.table.rows(ofChunk: chunk))
            }
        }
    }

    /// A chunk whose filters keep fewer rows than this is returned together with the next
    /// chunks' kept rows, up to `Batch.capacity` rows: the operators above pay their cost per
    /// batch (arrays, key lookups set up, memos asked) once per about a thousand rows, not once
    /// per chunk (`success = false` keeps about 50 rows of a chunk's 2,048).
    static let joinBelow = Batch.capacity / 2
    /// A chunk's kept rows read ahead that did not fit the batch returned before.
    private var readAhead: Batch?

    func next() throws -> Batch? {
        let first: Batch
        if let ahead = readAhead {
            readAhead = nil
            first = ahead
        } else {
            guard let batch = try nextChunk() else { return nil }
            first = batch
        }
        // A top-N reading chunks best first decides from each batch which chunks to skip.
        guard first.count < PhysicalScan.joinBelow, skipChunk == nil else { return first }
        var parts = [first]
        var total = first.count
        while total < PhysicalScan.joinBelow, let more = try nextChunk() {
            if total + more.count > Batch.capacity {
                readAhead = more
                break
            }
            parts.append(more)
            total += more.count
        }
        return parts.count == 1 ? first : PhysicalScan.joined(parts, count: total)
    }

    /// The rows of `parts`, in order, as one batch (a column left unread in every part stays
    /// a placeholder).
    private static func joined(_ parts: [Batch], count: Int) -> Batch {
        let columns = parts[0].columns.indices.map { k -> Vector in
            let type = parts[0].columns[k].type
            if parts.allSatisfy({ $0.columns[k].isNullStorage }) { return Vector(type: type, storage: .null(count: count)) }
            return Vector.concatenate(parts.map { $0.columns[k] }, type: type)
        }
        return Batch(columns: columns, count: count)
    }

    /// The kept rows of the next chunk that keeps any.
    private func nextChunk() throws -> Batch? {
        let count = chunkOrder?.count ?? chunkCount
        while position < count {
            try context.cancellation.check()
            let index = chunkOrder?[position] ?? position
            position += 1
            var settled: [Bool]?
            var excluded = false
            for pruner in pruners {
                switch pruner.decide(table, chunk: index) {
                case .none: excluded = true
                case .all:
                    if settled == nil { settled = [Bool](repeating: false, count: filter.count) }
                    settled?[pruner.conjunct] = true
                case .some: break
                }
                if excluded { break }
            }
            if excluded { continue }
            if let skipChunk, skipChunk(index) { continue }
            let rows = table.rows(ofChunk: index)
            chunksRead += 1
            // Conjuncts on stored codes first; then the others, on full vectors of the
            // columns they read; then the kept rows of the other columns, taken from the
            // stored chunk for those rows only.
            let tested = codeFilter.isEmpty ? nil
                : codeFilter.apply(table, chunk: index, conjuncts: filter.count, settled: &settled, context)
            if tested?.isEmpty == true { continue }
            let sets = columnSets(settled)
            let open = sets.open
            var selection = tested
            var full: [Vector] = []
            // Conjuncts left to test, also those that read no column (a constant).
            let pending = settled.map { done in done.contains(false) } ?? (filter.count > 0)
            if pending {
                full = try reader.vectors(chunk: index, deferring: sets.openDeferred)
                if rowIDs { full.append(rowIDVector(index, rows: nil, count: rows)) }
                selection = try filter.selection(Batch(columns: full, count: rows), context, skipping: settled,
                                                 candidates: tested)
                if selection?.isEmpty == true { continue }
            }
            if let kept = selection, kept.count == rows { selection = nil }
            var vectors = try reader.vectors(chunk: index, deferring: sets.restDeferred, rows: selection)
            for k in open where k < reader.width && !unused.contains(k) {
                vectors[k] = selection.map { full[k].gather($0) } ?? full[k]
            }
            let count = selection?.count ?? rows
            if rowIDs { vectors.append(rowIDVector(index, rows: selection, count: count)) }
            return Batch(columns: vectors, count: count)
        }
        return nil
    }

    /// The columns a chunk's filters still read (`open`) given the conjuncts already settled
    /// for it, and the columns to leave unread before those filters (`openDeferred`) and
    /// after them (`restDeferred`: all but the kept columns nothing has read yet). Kept for the
    /// last pattern of settled conjuncts, which most chunks share.
    private func columnSets(_ settled: [Bool]?) -> ColumnSets {
        if let sets = lastColumnSets, sets.settled == settled { return sets }
        var open = filter.columns
        if let settled {
            open = []
            for k in 0..<filter.count where !settled[k] { open.formUnion(filter.columnsRead[k]) }
        }
        let all = Set(0..<reader.width)
        let rest = all.subtracting(unused).subtracting(open)
        let sets = ColumnSets(settled: settled, open: open, openDeferred: all.subtracting(open),
                              restDeferred: all.subtracting(rest))
        lastColumnSets = sets
        return sets
    }
}

extension PhysicalScan {
    /// The table positions of rows `rows` of chunk `chunk` (all `count` when nil).
    private func rowIDVector(_ chunk: Int, rows: [Int32]?, count: Int) -> Vector {
        let start = chunkStarts[chunk]
        let ids = rows.map { $0.map { start + Int64($0) } } ?? (0..<Int64(count)).map { start + $0 }
        return Vector(type: .integer, storage: .int64(ids))
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
    /// Which rows of a chunk can pass.
    enum Decision { case none, some, all }

    private let column: Int
    private let test: Test
    /// The position of the filter among the scan's conjuncts.
    let conjunct: Int

    func decide(_ table: Table, chunk: Int) -> Decision {
        guard let zone = table.zoneMaps.zone(table, column: column, chunk: chunk) else { return .some }
        switch (test, zone) {
        case (.isNull, .allNull): return .all
        case (.isNull, .range(_, _, let hasNull)): return hasNull ? .some : .none
        case (.isNotNull, .allNull): return .none
        case (.isNotNull, .range(_, _, let hasNull)): return hasNull ? .some : .all
        case (.compare, .allNull): return .none
        case (.compare(let op, let x), .range(let lo, let hi, let hasNull)):
            let none: Bool, all: Bool
            switch op {
            case .equal: none = x < lo || x > hi; all = lo == x && hi == x
            case .notEqual: none = lo == x && hi == x; all = x < lo || x > hi
            case .less: none = lo >= x; all = hi < x
            case .lessEqual: none = lo > x; all = hi <= x
            case .greater: none = hi <= x; all = lo > x
            case .greaterEqual: none = hi < x; all = lo >= x
            }
            if none { return .none }
            return all && !hasNull ? .all : .some
        }
    }

    static func pruners(_ filters: [BoundExpr], columns: [Int], table: Table, _ context: ExecutionContext) -> [ZonePruner] {
        var out: [ZonePruner] = []
        for (k, c) in SelectionFilter.conjuncts(of: filters).enumerated() {
            switch c.kind {
            case .compare(let op, let a, let b):
                if let column = storedColumn(a, columns, table), let x = constant(b, context) {
                    out.append(ZonePruner(column: column, test: .compare(op, x), conjunct: k))
                } else if let column = storedColumn(b, columns, table), let x = constant(a, context) {
                    out.append(ZonePruner(column: column, test: .compare(op.flipped, x), conjunct: k))
                }
            case .isNull(let x, let negated):
                if let column = storedColumn(x, columns, table) {
                    out.append(ZonePruner(column: column, test: negated ? .isNotNull : .isNull, conjunct: k))
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

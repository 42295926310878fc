// An expression evaluated once per distinct combination of the values it reads, not once
// per row: `coalesce(error, CAST(status AS VARCHAR))` once per (error, status) pair,
// `actor || ' ' || repository NOT IN (…)` once per (actor, repository) pair, a CASE of LIKEs
// once per user agent. The rows' columns (dictionary codes, small integers) are looked up
// in a key table; only the combinations not seen before are evaluated, as a batch of their
// own, and every row then takes its combination's result. A string result is kept in a
// dictionary of the memo's own, so it stays dictionary-encoded downstream (GROUP BY on
// codes, IN tested once per entry).
//
// A memo belongs to one operator instance, hence to one thread: no locks. It gives up (and
// the caller evaluates row by row) when a batch holds a column of flat strings, or when the
// combinations turn out to be nearly as many as the rows.

final class TupleMemo {
    let expr: BoundExpr
    /// The input columns `expr` reads, ascending.
    private let columns: [Int]
    private var table: KeyTable?
    private var results: MemoResults
    private var rowsSeen = 0
    private var disabled = false

    /// At most this many distinct combinations are kept.
    static let maxEntries = 1 << 18

    /// A memo for `expr`, or nil when memoizing cannot pay: `expr` reads no column or more
    /// than four, holds a subquery, a parameter or a function that is not deterministic,
    /// has a result type the memo does not store, or is already evaluated once per
    /// dictionary entry (a bare column, or a comparison / LIKE / IN of a bare column with
    /// constants).
    init?(_ expr: BoundExpr) {
        let columns = ExpressionWalker.columns(of: expr).sorted()
        guard !columns.isEmpty, columns.count <= 4, TupleMemo.deterministic(expr), TupleMemo.costly(expr),
              let results = MemoResults(expr.type) else { return nil }
        self.expr = expr
        self.columns = columns
        self.results = results
    }

    /// `expr` over `batch`, or nil when the memo does not apply to this batch (the caller
    /// then evaluates it directly).
    func evaluate(_ batch: Batch, _ context: ExecutionContext) throws -> Vector? {
        guard !disabled, batch.count > 0 else { return nil }
        var inputs: [Vector] = []
        inputs.reserveCapacity(columns.count)
        for c in columns {
            guard c < batch.columns.count else { return nil }
            let v = batch.columns[c]
            switch v.storage {
            case .string(.flat): return nil
            case .double, .interval: return nil
            default: inputs.append(v)
            }
        }
        if table == nil { table = KeyTable(types: inputs.map(\.type)) }
        guard let table, table.types == inputs.map(\.type) else { return nil }
        let before = table.count
        let ids = table.findOrInsert(inputs, count: batch.count)
        rowsSeen += batch.count
        if table.count > before {
            // The new combinations as a batch of their own, each input column in its place.
            let fresh = table.keyVectors(before..<table.count)
            let n = table.count - before
            var placed = [Vector](repeating: Vector(type: .null, storage: .null(count: n)), count: batch.columns.count)
            for (k, c) in columns.enumerated() { placed[c] = fresh[k] }
            let values = try ExpressionEvaluator.evaluate(expr, Batch(columns: placed, count: n), context)
            results.append(values)
        }
        let out = results.gather(ids, type: expr.type)
        // Combinations nearly as many as rows: the lookups cost more than they save. Over a
        // column of plain numbers or times (not codes), a lookup costs about what a cheap
        // function (date_trunc, time_bucket, arithmetic) does: the memo must save 7 in 8.
        // The verdict comes after 2,048 rows, or after 256 over plain numbers: a filtered
        // scan passes a few hundred rows a chunk, and a morsel of 16 chunks would otherwise
        // pay the lookups to its end.
        let plainNumbers = inputs.contains { if case .int64 = $0.storage { return true } else { return false } }
        let tooMany = plainNumbers ? table.count * 8 > rowsSeen : table.count * 4 > rowsSeen * 3
        if rowsSeen >= (plainNumbers ? 256 : 2_048), tooMany || table.count > TupleMemo.maxEntries {
            disabled = true
            self.table = nil
            results = MemoResults(expr.type) ?? results
        }
        return out
    }

    /// Memos for the expressions of `exprs` that can use one (nil where not).
    static func memos(_ exprs: [BoundExpr]) -> [TupleMemo?] { exprs.map { TupleMemo($0) } }

    /// `exprs` over `batch`: a bare column as it is, the others through their memos
    /// (`memos(exprs)`) where these apply, else row by row.
    static func evaluate(_ exprs: [BoundExpr], _ memos: [TupleMemo?], _ batch: Batch,
                         _ context: ExecutionContext) throws -> [Vector] {
        try exprs.indices.map { k -> Vector in
            let expr = exprs[k]
            if case .column(let index, _) = expr.kind { return batch.columns[index] }
            if k < memos.count, let memo = memos[k], let v = try memo.evaluate(batch, context) { return v }
            return try ExpressionEvaluator.evaluate(expr, batch, context)
        }
    }

    private static func deterministic(_ expr: BoundExpr) -> Bool {
        var ok = true
        ExpressionWalker.forEach(expr) { e in
            switch e.kind {
            case .subquery, .parameter: ok = false
            case .call(let function, _) where !function.foldable: ok = false
            default: break
            }
        }
        return ok
    }

    /// Whether evaluating `expr` per row does more than read codes: a function call, a cast,
    /// a concatenation, CASE or COALESCE, or an operator over something that is not a bare
    /// column and constants.
    private static func costly(_ expr: BoundExpr) -> Bool {
        func simple(_ e: BoundExpr) -> Bool {
            switch e.kind {
            case .column, .constant: return true
            default: return false
            }
        }
        switch expr.kind {
        case .column, .constant, .parameter, .subquery: return false
        case .compare(_, let a, let b), .isDistinctFrom(let a, let b, _): return !(simple(a) && simple(b))
        case .isNull(let x, _), .not(let x): return !simple(x) && costly(x)
        case .inSet(let x, _, _): return !simple(x)
        case .inList(let x, let xs, _): return !(simple(x) && xs.allSatisfy(simple))
        case .like(let x, let p, _, _, let e): return !(simple(x) && simple(p) && (e.map(simple) ?? true))
        case .and(let xs), .or(let xs): return xs.count > 1 || xs.contains(where: costly)
        case .call, .cast, .arithmetic, .negate, .caseWhen, .coalesce: return true
        }
    }
}

/// The results of a memo's combinations, in key order, by storage kind.
private struct MemoResults {
    private enum Store {
        case booleans([Bool])
        case ints([Int64])
        case strings([UInt32], StringDictionary)
    }
    private var store: Store
    private var valid: [Bool] = []
    private var hasNull = false

    init?(_ type: DataType) {
        switch type {
        case .boolean: store = .booleans([])
        case .integer, .date, .timestamp: store = .ints([])
        case .varchar, .json: store = .strings([], StringDictionary())
        default: return nil
        }
    }

    mutating func append(_ v: Vector) {
        let n = v.count
        for i in 0..<n {
            let isValid = !v.isNull(i)
            valid.append(isValid)
            if !isValid { hasNull = true }
        }
        switch (store, v.storage) {
        case (.booleans(var a), .boolean(let b)):
            store = .booleans([])
            a.append(contentsOf: b)
            store = .booleans(a)
        case (.ints(var a), .int64(let b)):
            store = .ints([])
            a.append(contentsOf: b)
            store = .ints(a)
        case (.strings(var codes, let dictionary), .string(let s)):
            store = .booleans([])
            for i in 0..<n { codes.append(s.withBytes(i) { dictionary.code(for: $0) }) }
            store = .strings(codes, dictionary)
        case (.booleans(var a), _):
            store = .booleans([])
            a.append(contentsOf: repeatElement(false, count: n))
            store = .booleans(a)
        case (.ints(var a), _):
            store = .ints([])
            a.append(contentsOf: repeatElement(0, count: n))
            store = .ints(a)
        case (.strings(var codes, let dictionary), _):
            store = .booleans([])
            // Only NULLs (a `.null` vector): any code stands for them.
            let empty = [UInt8]().withUnsafeBytes { dictionary.code(for: $0) }
            codes.append(contentsOf: repeatElement(empty, count: n))
            store = .strings(codes, dictionary)
        }
    }

    /// The results of keys `ids`, one a row.
    func gather(_ ids: [Int32], type: DataType) -> Vector {
        let n = ids.count
        var validity: Validity?
        if hasNull {
            var out = Validity(allValid: n)
            valid.withUnsafeBufferPointer { v in
                for i in 0..<n where !v[Int(ids[i])] { out.set(i, valid: false) }
            }
            validity = out
        }
        switch store {
        case .booleans(let a):
            let out = a.withUnsafeBufferPointer { p in ids.map { p[Int($0)] } }
            return Vector(type: type, storage: .boolean(out), validity: validity)
        case .ints(let a):
            let out = a.withUnsafeBufferPointer { p in ids.map { p[Int($0)] } }
            return Vector(type: type, storage: .int64(out), validity: validity)
        case .strings(let codes, let dictionary):
            let out = codes.withUnsafeBufferPointer { p in ids.map { p[Int($0)] } }
            return Vector(type: type, storage: .string(.dictionary(codes: out, dictionary: dictionary)), validity: validity)
        }
    }
}

// Applying a conjunction of predicates to batches, as scans and filters do.

/// A conjunction of predicates applied to batches: each conjunct sees only the rows the
/// ones before it kept, as a selection vector of candidates (no column is copied, except the
/// ones a memoized conjunct reads).
struct SelectionFilter {
    /// The conjuncts, nested ANDs flattened, in order.
    let conjuncts: [BoundExpr]
    /// The columns each conjunct reads.
    let columnsRead: [Set<Int>]
    /// Conjuncts evaluated once per distinct combination of the columns they read.
    private let memos: [TupleMemo?]

    init(_ conjuncts: [BoundExpr]) {
        self.conjuncts = SelectionFilter.conjuncts(of: conjuncts)
        self.columnsRead = self.conjuncts.map(ExpressionWalker.columns(of:))
        self.memos = TupleMemo.memos(self.conjuncts)
    }

    /// The conjuncts of `filters`, nested ANDs flattened, in order.
    static func conjuncts(of filters: [BoundExpr]) -> [BoundExpr] {
        var flat: [BoundExpr] = []
        func flatten(_ e: BoundExpr) {
            if case .and(let parts) = e.kind { parts.forEach(flatten) } else { flat.append(e) }
        }
        filters.forEach(flatten)
        return flat
    }

    var count: Int { conjuncts.count }

    /// The rows of `batch` that pass every conjunct, or nil when none does. Conjuncts
    /// marked in `skipping` are known to hold for every row and are not evaluated.
    func apply(_ batch: Batch, _ context: ExecutionContext, skipping: [Bool]? = nil) throws -> Batch? {
        guard let rows = try selection(batch, context, skipping: skipping) else { return batch }
        if rows.isEmpty { return nil }
        return rows.count == batch.count ? batch : batch.gather(rows)
    }

    /// The positions of the rows of `batch` that pass every conjunct: nil when all do, empty
    /// when none does. Only the columns the conjuncts read are looked at. With `candidates`
    /// (ascending), only those rows are tested (the others have failed already).
    func selection(_ batch: Batch, _ context: ExecutionContext, skipping: [Bool]? = nil,
                   candidates: [Int32]? = nil) throws -> [Int32]? {
        guard batch.count > 0, candidates?.isEmpty != true else { return [] }
        var selection: [Int32]? = candidates
        for (i, conjunct) in conjuncts.enumerated() {
            if let skipping, skipping[i] { continue }
            if let memo = memos[i] {
                let input = selection.map { ExpressionWalker.narrowed(batch, keeping: columnsRead[i], gather: $0) } ?? batch
                if let v = try memo.evaluate(input, context) {
                    let selected = try ExpressionEvaluator.trueRows(v)
                    if selected.isEmpty { return [] }
                    selection = selection.map { previous in selected.map { previous[Int($0)] } } ?? selected
                    continue
                }
            }
            // The candidates are passed down, not gathered: comparisons with constants,
            // IS NULL and dictionary tests look at those rows in place.
            let selected = try ExpressionEvaluator.select(conjunct, batch, candidates: selection, context)
            if selected.isEmpty { return [] }
            selection = selected
        }
        guard let rows = selection, rows.count < batch.count else { return nil }
        return rows
    }

    /// The columns the conjuncts read.
    var columns: Set<Int> { columnsRead.reduce(into: Set<Int>()) { $0.formUnion($1) } }
}

// Applying a conjunction of predicates to batches, as scans and filters do.

/// A conjunction of predicates applied to batches: each conjunct sees only the rows the
/// ones before it kept, and only the columns it reads are copied between conjuncts.
struct SelectionFilter {
    private let conjuncts: [BoundExpr]
    private let columnsRead: [Set<Int>]

    init(_ conjuncts: [BoundExpr]) {
        var flat: [BoundExpr] = []
        for c in conjuncts {
            if case .and(let parts) = c.kind { flat.append(contentsOf: parts) } else { flat.append(c) }
        }
        self.conjuncts = flat
        self.columnsRead = flat.map(ExpressionWalker.columns(of:))
    }

    var isEmpty: Bool { conjuncts.isEmpty }

    /// The rows of `batch` that pass every conjunct, or nil when none does.
    func apply(_ batch: Batch, _ context: ExecutionContext) throws -> Batch? {
        guard batch.count > 0 else { return nil }
        if conjuncts.isEmpty { return batch }
        var selection: [Int32]?
        for (i, conjunct) in conjuncts.enumerated() {
            let input = selection.map { ExpressionWalker.narrowed(batch, keeping: columnsRead[i], gather: $0) } ?? batch
            let selected = try ExpressionEvaluator.select(conjunct, input, context)
            if let previous = selection {
                selection = selected.map { previous[Int($0)] }
            } else {
                selection = selected
            }
            if selected.isEmpty { return nil }
        }
        guard let rows = selection else { return batch }
        return rows.count == batch.count ? batch : batch.gather(rows)
    }
}

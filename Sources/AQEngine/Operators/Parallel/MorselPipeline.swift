// A pipeline that can run in pieces: a table scan with the filters and projections above it,
// up to the next breaker. A morsel is a run of the table's chunks; each morsel gets its own
// operators, so worker threads share nothing but the read-only table.

/// Scan → filter / project chain cut into morsels. Morsel boundaries depend only on the
/// table's size, never on the thread count, so per-morsel partial results (sums of doubles
/// included) are the same whatever the number of threads.
struct MorselPipeline {
    /// The chain: `.scan`, or `.filter` / `.project` over a chain.
    let plan: LogicalPlan
    /// Each morsel's chunks of the scanned table.
    let morsels: [Range<Int>]
    let types: [DataType]

    /// At most this many morsels per table: enough to keep many threads busy and balanced,
    /// few enough that per-morsel partial results stay small.
    static let maxMorsels = 32

    /// The pipeline of `plan`, if it is a chain over a table of two or more chunks whose
    /// expressions hold no subquery (a correlated subquery keeps per-run state).
    init?(_ plan: LogicalPlan) {
        guard let scan = MorselPipeline.scan(of: plan) else { return nil }
        let chunks = scan.table.chunkCount
        guard chunks >= 2 else { return nil }
        let per = (chunks + MorselPipeline.maxMorsels - 1) / MorselPipeline.maxMorsels
        self.plan = plan
        self.morsels = stride(from: 0, to: chunks, by: per).map { $0..<Swift.min($0 + per, chunks) }
        self.types = plan.schema.map(\.type)
    }

    /// The scan at the bottom of a chain, or nil when `plan` is not one.
    static func scan(of plan: LogicalPlan) -> LogicalScan? {
        switch plan {
        case .scan(let scan):
            return scan.filters.contains(where: ExpressionWalker.containsSubquery) ? nil : scan
        case .filter(let input, let predicate):
            return ExpressionWalker.containsSubquery(predicate) ? nil : scan(of: input)
        case .project(let input, let expressions, _):
            return expressions.contains(where: ExpressionWalker.containsSubquery) ? nil : scan(of: input)
        default:
            return nil
        }
    }

    /// Fresh operators that run the chain over morsel `morsel` only.
    func operators(_ morsel: Int, _ context: ExecutionContext) -> PhysicalOperator {
        build(plan, chunks: morsels[morsel], context)
    }

    private func build(_ plan: LogicalPlan, chunks: Range<Int>, _ context: ExecutionContext) -> PhysicalOperator {
        switch plan {
        case .filter(let input, let predicate):
            return PhysicalFilter(build(input, chunks: chunks, context), predicate: predicate, context)
        case .project(let input, let expressions, _):
            return PhysicalProjection(build(input, chunks: chunks, context), expressions: expressions, context)
        case .scan(let scan):
            let op = PhysicalScan(scan, context)
            op.chunkOrder = Array(chunks)
            return op
        default:
            // `init` accepts chains only.
            return PhysicalEmpty(types: plan.schema.map(\.type))
        }
    }

    /// How many results may wait unread for `threads` workers.
    static func window(_ threads: Int) -> Int { Swift.max(4, 2 * threads) }
}

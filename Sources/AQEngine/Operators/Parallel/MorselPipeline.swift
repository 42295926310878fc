// A pipeline that can run in pieces: a table scan with the filters, projections and hash-join
// probes above it, up to the next breaker. A morsel is a run of the table's chunks; each
// morsel gets its own operators, so worker threads share nothing but the read-only table and
// the hash tables the joins built once (each probe looks keys up with its own scratch).

/// Scan → filter / project / join probe chain cut into morsels. Morsel boundaries depend only on the
/// table's size, never on the thread count, so per-morsel partial results (sums of doubles
/// included) are the same whatever the number of threads.
struct MorselPipeline {
    /// The chain: `.scan`, or `.filter` / `.project` over a chain.
    let plan: LogicalPlan
    /// Each morsel's chunks of the scanned table.
    let morsels: [Range<Int>]
    let types: [DataType]
    /// The builds of the chain's joins, top down; every morsel's probes share them.
    private let builds: [HashJoinBuild]
    /// The scan's output columns that only its filters read: left out of its batches.
    private let unusedScanColumns: Set<Int>

    /// At most this many morsels per table: enough to keep many threads busy and balanced,
    /// few enough that per-morsel partial results stay small.
    static let maxMorsels = 32
    /// At least this many chunks per morsel: below it, starting threads and merging
    /// partial results costs more than the work they share (a 100,000-row table makes 7
    /// morsels, not 32).
    static let minChunksPerMorsel = 8
    /// A table is cut into about this many morsels while they stay under `fullMorselChunks`
    /// chunks: each morsel makes its operators, memos and key tables anew (about 50 to 100
    /// µs of work in the benchmark's queries), which morsels of 16 chunks did not repay.
    static let fewMorsels = 8
    /// Chunks of a full-sized morsel (131,072 rows, about DuckDB's row group of 122,880);
    /// larger tables get more morsels of this size, up to `maxMorsels`.
    static let fullMorselChunks = 64

    /// Chunks per morsel for a table of `chunks` chunks: a function of its size only.
    static func chunksPerMorsel(_ chunks: Int) -> Int {
        let few = Swift.min(fullMorselChunks, Swift.max(minChunksPerMorsel, (chunks + fewMorsels - 1) / fewMorsels))
        return Swift.max(few, (chunks + maxMorsels - 1) / maxMorsels)
    }

    /// The pipeline of `plan`, if it is a chain over a table of two morsels or more whose
    /// expressions hold no subquery (a correlated subquery keeps per-run state). `buildSide`
    /// makes the operator of a join's build (right) input. `used`: the output columns the
    /// consumer reads (nil: all); a scan column read by nothing above the scan but its
    /// filters is then not gathered.
    init?(_ plan: LogicalPlan, _ context: ExecutionContext, used: Set<Int>? = nil,
          buildSide: (LogicalPlan) throws -> PhysicalOperator) rethrows {
        guard let scan = MorselPipeline.scan(of: plan) else { return nil }
        let chunks = scan.table.chunkCount
        let per = MorselPipeline.chunksPerMorsel(chunks)
        guard chunks > per else { return nil }
        self.plan = plan
        self.morsels = stride(from: 0, to: chunks, by: per).map { $0..<Swift.min($0 + per, chunks) }
        self.types = plan.schema.map(\.type)
        var builds: [HashJoinBuild] = []
        var node = plan
        while true {
            switch node {
            case .filter(let input, _), .project(let input, _, _):
                node = input
                continue
            case .join(let left, let right, let kind, let condition):
                guard let split = MorselPipeline.probe(left, right, kind, condition) else { return nil }
                builds.append(HashJoinBuild(right: try buildSide(right), condition: split, keysOnly: kind.keepsLeftOnly, context))
                node = left
                continue
            default:
                break
            }
            break
        }
        self.builds = builds
        self.unusedScanColumns = used.map { MorselPipeline.unusedScanColumns(plan, used: $0) } ?? []
    }

    /// The scan's output columns that no node of the chain above it reads, given the chain's
    /// output columns `used` by its consumer.
    static func unusedScanColumns(_ plan: LogicalPlan, used: Set<Int>) -> Set<Int> {
        switch plan {
        case .scan(let scan):
            return Set(0..<scan.width).subtracting(used)
        case .filter(let input, let predicate):
            return unusedScanColumns(input, used: used.union(ExpressionWalker.columns(of: predicate)))
        case .project(let input, let expressions, _):
            var below = Set<Int>()
            for i in used where i < expressions.count { below.formUnion(ExpressionWalker.columns(of: expressions[i])) }
            return unusedScanColumns(input, used: below)
        case .join(let left, _, _, let condition):
            let width = left.columnCount
            var below = used.filter { $0 < width }
            if let condition { below.formUnion(ExpressionWalker.columns(of: condition).filter { $0 < width }) }
            return unusedScanColumns(left, used: below)
        default:
            return []
        }
    }

    /// The scan at the bottom of a chain, or nil when `plan` is not one.
    static func scan(of plan: LogicalPlan) -> LogicalScan? {
        switch plan {
        case .scan(let scan):
            return scan.filters.allSatisfy(ExpressionWalker.runsOnWorkers) ? scan : nil
        case .filter(let input, let predicate):
            return ExpressionWalker.runsOnWorkers(predicate) ? scan(of: input) : nil
        case .project(let input, let expressions, _):
            return expressions.allSatisfy(ExpressionWalker.runsOnWorkers) ? scan(of: input) : nil
        case .join(let left, let right, let kind, let condition):
            return probe(left, right, kind, condition) == nil ? nil : scan(of: left)
        default:
            return nil
        }
    }

    /// The keys of a join whose left input can be probed morsel by morsel against one build
    /// of its right input: an INNER (built on the right), LEFT, semi or anti equi-join whose
    /// condition holds no subquery. A FULL JOIN keeps its matches per build; it stays serial.
    static func probe(_ left: LogicalPlan, _ right: LogicalPlan, _ kind: JoinType, _ condition: BoundExpr?) -> JoinCondition? {
        guard kind == .inner || kind == .left || kind.keepsLeftOnly, let condition, ExpressionWalker.runsOnWorkers(condition) else { return nil }
        if kind == .inner, PhysicalPlanner.buildsOnLeft(left, right) { return nil }
        let split = JoinCondition(condition, leftWidth: left.columnCount)
        return split.leftKeys.isEmpty ? nil : split
    }

    /// Builds the chain's join tables now, on the calling thread (whose build inputs may run
    /// on the workers), before any morsel starts: a morsel would otherwise build them while
    /// the other workers wait, with more threads than cores busy.
    func buildJoins() throws {
        for build in builds { try build.ensureBuilt() }
    }

    /// Whether the chain probes joins (whose tables `buildJoins` builds).
    var hasJoins: Bool { !builds.isEmpty }

    /// Fresh operators that run the chain over morsel `morsel` only.
    func operators(_ morsel: Int, _ context: ExecutionContext) -> PhysicalOperator {
        build(plan, chunks: morsels[morsel], join: 0, context)
    }

    private func build(_ plan: LogicalPlan, chunks: Range<Int>, join: Int, _ context: ExecutionContext,
                       unmatchedOnly: Bool = false) -> PhysicalOperator {
        switch plan {
        case .filter(let input, let predicate):
            let below = build(input, chunks: chunks, join: join, context,
                              unmatchedOnly: MorselPipeline.keepsUnmatchedOnly(predicate, input))
            return PhysicalFilter(below, predicate: predicate, context)
        case .project(let input, let expressions, _):
            return PhysicalProjection(build(input, chunks: chunks, join: join, context), expressions: expressions, context)
        case .join(let left, let right, let kind, let condition):
            guard join < builds.count, let split = MorselPipeline.probe(left, right, kind, condition) else {
                return PhysicalEmpty(types: plan.schema.map(\.type))
            }
            return PhysicalHashJoin(left: build(left, chunks: chunks, join: join + 1, context), build: builds[join],
                                    rightTypes: right.schema.map(\.type), kind: kind, condition: split,
                                    unmatchedOnly: unmatchedOnly, context)
        case .scan(let scan):
            let op = PhysicalScan(scan, context, unused: unusedScanColumns)
            op.chunkOrder = Array(chunks)
            return op
        default:
            // `init` accepts chains only.
            return PhysicalEmpty(types: plan.schema.map(\.type))
        }
    }

    /// Whether `predicate` over the LEFT JOIN `input` passes only rows without a match: one
    /// of its conjuncts is `c IS NULL` for a right column `c` that is itself a key (a match
    /// has an equal, so non-NULL, key there).
    static func keepsUnmatchedOnly(_ predicate: BoundExpr, _ input: LogicalPlan) -> Bool {
        guard case .join(let left, _, .left, let condition) = input else { return false }
        let width = left.columnCount
        let split = JoinCondition(condition, leftWidth: width)
        guard split.residual == nil else { return false }
        let keyColumns = Set(split.rightKeys.compactMap { key -> Int? in
            if case .column(let index, _) = key.kind { return index + width }
            return nil
        })
        return SelectionFilter.conjuncts(of: [predicate]).contains { conjunct in
            if case .isNull(let operand, false) = conjunct.kind, case .column(let index, _) = operand.kind {
                return keyColumns.contains(index)
            }
            return false
        }
    }

    /// How many results may wait unread for `threads` workers.
    static func window(_ threads: Int) -> Int { Swift.max(4, 2 * threads) }
}

// The batches of a pipeline's morsels, each morsel run by some worker thread, returned in
// morsel order: for a bare scan / filter / projection chain exactly the batches a serial run
// returns; below a breaker, each morsel's partial result (partial aggregates, top-N rows).

final class PhysicalMorsels: PhysicalOperator, DescribesRun {
    let types: [DataType]
    private let runner: MorselRunner<[Batch]>
    private var pending: [Batch] = []
    private var pendingPosition = 0
    /// The pipeline's join tables, built before the first morsel starts.
    private var buildJoins: (() throws -> Void)?
    private let hasJoins: Bool
    private var buildTime: Int64 = 0
    private var done = false

    /// How the morsels ran (see `MorselRunStats`), once they all have.
    var howItRan: String? {
        guard done else { return nil }
        let builds = hasJoins ? "join tables built in " + ProfileNode.format(Double(buildTime) / 1e6) + " ms, then " : ""
        return builds + runner.summary
    }

    /// Runs `work(morsel)` for each of `pipeline`'s morsels; `types` are the batches' types.
    /// `partial`: each morsel's result is a breaker's partial result (small, and all of it
    /// is read), so workers never wait for the reader to take results; otherwise a bare
    /// chain's batches, at most `MorselPipeline.window` of them unread.
    init(_ pipeline: MorselPipeline, types: [DataType], partial: Bool, _ context: ExecutionContext,
         work: @escaping (Int) throws -> [Batch]) {
        self.types = types
        self.buildJoins = pipeline.buildJoins
        self.hasJoins = pipeline.hasJoins
        let count = pipeline.morsels.count
        // A morsel's work makes its own operators over the read-only table and join tables:
        // running it twice gives the same result and changes nothing.
        self.runner = MorselRunner(count: count, threads: context.threads,
                                   window: partial ? count : MorselPipeline.window(context.threads),
                                   rerunsLate: true, work: work)
    }

    /// The chain itself, run morsel by morsel.
    convenience init(_ pipeline: MorselPipeline, _ context: ExecutionContext) {
        self.init(pipeline, types: pipeline.types, partial: false, context) { morsel in
            try pipeline.operators(morsel, context).drain()
        }
    }

    func next() throws -> Batch? {
        if let buildJoins {
            self.buildJoins = nil
            let start = ProfiledOperator.now()
            try buildJoins()
            buildTime = ProfiledOperator.now() - start
        }
        while pendingPosition == pending.count {
            guard let batches = try runner.next() else {
                done = true
                return nil
            }
            pending = batches
            pendingPosition = 0
        }
        pendingPosition += 1
        return pending[pendingPosition - 1]
    }
}

/// An operator fed by morsels (a final aggregate, top-N or DISTINCT over their partial
/// results): in EXPLAIN ANALYZE it says how they ran. Made only when the plan is profiled.
final class MorselsConsumer: PhysicalOperator, DescribesRun {
    private let consumer: PhysicalOperator
    private let morsels: PhysicalMorsels

    init(_ consumer: PhysicalOperator, of morsels: PhysicalMorsels) {
        self.consumer = consumer
        self.morsels = morsels
    }

    var types: [DataType] { consumer.types }
    var howItRan: String? { morsels.howItRan }
    func next() throws -> Batch? { try consumer.next() }
}

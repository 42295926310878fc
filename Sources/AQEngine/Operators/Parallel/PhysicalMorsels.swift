// The batches of a pipeline's morsels, each morsel run by some worker thread, returned in
// morsel order: for a bare scan / filter / projection chain exactly the batches a serial run
// returns; below a breaker, each morsel's partial result (partial aggregates, top-N rows).

final class PhysicalMorsels: PhysicalOperator {
    let types: [DataType]
    private let runner: MorselRunner<[Batch]>
    private var pending: [Batch] = []
    private var pendingPosition = 0
    /// The pipeline's join tables, built before the first morsel starts.
    private var buildJoins: (() throws -> Void)?

    /// Runs `work(morsel)` for each of `pipeline`'s morsels; `types` are the batches' types.
    init(_ pipeline: MorselPipeline, types: [DataType], _ context: ExecutionContext,
         work: @escaping (Int) throws -> [Batch]) {
        self.types = types
        self.buildJoins = pipeline.buildJoins
        self.runner = MorselRunner(count: pipeline.morsels.count, threads: context.threads,
                                   window: MorselPipeline.window(context.threads), work: work)
    }

    /// The chain itself, run morsel by morsel.
    convenience init(_ pipeline: MorselPipeline, _ context: ExecutionContext) {
        self.init(pipeline, types: pipeline.types, context) { morsel in
            try pipeline.operators(morsel, context).drain()
        }
    }

    func next() throws -> Batch? {
        if let buildJoins {
            self.buildJoins = nil
            try buildJoins()
        }
        while pendingPosition == pending.count {
            guard let batches = try runner.next() else { return nil }
            pending = batches
            pendingPosition = 0
        }
        pendingPosition += 1
        return pending[pendingPosition - 1]
    }
}

// The window operator's input, read once: its batches, the expressions the functions read
// evaluated batch by batch, and each partitioning's partition of every row. A pipeline's
// morsels are read on the workers, each part with key tables of its own; the parts' keys
// are then merged in part order, so partition ids follow first appearance in input order
// (as in one serial pass) whatever the thread count.

struct WindowInput {
    /// The rows one worker read (or the whole input, read on one thread).
    struct Part {
        var batches: [Batch] = []
        /// Per batch: the evaluated expressions, one column each.
        var values: [Batch] = []
        /// Per partitioning, per batch: each row's partition id (local to the part until
        /// `merge`); all 0 for a partitioning without keys.
        var ids: [[[Int32]]]
        /// Per partitioning: the part's distinct keys (nil without keys).
        var keys: [KeyTable?]
        var count = 0
        /// By function: the part's result per local partition of a whole-partition
        /// aggregate folded as the part was read (`WindowPartitionAggregate.Partial`).
        var partials: [Int: Vector] = [:]
    }

    /// Where a PARTITION BY reads its keys: slots into the evaluated expressions.
    struct Partitioning {
        var slots: [Int]
        var types: [DataType]
    }

    var parts: [Part]
    /// Per partitioning: how many partitions (after `merge`).
    var partitionCounts: [Int]
    var count: Int { parts.reduce(0) { $0 + $1.count } }

    /// Reads all of `input`, evaluating `expressions` on each batch, finding each row's
    /// partition of every partitioning and folding the `partials`.
    static func read(_ input: PhysicalOperator, expressions: [BoundExpr], partitionings: [Partitioning],
                     partials: [WindowPartitionAggregate.Partial], _ context: ExecutionContext) throws -> Part {
        var part = Part(ids: partitionings.map { _ in [] },
                        keys: partitionings.map { $0.slots.isEmpty ? nil : KeyTable(types: $0.types) })
        let fold = partials.isEmpty ? nil : try WindowPartitionAggregate.PartFold(partials)
        var counts = [Int](repeating: 1, count: partitionings.count)
        while let batch = try input.next() {
            try context.cancellation.check()
            guard batch.count > 0 else { continue }
            let evaluated = try expressions.map { try ExpressionEvaluator.evaluate($0, batch, context) }
            part.batches.append(batch)
            part.values.append(Batch(columns: evaluated, count: batch.count))
            part.count += batch.count
            for (s, p) in partitionings.enumerated() {
                if let keys = part.keys[s] {
                    part.ids[s].append(keys.findOrInsert(p.slots.map { evaluated[$0] }, count: batch.count))
                } else {
                    part.ids[s].append([Int32](repeating: 0, count: batch.count))
                }
            }
            if let fold {
                for s in partitionings.indices { counts[s] = part.keys[s]?.count ?? 1 }
                try fold.add(part.values[part.values.count - 1], ids: part.ids.map { $0[$0.count - 1] }, counts: counts)
            }
        }
        if let fold {
            for s in partitionings.indices { counts[s] = part.keys[s]?.count ?? 1 }
            part.partials = try fold.finish(counts: counts)
        }
        return part
    }

    /// The parts read in order, their partition ids made global: each part's keys are found
    /// or added, in the part's order of first appearance, per partitioning.
    /// Only the keys are merged; a row's global id is read through its part's map.
    init(parts: [Part], partitionings: [Partitioning]) {
        var counts: [Int] = []
        var maps: [[[Int32]?]] = []
        for s in partitionings.indices {
            maps.append([[Int32]?](repeating: nil, count: parts.count))
            guard !partitionings[s].slots.isEmpty else {
                counts.append(1)
                continue
            }
            if parts.count == 1 {
                counts.append(parts[0].keys[s]?.count ?? 0)
                continue
            }
            // Found or added in part order, so that global ids follow first appearance.
            let global = KeyTable(types: partitionings[s].types)
            maps[s] = parts.map { part -> [Int32]? in
                guard let keys = part.keys[s], keys.count > 0 else { return nil }
                return global.findOrInsert(keys.keyVectors(0..<keys.count), count: keys.count)
            }
            counts.append(global.count)
        }
        self.parts = parts
        self.partitionCounts = counts
        self.maps = maps
    }

    /// Per partitioning, per part: the global id of each local partition id (nil: the same).
    let maps: [[[Int32]?]]

    /// The global partition ids of batch `b` of part `k` in partitioning `s`.
    func ids(_ s: Int, part k: Int, batch b: Int) -> [Int32] {
        let local = parts[k].ids[s][b]
        guard let map = maps[s][k] else { return local }
        return map.withUnsafeBufferPointer { m in local.map { m[Int($0)] } }
    }

    /// `perPartition` (one value per global partition of partitioning `s`) indexed by part
    /// `k`'s local partition ids.
    func local(_ perPartition: Vector, _ s: Int, part k: Int) -> Vector {
        guard let map = maps[s][k] else { return perPartition }
        return perPartition.gather(map)
    }

    /// Every row's partition id of partitioning `s`, in input order.
    func allIds(_ s: Int) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(count)
        for k in parts.indices { for b in parts[k].ids[s].indices { out += ids(s, part: k, batch: b) } }
        return out
    }

    /// Every batch's evaluated columns, in input order.
    var values: [Batch] { parts.flatMap(\.values) }
}

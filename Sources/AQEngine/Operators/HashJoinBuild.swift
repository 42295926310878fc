// The build side of a hash join: the right input's rows and a key table of their join keys,
// with each key's rows chained in input order. Built once, by the first probe that needs it,
// then only read, so probes on several threads can share it (each with its own
// `KeyTable.Prober`). A semi or anti join keeps the keys only: no rows, no chains.

final class HashJoinBuild: @unchecked Sendable {
    private let right: PhysicalOperator
    private let condition: JoinCondition
    private let context: ExecutionContext
    private let lock = PlainMutex()
    private var outcome: Result<Void, Error>?

    let table: KeyTable
    private(set) var rightColumns: [Vector] = []
    /// First right row of each key, and the next row with the same key (-1 ends a chain).
    private(set) var head: [Int32] = []
    private(set) var chain: [Int32] = []
    private(set) var rowCount = 0
    /// Whether some right row has a NULL key (which no key equals: `NOT IN` then keeps nothing).
    private(set) var hasNullKey = false
    /// Keys only (semi and anti joins): `rightColumns` and `chain` stay empty.
    private let keysOnly: Bool

    init(right: PhysicalOperator, condition: JoinCondition, keysOnly: Bool = false, _ context: ExecutionContext) {
        self.right = right
        self.condition = condition
        self.keysOnly = keysOnly
        self.context = context
        self.table = KeyTable(types: condition.leftKeys.map(\.type))
    }

    /// Builds the table the first time; later calls wait for it, and rethrow its error.
    func ensureBuilt() throws {
        try lock.locked {
            if outcome == nil { outcome = Result { try build() } }
            try outcome?.get()
        }
    }

    private func build() throws {
        // Keys go into the table batch by batch: a build input made on several threads comes
        // in batches coded in several dictionaries (one per morsel), which one combined key
        // column would turn into flat strings and hash again.
        var data = BatchCollection(types: right.types)
        var ids: [Int32] = []
        while let batch = try right.next() {
            try context.cancellation.check()
            let keys = try condition.rightKeys.map { try ExpressionEvaluator.evaluate($0, batch, context) }
            let found = table.findOrInsert(keys, count: batch.count, skippingNulls: true)
            if keysOnly {
                // Only whether each key is there, and whether some key is NULL.
                if head.count < table.count { head.append(contentsOf: repeatElement(-1, count: table.count - head.count)) }
                for (row, id) in found.enumerated() {
                    if id < 0 { hasNullKey = true } else if head[Int(id)] < 0 { head[Int(id)] = Int32(rowCount + row) }
                }
            } else {
                ids.append(contentsOf: found)
                data.append(batch)
            }
            rowCount += batch.count
        }
        if keysOnly { return }
        let n = rowCount
        head = [Int32](repeating: -1, count: table.count)
        rightColumns = data.combined().map { data.count <= 1 << 16 ? $0.dictionaryEncoded() : $0 }
        chain = [Int32](repeating: -1, count: n)
        // Linked in reverse so that each chain lists its rows in input order.
        for row in stride(from: n - 1, through: 0, by: -1) where ids[row] >= 0 {
            let key = Int(ids[row])
            chain[row] = head[key]
            head[key] = Int32(row)
        }
    }
}

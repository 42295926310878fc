// Evaluates one window function over a specification's sorted partitions: ranking
// functions from positions and peer groups, lag/lead and the frame's first, last and n-th
// values as the input row they pick, aggregates in WindowAggregate. Results are in input
// row order.

struct WindowEvaluator {
    let function: BoundWindowFunction
    let partitions: WindowPartitions
    let inputs: WindowInputs
    let vectors: [Vector]
    let context: ExecutionContext

    init(function: BoundWindowFunction, partitions: WindowPartitions, inputs: WindowInputs, vectors: [Vector],
         context: ExecutionContext) {
        self.function = function
        self.partitions = partitions
        self.inputs = inputs
        self.vectors = vectors
        self.context = context
    }

    var arguments: [Vector] { inputs.arguments.map { vectors[$0] } }

    func evaluate() throws -> Vector {
        switch function.kind {
        case .rowNumber, .rank, .denseRank, .ntile: return try ranking()
        case .percentRank, .cumeDist: return distribution()
        case .lag, .lead: return shifted()
        case .firstValue, .lastValue, .nthValue: return try frameValue()
        case .aggregate(let f): return try WindowAggregate(self, f).evaluate()
        }
    }

    func frames() throws -> WindowFrames {
        try WindowFrames(function.frame, partitions, key: inputs.order.map { vectors[$0] },
                         descending: function.orderBy.first?.descending ?? false)
    }

    private func ranking() throws -> Vector {
        let parts = partitions
        let n = parts.count
        var out = [Int64](repeating: 0, count: n)
        var validity: Validity?
        let buckets = function.kind == .ntile ? arguments[0] : nil
        for p in 0..<parts.partitionCount {
            let ps = parts.starts[p], pe = parts.starts[p + 1]
            var dense: Int64 = 0
            for i in ps..<pe {
                let row = Int(parts.rows[i])
                let value: Int64
                switch function.kind {
                case .rowNumber: value = Int64(i - ps + 1)
                case .rank: value = Int64(Int(parts.peerStart[i]) - ps + 1)
                case .denseRank:
                    if Int(parts.peerStart[i]) == i { dense += 1 }
                    value = dense
                default:
                    guard let buckets, !buckets.isNull(row), case .int64(let b) = buckets.storage else {
                        if validity == nil { validity = Validity(allValid: n) }
                        validity?.set(row, valid: false)
                        continue
                    }
                    guard b[row] > 0 else {
                        throw ExecutionError.invalidArgument(function: "ntile", message: "the number of buckets must be greater than zero",
                                                             range: function.range)
                    }
                    value = WindowEvaluator.ntile(Int64(i - ps), size: Int64(pe - ps), buckets: b[row])
                }
                out[row] = value
            }
        }
        return Vector(type: .integer, storage: .int64(out), validity: validity)
    }

    /// DuckDB's ntile: the first `size % buckets` buckets hold one row more.
    static func ntile(_ index: Int64, size: Int64, buckets: Int64) -> Int64 {
        let b = Swift.min(buckets, size)
        let small = size / b
        let large = size - b * small
        let inLarge = large * (small + 1)
        if index < inLarge { return 1 + index / (small + 1) }
        return 1 + large + (index - inLarge) / small
    }

    private func distribution() -> Vector {
        let parts = partitions
        var out = [Double](repeating: 0, count: parts.count)
        for p in 0..<parts.partitionCount {
            let ps = parts.starts[p], pe = parts.starts[p + 1]
            let size = Double(pe - ps)
            for i in ps..<pe {
                let row = Int(parts.rows[i])
                if function.kind == .percentRank {
                    out[row] = pe - ps > 1 ? Double(Int(parts.peerStart[i]) - ps) / (size - 1) : 0
                } else {
                    out[row] = Double(Int(parts.peerEnd[i]) - ps) / size
                }
            }
        }
        return Vector(type: .double, storage: .double(out))
    }

    /// Non-NULL positions of the first argument, for IGNORE NULLS: `before[p]` counts those
    /// before position p, `positions` lists them.
    func nonNullPositions(_ v: Vector) -> (before: [Int32], positions: [Int32]) {
        let n = partitions.count
        var before = [Int32](repeating: 0, count: n + 1)
        var positions: [Int32] = []
        positions.reserveCapacity(n)
        for i in 0..<n {
            let valid = !v.isNull(Int(partitions.rows[i]))
            before[i + 1] = before[i] + (valid ? 1 : 0)
            if valid { positions.append(Int32(i)) }
        }
        return (before, positions)
    }

    /// lag and lead: the row `offset` before or after within the partition, else the default.
    private func shifted() -> Vector {
        let parts = partitions
        let n = parts.count
        let args = arguments
        let value = args[0], offsets = args[1]
        let hasDefault = args.count > 2
        var source = [Int32](repeating: -1, count: n)
        let skip = function.ignoreNulls ? nonNullPositions(value) : nil
        guard case .int64(let offs) = offsets.storage else { return Vector.nulls(type: function.type, count: n) }
        for p in 0..<parts.partitionCount {
            let ps = parts.starts[p], pe = parts.starts[p + 1]
            for i in ps..<pe {
                let row = Int(parts.rows[i])
                if offsets.isNull(row) { continue }
                var k = offs[row]
                if function.kind == .lag { k = k == Int64.min ? Int64.max : -k }
                var target = -1
                if k == 0 {
                    target = i
                } else if let skip {
                    if k < 0 {
                        let available = Int64(skip.before[i] - skip.before[ps])
                        if -k <= available { target = Int(skip.positions[Int(skip.before[i] + Int32(k))]) }
                    } else {
                        let available = Int64(skip.before[pe] - skip.before[i + 1])
                        if k <= available { target = Int(skip.positions[Int(skip.before[i + 1]) + Int(k) - 1]) }
                    }
                } else if k < 0 ? -k <= Int64(i - ps) : k < Int64(pe - i) {
                    target = i + Int(k)
                }
                if target >= 0 {
                    source[row] = parts.rows[target]
                } else if hasDefault {
                    source[row] = Int32(n + row)
                }
            }
        }
        if hasDefault {
            return Vector.concatenate([value, args[2]], type: function.type).gather(source)
        }
        return value.gather(source)
    }

    /// first_value, last_value, nth_value: the row at a place in the frame.
    private func frameValue() throws -> Vector {
        let parts = partitions
        let n = parts.count
        let value = arguments[0]
        let frames = try self.frames()
        let skip = function.ignoreNulls ? nonNullPositions(value) : nil
        var nth: [Int64]?
        var nthVector: Vector?
        if function.kind == .nthValue {
            nthVector = arguments[1]
            if case .int64(let a) = arguments[1].storage { nth = a }
        }
        var source = [Int32](repeating: -1, count: n)
        for i in 0..<n {
            let row = Int(parts.rows[i])
            let pieces = frames.pieces(i)
            var found = -1
            switch function.kind {
            case .firstValue:
                pieces.forEach { lo, hi in
                    guard found < 0 else { return }
                    if let skip {
                        if skip.before[hi] > skip.before[lo] { found = Int(skip.positions[Int(skip.before[lo])]) }
                    } else {
                        found = lo
                    }
                }
            case .lastValue:
                pieces.forEachReversed { lo, hi in
                    guard found < 0 else { return }
                    if let skip {
                        if skip.before[hi] > skip.before[lo] { found = Int(skip.positions[Int(skip.before[hi]) - 1]) }
                    } else {
                        found = hi - 1
                    }
                }
            default:
                guard let nth, let nthVector, !nthVector.isNull(row) else { continue }
                var k = nth[row]
                guard k > 0 else {
                    throw ExecutionError.invalidArgument(function: "nth_value", message: "the position must be greater than zero",
                                                         range: function.range)
                }
                pieces.forEach { lo, hi in
                    guard found < 0 else { return }
                    let size = Int64(skip.map { Int($0.before[hi] - $0.before[lo]) } ?? (hi - lo))
                    if k <= size {
                        found = skip.map { Int($0.positions[Int($0.before[lo]) + Int(k) - 1]) } ?? (lo + Int(k) - 1)
                    } else {
                        k -= size
                    }
                }
            }
            if found >= 0 { source[row] = parts.rows[found] }
        }
        return value.gather(source)
    }
}

// var_samp / var_pop / stddev_samp / stddev_pop: the spread of a numeric column per group, by
// Welford's running mean and sum of squared deviations (stable where sum-of-squares is not).

/// Running count, mean and sum of squared deviations from the mean, per group.
final class VarianceAccumulator: AggregateAccumulator {
    /// Divide by n − 1 (sample) rather than n (population).
    private let sample: Bool
    /// Give the square root (standard deviation) rather than the variance.
    private let root: Bool
    private var counts: [Int64] = []
    private var means: [Double] = []
    private var squares: [Double] = []

    init(sample: Bool, root: Bool) {
        self.sample = sample
        self.root = root
    }

    func grow(to count: Int) {
        guard count > counts.count else { return }
        let more = count - counts.count
        counts.append(contentsOf: repeatElement(0, count: more))
        means.append(contentsOf: repeatElement(0, count: more))
        squares.append(contentsOf: repeatElement(0, count: more))
    }

    func update(_ arguments: [Vector], groups: UnsafeBufferPointer<Int32>) throws {
        let x = arguments[0]
        let values: [Double]
        switch x.storage {
        case .double(let a): values = a
        case .int64(let a): values = a.map(Double.init)
        default: return
        }
        let validity = x.validity
        for i in 0..<groups.count {
            if let validity, !validity.isValid(i) { continue }
            let g = Int(groups[i])
            counts[g] += 1
            let delta = values[i] - means[g]
            means[g] += delta / Double(counts[g])
            squares[g] += delta * (values[i] - means[g])
        }
    }

    func finish(count: Int) throws -> Vector {
        grow(to: count)
        var out = [Double](repeating: 0, count: count)
        var valid = [Bool](repeating: false, count: count)
        let least: Int64 = sample ? 2 : 1
        for g in 0..<count where counts[g] >= least {
            let variance = squares[g] / Double(sample ? counts[g] - 1 : counts[g])
            out[g] = root ? variance.squareRoot() : variance
            valid[g] = true
        }
        return Vector(type: .double, storage: .double(out), validity: groupValidity(valid, count))
    }
}

// Which rows of a vector are NULL: one bit a row, set when the row holds a value.

/// A validity bitmap. A vector with no NULLs has no bitmap at all (`Vector.validity == nil`),
/// so the common case costs nothing.
public struct Validity: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    /// All `count` rows valid.
    public init(allValid count: Int) {
        self.count = count
        self.words = [UInt64](repeating: ~0, count: (count + 63) >> 6)
    }

    /// A bitmap over prepared words (as a saved store keeps them); nil unless `words` holds
    /// exactly the words `count` rows need.
    public init?(words: [UInt64], count: Int) {
        guard count >= 0, words.count == (count + 63) >> 6 else { return nil }
        self.words = words
        self.count = count
    }

    /// All `count` rows NULL.
    public init(allNull count: Int) {
        self.count = count
        self.words = [UInt64](repeating: 0, count: (count + 63) >> 6)
    }

    public func isValid(_ i: Int) -> Bool {
        words.withUnsafeBufferPointer { $0[i >> 6] & (1 << UInt64(i & 63)) != 0 }
    }

    public mutating func set(_ i: Int, valid: Bool) {
        if valid { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
    }

    /// The validity of rows `rows` (non-negative positions), in that order.
    public func gathered(_ rows: [Int32]) -> Validity {
        var out = Validity(allNull: rows.count)
        words.withUnsafeBufferPointer { src in
            out.words.withUnsafeMutableBufferPointer { dst in
                for (k, r) in rows.enumerated() {
                    let i = Int(r)
                    dst[k >> 6] |= ((src[i >> 6] >> UInt64(i & 63)) & 1) << UInt64(k & 63)
                }
            }
        }
        return out
    }

    /// Appends one row's validity.
    public mutating func append(_ valid: Bool) {
        if count & 63 == 0 { words.append(0) }
        if valid { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    /// Number of NULL rows.
    public var nullCount: Int {
        var valid = 0
        for (k, w) in words.enumerated() {
            let bitsInWord = min(64, count - k * 64)
            let mask: UInt64 = bitsInWord == 64 ? ~0 : (1 << UInt64(bitsInWord)) - 1
            valid += (w & mask).nonzeroBitCount
        }
        return count - valid
    }

    /// Row-wise AND: valid where both are valid. `nil` stands for all valid.
    public static func and(_ a: Validity?, _ b: Validity?) -> Validity? {
        guard let a else { return b }
        guard let b else { return a }
        var out = a
        for k in 0..<out.words.count { out.words[k] &= b.words[k] }
        return out
    }
}

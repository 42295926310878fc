// count(*) grouped by one dictionary-coded string column (`SELECT action, count(*) … GROUP BY
// action`): a batch's rows are counted per code in one pass over the codes, and the key table
// sees each code present once a batch instead of once a row.

struct CodeCounts {
    /// Dictionaries with more entries than this, or than the batch has rows, are grouped row by
    /// row: clearing the counts would cost more than it saves.
    static let maxCodes = 4_096

    /// The dictionary of the batches so far, and which of its slots (codes, then NULL) they held.
    private var dictionary: ObjectIdentifier?
    private var met: [Bool] = []

    /// The distinct keys of `column`'s first `n` rows and the number of rows holding each: in
    /// order of first appearance when some key was not in an earlier batch (so groups keep
    /// that order), else in code order. Nil when the column is not dictionary-coded, its
    /// dictionary is too large, or a code lies outside it (the caller then groups row by row).
    mutating func count(_ column: Vector, rows n: Int) -> (keys: Vector, rows: [Int64])? {
        guard n > 0, case .string(.dictionary(let codes, let dictionary)) = column.storage, codes.count >= n,
              dictionary.count <= Swift.min(CodeCounts.maxCodes, n) else { return nil }
        let size = dictionary.count, nullSlot = size, outside = size + 1
        // Rows per code; the slot after the last code counts NULL rows, the one after it codes
        // outside the dictionary.
        var perCode = [Int64](repeating: 0, count: size + 2)
        let validity = column.validity
        let counted = codes.withUnsafeBufferPointer { c in
            perCode.withUnsafeMutableBufferPointer { counts in
                let c = UnsafeBufferPointer(rebasing: c[..<n])
                guard let validity else { return CodeCounts.countInLanes(c, into: counts) }
                for row in 0..<n {
                    let code = Int(c[row])
                    // A NULL row's code is a placeholder that may lie outside the dictionary.
                    counts[!validity.isValid(row) ? nullSlot : code < size ? code : outside] &+= 1
                }
                return true
            }
        }
        guard counted, perCode[outside] == 0 else { return nil }
        var order = (0...nullSlot).filter { perCode[$0] > 0 }
        if self.dictionary != ObjectIdentifier(dictionary) || met.count != nullSlot + 1 {
            self.dictionary = ObjectIdentifier(dictionary)
            met = [Bool](repeating: false, count: nullSlot + 1)
        }
        if order.contains(where: { !met[$0] }) {
            order = CodeCounts.firstAppearance(codes, validity, rows: n, nullSlot: nullSlot, present: order.count)
            for slot in order { met[slot] = true }
        }
        return (CodeCounts.vector(order, nullSlot: nullSlot, like: column, dictionary), order.map { perCode[$0] })
    }

    /// Adds each code's rows to `counts[code]`; false when some code is not below the
    /// dictionary's size (`counts.count - 2`).
    private static func countInLanes(_ codes: UnsafeBufferPointer<UInt32>, into counts: UnsafeMutableBufferPointer<Int64>) -> Bool {
        var highest: UInt32 = 0
        for code in codes { highest = Swift.max(highest, code) }
        guard Int(highest) < counts.count - 2 else { return false }
        CountAccumulator.countInLanes(codes, into: UnsafeMutableBufferPointer(rebasing: counts[..<(counts.count - 2)]))
        return true
    }

    /// The keys of `slots` (codes, and `nullSlot` for NULL) as a vector of `column`'s type.
    private static func vector(_ slots: [Int], nullSlot: Int, like column: Vector, _ dictionary: StringDictionary) -> Vector {
        var validity: Validity?
        if let null = slots.firstIndex(of: nullSlot) {
            validity = Validity(allValid: slots.count)
            validity?.set(null, valid: false)
        }
        let codes = slots.map { $0 == nullSlot ? 0 : UInt32($0) }
        return Vector(type: column.type, storage: .string(.dictionary(codes: codes, dictionary: dictionary)), validity: validity)
    }

    /// The slots present in the batch in the order their first rows come: the rows are read
    /// only until every present slot has been met, so with few codes a few rows suffice.
    private static func firstAppearance(_ codes: [UInt32], _ validity: Validity?, rows n: Int, nullSlot: Int,
                                          present: Int) -> [Int] {
        var seen = [Bool](repeating: false, count: nullSlot + 1)
        var order: [Int] = []
        order.reserveCapacity(present)
        var row = 0
        while row < n, order.count < present {
            defer { row += 1 }
            let isNull = validity.map { !$0.isValid(row) } ?? false
            let slot = isNull ? nullSlot : Int(codes[row])
            if !seen[slot] {
                seen[slot] = true
                order.append(slot)
            }
        }
        return order
    }
}

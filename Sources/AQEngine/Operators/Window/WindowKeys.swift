// One part's partition keys of one PARTITION BY: each row's partition id, in order of first
// appearance. One string column whose batches share a dictionary of moderate size is keyed
// by its codes through an array (no string is hashed, and parts that share the dictionary
// merge by code); any other key goes through a KeyTable. A KeyTable also looks a table's
// codes up directly, but each part's table encodes its new keys' strings into a dictionary
// of its own (and the merge again): with 3,633 addresses in each of 31 parts that made
// `min(time) OVER (PARTITION BY source_ip)` 1.2-1.4x slower (docs/performance.md).

final class WindowKeys {
    private let types: [DataType]
    private var table: KeyTable?
    /// Code mode: the column's dictionary; per slot (0: NULL, c + 1: code c) its id + 1
    /// (0: not seen); per id its slot.
    private(set) var dictionary: StringDictionary?
    private var idOfSlot: [Int32] = []
    private(set) var slotOfId: [UInt32] = []

    /// Dictionaries of more codes than this go through the key table (the array of ids
    /// per code is as long as the dictionary).
    static let dictionaryLimit = 1 << 18

    init(types: [DataType]) {
        self.types = types
        if !(types.count == 1 && types[0].isString) { table = KeyTable(types: types) }
    }

    /// How many distinct keys so far.
    var count: Int { table?.count ?? slotOfId.count }

    /// Whether the keys are dictionary codes (no key table).
    var byCode: Bool { table == nil && dictionary != nil }

    /// The id of each of the `n` rows' keys in `columns`, adding new keys.
    func ids(_ columns: [Vector], count n: Int) -> [Int32] {
        if table == nil, case .string(.dictionary(let codes, let d)) = columns[0].storage, codes.count >= n,
           dictionary.map({ $0 === d }) ?? (d.count < WindowKeys.dictionaryLimit) {
            dictionary = d
            if idOfSlot.count < d.count + 1 { idOfSlot += repeatElement(0, count: d.count + 1 - idOfSlot.count) }
            let validity = columns[0].validity
            var slots = slotOfId
            slotOfId = []
            defer { slotOfId = slots }
            return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                idOfSlot.withUnsafeMutableBufferPointer { ids in
                    codes.withUnsafeBufferPointer { c in
                        for i in 0..<n {
                            let slot = validity.map { $0.isValid(i) } == false ? 0 : Int(c[i]) + 1
                            var id = ids[slot]
                            if id == 0 {
                                slots.append(UInt32(slot))
                                id = Int32(slots.count)
                                ids[slot] = id
                            }
                            out[i] = id - 1
                        }
                    }
                }
                initialized = n
            }
        }
        let table: KeyTable
        if let existing = self.table {
            table = existing
        } else {
            // From here on a key table, holding the keys seen so far under the same ids.
            table = KeyTable(types: types)
            if let keys = keyVectors() { _ = table.findOrInsert(keys, count: slotOfId.count) }
            self.table = table
        }
        return table.findOrInsert(columns, count: n)
    }

    /// The keys of ids `0..<count`, one vector per key column; nil when there are none.
    func keyVectors() -> [Vector]? {
        if let table { return table.count == 0 ? nil : table.keyVectors(0..<table.count) }
        guard let dictionary, !slotOfId.isEmpty else { return nil }
        let codes = slotOfId.map { $0 == 0 ? 0 : $0 - 1 }
        var validity: Validity?
        for (id, slot) in slotOfId.enumerated() where slot == 0 {
            if validity == nil { validity = Validity(allValid: slotOfId.count) }
            validity?.set(id, valid: false)
        }
        return [Vector(type: types[0], storage: .string(.dictionary(codes: codes, dictionary: dictionary)), validity: validity)]
    }

    /// The global id of each of the parts' ids, the parts' keys found or added in part
    /// order (so that global ids follow first appearance across the parts), and how many
    /// global ids there are.
    static func merge(_ parts: [WindowKeys?], types: [DataType]) -> (maps: [[Int32]?], count: Int) {
        let keys = parts.compactMap { $0 }
        // Parts keyed by the codes of one dictionary: merged by code.
        if let first = keys.first?.dictionary, keys.allSatisfy({ $0.byCode && $0.dictionary === first }) {
            var idOfSlot = [Int32](repeating: 0, count: first.count + 1)
            var count: Int32 = 0
            let maps = parts.map { part -> [Int32]? in
                guard let part else { return nil }
                return part.slotOfId.map { slot in
                    if idOfSlot[Int(slot)] == 0 {
                        count += 1
                        idOfSlot[Int(slot)] = count
                    }
                    return idOfSlot[Int(slot)] - 1
                }
            }
            return (maps, Int(count))
        }
        let global = KeyTable(types: types)
        let maps = parts.map { part -> [Int32]? in
            guard let part, let vectors = part.keyVectors() else { return nil }
            return global.findOrInsert(vectors, count: part.count)
        }
        return (maps, global.count)
    }
}

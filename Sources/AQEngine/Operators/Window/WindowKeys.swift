// One part's partition keys of one PARTITION BY: each row's partition id, in order of first
// appearance, from a KeyTable (a string column coded in a table's dictionary is keyed by its
// codes there, no string hashed); and the parts' ids merged into global ones.

final class WindowKeys {
    private let table: KeyTable

    init(types: [DataType]) { table = KeyTable(types: types) }

    /// How many distinct keys so far.
    var count: Int { table.count }

    /// The id of each of the `n` rows' keys in `columns`, adding new keys.
    func ids(_ columns: [Vector], count n: Int) -> [Int32] {
        table.findOrInsert(columns, count: n)
    }

    /// The global id of each of the parts' ids, the parts' keys found or added in part
    /// order (so that global ids follow first appearance across the parts), and how many
    /// global ids there are.
    static func merge(_ parts: [WindowKeys?], types: [DataType]) -> (maps: [[Int32]?], count: Int) {
        let global = KeyTable(types: types)
        let maps = parts.map { part -> [Int32]? in
            guard let part, part.count > 0 else { return nil }
            return global.findOrInsert(part.table.keyVectors(0..<part.count), count: part.count)
        }
        return (maps, global.count)
    }
}

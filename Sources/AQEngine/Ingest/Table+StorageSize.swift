// How many bytes a table's columns take in memory, for the load benchmark's "bytes per event".

extension Table {
    /// Bytes of the stored values of the named columns (all when nil): unboxed arrays,
    /// validity bitmaps, flat string bytes and offsets, and each shared dictionary once (its
    /// strings and offsets; not its hash index, which could be rebuilt).
    public func storageBytes(columns names: Set<String>? = nil) -> Int {
        var total = 0
        for (c, column) in columns.enumerated() where names?.contains(column.name) ?? true {
            for chunk in chunks {
                let vector = chunk.columns[c]
                total += (vector.validity?.words.count ?? 0) * 8
                switch vector.storage {
                case .boolean(let a): total += a.count
                case .int64(let a): total += a.count * 8
                case .double(let a): total += a.count * 8
                case .interval(let a): total += a.count * 16
                case .null: break
                case .list(let l): total += l.offsets.count * 4 + l.elements.count * 8   // elements roughly
                case .string(.dictionary(let codes, _)): total += codes.count * 4
                case .string(.flat(let heap)): total += heap.bytes.count + heap.offsets.count * 4
                }
            }
            if let dictionary = dictionaries[c] {
                total += dictionary.heap.bytes.count + dictionary.heap.offsets.count * 4
            }
        }
        return total
    }
}

// How many bytes a table's columns take in memory: the load benchmark's "bytes per event" and the memory budget's count (`Catalog.byteSize`).

extension Table {
    /// Bytes of the stored values of the named columns (all when nil): unboxed arrays,
    /// validity bitmaps, flat string bytes and offsets, packed columns as kept (compressed text, narrow codes, JSON
    /// sub-columns), and each shared dictionary once (its strings and offsets; not its hash
    /// index, which could be rebuilt).
    public func storageBytes(columns names: Set<String>? = nil) -> Int {
        var total = 0
        for (c, column) in columns.enumerated() where names?.contains(column.name) ?? true {
            for chunk in storedChunks { total += chunk.columns[c].storedBytes }
            if let dictionary = dictionaries[c] {
                total += dictionary.heap.bytes.count + dictionary.heap.offsets.count * 4
            }
            for summary in paths[c]?.values ?? [:].values {
                total += summary.dictionary.heap.bytes.count + summary.dictionary.heap.offsets.count * 4
            }
        }
        return total
    }
}

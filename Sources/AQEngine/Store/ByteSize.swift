// How many bytes columns, batches and tables hold: what the memory budget (`Limits.memory`,
// `SET memory_limit`) counts. An estimate from the storage's sizes, not from the allocator.

extension Vector {
    /// Bytes of this vector's own storage and validity; a shared dictionary is not counted
    /// (see `Table.storageBytes`, which counts each once).
    public var byteSize: Int {
        let values: Int
        switch storage {
        case .boolean(let v): values = v.count
        case .int64(let v): values = v.count * 8
        case .double(let v): values = v.count * 8
        case .interval(let v): values = v.count * MemoryLayout<Interval>.stride
        case .string(.flat(let heap)): values = heap.bytes.count + heap.offsets.count * 4
        case .string(.dictionary(let codes, _)): values = codes.count * 4
        case .null: values = 0
        case .list(let list): values = list.offsets.count * 4 + list.elements.byteSize
        }
        return values + (validity.map { $0.words.count * 8 } ?? 0)
    }
}

extension Batch {
    /// Bytes of every column, with each distinct dictionary its vectors use counted once.
    public var byteSize: Int {
        var seen: [ObjectIdentifier] = []
        var total = 0
        for column in columns {
            total += column.byteSize
            if case .string(.dictionary(_, let dictionary)) = column.storage,
               !seen.contains(ObjectIdentifier(dictionary)) {
                seen.append(ObjectIdentifier(dictionary))
                total += dictionary.byteSize
            }
        }
        return total
    }
}

extension StringDictionary {
    /// Bytes of the strings, their offsets and the hash slots.
    public var byteSize: Int { heap.bytes.count + heap.offsets.count * 4 + count * 8 + count * 8 }
}

extension Catalog {
    /// Bytes of every table's data.
    public var byteSize: Int { allTables.reduce(0) { $0 + $1.storageBytes() } }
}

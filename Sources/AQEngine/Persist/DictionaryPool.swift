// The string dictionaries of one table, numbered in the order first met: the table's own
// per-column dictionaries, then those that chunks' vectors and codes point at. Chunks that
// share a dictionary in memory share its number in the file, so they share it again when
// the store is opened.

struct DictionaryPool {
    private(set) var dictionaries: [StringDictionary] = []
    private var numbers: [ObjectIdentifier: Int] = [:]

    /// The number of `dictionary`, adding it when it is new.
    mutating func number(_ dictionary: StringDictionary) -> Int {
        if let n = numbers[ObjectIdentifier(dictionary)] { return n }
        dictionaries.append(dictionary)
        numbers[ObjectIdentifier(dictionary)] = dictionaries.count - 1
        return dictionaries.count - 1
    }

    /// Every dictionary of `table`, numbered.
    init(_ table: Table) {
        for case let d? in table.dictionaries { _ = number(d) }
        for chunk in table.storedChunks {
            for column in chunk.columns {
                switch column {
                case .vector(let v): add(v)
                case .codes(_, let d, _, _): _ = number(d)
                case .text: break
                }
            }
        }
    }

    private mutating func add(_ vector: Vector) {
        switch vector.storage {
        case .string(.dictionary(_, let d)): _ = number(d)
        case .list(let l): add(l.elements)
        default: break
        }
    }
}

// Shredding the JSON records of a chunk: one walk over each record finds every path to a
// scalar (objects are descended, arrays are not), and the paths that at least half of the
// chunk's rows carry, with values of one kind, become typed sub-columns (`PathColumn`).
//
// A sub-column must answer exactly as `json_extract_string` / `json_extract` on the text
// would (`JSONReader.find`): the first of duplicate keys wins (a later duplicate, and all
// below it, is ignored), a path through a non-object is absent, keys are compared decoded,
// and a value that the text functions would not read back the same way (a string with a bad
// escape, a number not in its shortest integer form, a float) keeps its path out of the
// chunk's sub-columns, so that path is read from the text there.

enum JSONShredder {
    /// A path becomes a sub-column of a chunk when at least this share of its rows carry it.
    static let minimumShare = 0.5
    /// A string path holding more distinct values than this share of its rows is left in the
    /// text (ids and times: a dictionary of them would cost more than it saves).
    static let maximumDistinctShare = 0.25
    /// Objects nested deeper than this are not descended.
    static let maxDepth = 16

    /// The sub-columns of `rows` rows whose record texts are `records` (`rowRecords`: the
    /// record of each row, nil for one row per record; `valid`: rows that are not NULL), and
    /// for each string sub-column the strings its codes refer to.
    static func shred(_ records: StringHeap, rowRecords: [UInt32]?, valid: Validity?)
        -> (paths: [JSONKeyPath: PathColumn], strings: [JSONKeyPath: StringHeap]) {
        let walk = Walk(records: records.count)
        var recordValid: [Bool]?
        if let valid {
            var v = [Bool](repeating: false, count: records.count)
            for row in 0..<(rowRecords?.count ?? records.count) where valid.isValid(row) {
                v[Int(rowRecords?[row] ?? UInt32(row))] = true
            }
            recordValid = v
        }
        for r in 0..<records.count where recordValid?[r] ?? true {
            records.withBytes(r) { walk.record($0, row: r) }
        }
        let rows = rowRecords?.count ?? records.count
        var paths: [JSONKeyPath: PathColumn] = [:]
        var strings: [JSONKeyPath: StringHeap] = [:]
        for node in walk.nodes {
            guard let column = node.column(rows: rows, rowRecords: rowRecords, valid: valid) else { continue }
            let path = walk.path(of: node)
            paths[path] = column
            if case .strings = column.values { strings[path] = node.dictionary.heap }
        }
        return (paths, strings)
    }

    /// The kinds of value a path held in a chunk.
    struct Kinds: OptionSet {
        let rawValue: UInt8
        static let string = Kinds(rawValue: 1)
        static let integer = Kinds(rawValue: 2)
        static let boolean = Kinds(rawValue: 4)
        static let null = Kinds(rawValue: 8)
        static let object = Kinds(rawValue: 16)
        /// Arrays, floats, values the text functions read differently: not shredded.
        static let other = Kinds(rawValue: 32)
    }

    /// One path: its values per record, as seen so far.
    final class Node {
        /// Its position in `Walk.nodes`.
        let id: Int
        let parent: Int
        let key: [UInt8]
        let records: Int
        var lastRecord = -1
        var kinds: Kinds = []
        var count = 0
        var present: [Bool]
        var codes: [UInt32] = []
        var integers: [Int64] = []
        var booleans: [Bool] = []
        let dictionary = StringDictionary()
        /// The children met at each position of this object in the last record: records of
        /// one kind list their keys in the same order, so a key is usually found by comparing
        /// it with the one expected there, without hashing.
        var expected: [Int] = []
        /// The last string value and its code (many paths repeat one value row after row).
        private var lastString: [UInt8] = []
        private var lastCode: UInt32 = 0
        private var hasLast = false

        init(id: Int, parent: Int, key: [UInt8], records: Int) {
            self.id = id
            self.parent = parent
            self.key = key
            self.records = records
            present = [Bool](repeating: false, count: records)
        }

        func string(_ bytes: UnsafeRawBufferPointer, record: Int) {
            if codes.isEmpty { codes = [UInt32](repeating: 0, count: records) }
            if !(hasLast && lastString.withUnsafeBytes({ StringDictionary.equal($0, bytes) })) {
                lastCode = dictionary.code(for: bytes)
                lastString.removeAll(keepingCapacity: true)
                lastString.append(contentsOf: bytes)
                hasLast = true
            }
            codes[record] = lastCode
            kinds.insert(.string)
            present[record] = true
            count += 1
        }

        func integer(_ x: Int64, record: Int) {
            if integers.isEmpty { integers = [Int64](repeating: 0, count: records) }
            integers[record] = x
            kinds.insert(.integer)
            present[record] = true
            count += 1
        }

        func boolean(_ b: Bool, record: Int) {
            if booleans.isEmpty { booleans = [Bool](repeating: false, count: records) }
            booleans[record] = b
            kinds.insert(.boolean)
            present[record] = true
            count += 1
        }

        func null(record: Int) {
            kinds.insert(.null)
            count += 1
        }

        /// The sub-column over the chunk's rows, when this path qualifies.
        func column(rows: Int, rowRecords: [UInt32]?, valid: Validity?) -> PathColumn? {
            guard !kinds.isEmpty, kinds.isDisjoint(with: [.object, .other]) else { return nil }
            let scalar = kinds.subtracting(.null)
            guard scalar.rawValue.nonzeroBitCount <= 1,
                  Double(count) >= JSONShredder.minimumShare * Double(records) else { return nil }
            if scalar == .string, Double(dictionary.count) > JSONShredder.maximumDistinctShare * Double(count) + 16 {
                return nil
            }
            let recordOf: (Int) -> Int = { row in rowRecords.map { Int($0[row]) } ?? row }
            var presentRows = Validity(allValid: rows)
            var nullRows = Validity(allNull: rows)
            var anyNull = false
            for row in 0..<rows {
                let r = recordOf(row)
                let rowValid = valid?.isValid(row) ?? true
                if !(rowValid && present[r]) { presentRows.set(row, valid: false) }
                if rowValid && isNull(r) {
                    nullRows.set(row, valid: true)
                    anyNull = true
                }
            }
            let values: PathColumn.Values
            switch scalar {
            case .string: values = .strings(NarrowCodes((0..<rows).map { codes[recordOf($0)] }))
            case .integer: values = .integers((0..<rows).map { integers[recordOf($0)] })
            case .boolean: values = .booleans((0..<rows).map { booleans[recordOf($0)] })
            default: values = .nulls
            }
            return PathColumn(values: values, present: presentRows.nullCount == 0 ? nil : presentRows,
                              nulls: anyNull ? nullRows : nil)
        }

        /// Records holding `null` here.
        var nullRecords: [Bool] = []
        func isNull(_ record: Int) -> Bool { record < nullRecords.count && nullRecords[record] }
        func markNull(record: Int) {
            if nullRecords.isEmpty { nullRecords = [Bool](repeating: false, count: records) }
            nullRecords[record] = true
            null(record: record)
        }
    }

    /// The walk over a chunk's records, with its table of paths.
    final class Walk {
        let records: Int
        private(set) var nodes: [Node] = []
        /// (parent node + 1, 4 bytes) + key → node.
        private let index = StringDictionary()
        private var scratch: [UInt8] = []
        private var decoded: [UInt8] = []

        /// Stands for the record itself (its `expected` keys).
        private let root: Node

        init(records: Int) {
            self.records = records
            root = Node(id: -1, parent: -1, key: [], records: 0)
        }

        func path(of node: Node) -> JSONKeyPath {
            var keys: [[UInt8]] = []
            var at: Node? = node
            while let n = at {
                keys.append(n.key)
                at = n.parent >= 0 ? nodes[n.parent] : nil
            }
            return JSONKeyPath(keys: keys.reversed())
        }

        /// The node of `key` under `parent`, the `position`-th key of its object.
        private func node(parent: Int, key: UnsafeRawBufferPointer, position: Int) -> Node {
            let owner = parent >= 0 ? nodes[parent] : root
            if position < owner.expected.count {
                let guess = nodes[owner.expected[position]]
                if guess.key.withUnsafeBytes({ StringDictionary.equal($0, key) }) { return guess }
            }
            let found = lookup(parent: parent, key: key)
            if position < owner.expected.count {
                owner.expected[position] = found.id
            } else if position == owner.expected.count {
                owner.expected.append(found.id)
            }
            return found
        }

        private func lookup(parent: Int, key: UnsafeRawBufferPointer) -> Node {
            scratch.removeAll(keepingCapacity: true)
            withUnsafeBytes(of: Int32(truncatingIfNeeded: parent).littleEndian) { scratch.append(contentsOf: $0) }
            scratch.append(contentsOf: key)
            let code = scratch.withUnsafeBytes { index.code(for: $0) }
            if Int(code) == nodes.count { nodes.append(Node(id: nodes.count, parent: parent, key: Array(key), records: records)) }
            return nodes[Int(code)]
        }

        func record(_ p: UnsafeRawBufferPointer, row: Int) {
            var i = 0
            JSONSkip.skipSpace(p, &i)
            guard i < p.count, p[i] == UInt8(ascii: "{") else { return }
            _ = object(p, &i, parent: -1, depth: 0, record: row)
        }

        /// Walks the object at `i`; false when its text breaks off (what was read stays).
        private func object(_ p: UnsafeRawBufferPointer, _ i: inout Int, parent: Int, depth: Int, record: Int) -> Bool {
            i += 1
            JSONSkip.skipSpace(p, &i)
            if i < p.count, p[i] == UInt8(ascii: "}") { i += 1; return true }
            var position = 0
            while true {
                defer { position += 1 }
                guard i < p.count, p[i] == UInt8(ascii: "\"") else { return false }
                let keyStart = i
                guard JSONSkip.skipStringFast(p, &i) else { return false }
                let keyEnd = i
                JSONSkip.skipSpace(p, &i)
                guard i < p.count, p[i] == UInt8(ascii: ":") else { return false }
                i += 1
                JSONSkip.skipSpace(p, &i)
                var target: Node?
                let raw = UnsafeRawBufferPointer(rebasing: p[(keyStart + 1)..<(keyEnd - 1)])
                if raw.contains(UInt8(ascii: "\\")) {
                    decoded.removeAll(keepingCapacity: true)
                    if JSONReader.decodeString(UnsafeRawBufferPointer(rebasing: p[keyStart..<keyEnd]), into: &decoded),
                       !Walk.isIndex(decoded) {
                        target = decoded.withUnsafeBytes { node(parent: parent, key: $0, position: position) }
                    }
                } else if !Walk.isIndex(raw) {
                    target = node(parent: parent, key: raw, position: position)
                }
                if let n = target, n.lastRecord != record {
                    n.lastRecord = record
                    guard value(p, &i, n, depth: depth, record: record) else { return false }
                } else {
                    // A key no path can name, or a later duplicate: the text functions never
                    // look inside it.
                    guard JSONSkip.skipFast(p, &i) else { return false }
                }
                JSONSkip.skipSpace(p, &i)
                guard i < p.count else { return false }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    JSONSkip.skipSpace(p, &i)
                    continue
                }
                if p[i] == UInt8(ascii: "}") { i += 1; return true }
                return false
            }
        }

        /// A key of digits, which a path step also reads as an array index.
        private static func isIndex<C: Collection>(_ key: C) -> Bool where C.Element == UInt8 {
            !key.isEmpty && key.count < 10 && key.allSatisfy { $0 &- 48 < 10 }
        }

        /// Records the value at `i` for node `n`; false when the text breaks off.
        private func value(_ p: UnsafeRawBufferPointer, _ i: inout Int, _ n: Node, depth: Int, record: Int) -> Bool {
            let start = i
            guard i < p.count else { return false }
            switch p[i] {
            case UInt8(ascii: "{"):
                n.kinds.insert(.object)
                if depth + 1 < JSONShredder.maxDepth, object(p, &i, parent: n.id, depth: depth + 1, record: record) {
                    return true
                }
                i = start
                return JSONSkip.skipFast(p, &i)
            case UInt8(ascii: "\""):
                guard JSONSkip.skipString(p, &i) else { break }
                let token = UnsafeRawBufferPointer(rebasing: p[start..<i])
                if token.contains(UInt8(ascii: "\\")) {
                    decoded.removeAll(keepingCapacity: true)
                    guard JSONReader.decodeString(token, into: &decoded) else { break }
                    decoded.withUnsafeBytes { n.string($0, record: record) }
                } else {
                    n.string(UnsafeRawBufferPointer(rebasing: p[(start + 1)..<(i - 1)]), record: record)
                }
                return true
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                guard JSONSkip.skipValue(p, &i, depth: 0) else { break }
                switch p[start] {
                case UInt8(ascii: "t"): n.boolean(true, record: record)
                case UInt8(ascii: "f"): n.boolean(false, record: record)
                default: n.markNull(record: record)
                }
                return true
            case UInt8(ascii: "-"), 48...57:
                guard JSONSkip.skipNumber(p, &i), let x = Walk.shortestInteger(UnsafeRawBufferPointer(rebasing: p[start..<i])) else { break }
                n.integer(x, record: record)
                return true
            default:
                break
            }
            // Arrays, floats, and values the text functions would not read back the same way.
            n.kinds.insert(.other)
            i = start
            return JSONSkip.skipFast(p, &i)
        }

        /// The integer of a number token written in its shortest form (`-12`, `0`; not `-0`,
        /// `007`, `1.0`, `1e3`), when it fits 64 bits.
        static func shortestInteger(_ token: UnsafeRawBufferPointer) -> Int64? {
            let negative = token.first == UInt8(ascii: "-")
            let digits = negative ? token.count - 1 : token.count
            guard digits > 0, digits <= 19 else { return nil }
            let first = token[negative ? 1 : 0]
            guard token.allSatisfy({ $0 &- 48 < 10 || $0 == UInt8(ascii: "-") }),
                  !(first == 48 && (digits > 1 || negative)) else { return nil }
            return Int64(String(decoding: token, as: UTF8.self))
        }
    }
}

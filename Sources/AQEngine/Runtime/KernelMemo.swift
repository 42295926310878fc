// A statement's memo of kernel results per dictionary code. A column's dictionary is
// shared by all its chunks and codes never change, so a function of a dictionary-encoded
// column (lower(action), LIKE on user_agent, is_private_ip(source_ip)) runs once per distinct
// value for the whole statement, not once per row or per batch.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tables of results keyed by what was computed (a kernel name and its constant arguments)
/// and over which dictionary. Lives as long as the statement's `ExecutionContext`.
public final class KernelMemo: @unchecked Sendable {
    struct Key: Hashable {
        var name: String
        var arguments: [Value]
        var dictionary: ObjectIdentifier
    }

    /// Dictionaries smaller than this are evaluated per batch without the memo (the constant
    /// vectors of a literal have one-entry dictionaries that come and go with each batch).
    /// Every other dictionary is memoized, so that a function of a column gives the same
    /// output dictionary in every batch (GROUP BY lower(action) groups by codes).
    static let threshold = 2

    private let lock = PlainMutex()
    private var tables: [Key: AnyObject] = [:]

    public init() {}

    /// The table for `key`, made by `make` the first time.
    func table<T: AnyObject>(_ key: Key, _ make: () -> T) -> T {
        lock.locked {
            if let t = tables[key] as? T { return t }
            let t = make()
            tables[key] = t
            return t
        }
    }

    /// Number of tables held (for tests).
    var count: Int { lock.locked { tables.count } }
}

/// Results of a kernel per code of one dictionary, filled lazily. Holds the dictionary so
/// that its identity (the memo key) cannot be reused by another object during the statement.
final class CodeTable<T> {
    let dictionary: StringDictionary
    let lock = PlainMutex()
    /// `values[c]` is meaningful where `known[c]`; nil is a NULL result.
    var values: [T?] = []
    var known: [Bool] = []

    init(_ dictionary: StringDictionary) { self.dictionary = dictionary }

    /// Grows the table to the dictionary's current size (dictionaries only grow).
    func fit() {
        let n = dictionary.count
        if known.count < n {
            values.append(contentsOf: repeatElement(nil, count: n - values.count))
            known.append(contentsOf: repeatElement(false, count: n - known.count))
        }
    }
}

/// A string-to-string kernel's results per code: the code of each result in an output
/// dictionary shared by every batch, so the results stay dictionary-encoded downstream.
final class CodeMap {
    static let unknown = UInt32.max
    static let null = UInt32.max - 1

    let dictionary: StringDictionary
    let output = StringDictionary()
    let lock = PlainMutex()
    var codes: [UInt32] = []

    init(_ dictionary: StringDictionary) { self.dictionary = dictionary }

    func fit() {
        let n = dictionary.count
        if codes.count < n { codes.append(contentsOf: repeatElement(CodeMap.unknown, count: n - codes.count)) }
    }
}

/// A predicate's value for every entry of a dictionary (`bits[c]` for code c), computed for
/// all entries at once: a filter tests every code of the column anyway.
final class EntryBits {
    let dictionary: StringDictionary
    let lock = PlainMutex()
    var bits: [Bool] = []

    init(_ dictionary: StringDictionary) { self.dictionary = dictionary }
}

extension ExecutionContext {
    /// The predicate `name(arguments)` for every entry of `dictionary`, computed by `f` for
    /// entries not seen before; memoized for the statement.
    func entryBits(_ name: String, _ arguments: [Value], _ dictionary: StringDictionary,
                   _ f: (UnsafeRawBufferPointer) throws -> Bool) rethrows -> [Bool] {
        let table: EntryBits
        if dictionary.count >= KernelMemo.threshold {
            let key = KernelMemo.Key(name: "bits:" + name, arguments: arguments, dictionary: ObjectIdentifier(dictionary))
            table = memo.table(key) { EntryBits(dictionary) }
        } else {
            table = EntryBits(dictionary)
        }
        return try table.lock.locked {
            let n = dictionary.count
            if table.bits.count < n {
                var bits = table.bits
                table.bits = []
                defer { table.bits = bits }
                bits.reserveCapacity(n)
                try dictionary.withAccess { acc in
                    for c in bits.count..<n { bits.append(try f(acc[c])) }
                }
            }
            return table.bits
        }
    }

    /// The memo table for `name(arguments)` over `dictionary`, or a fresh one when the
    /// dictionary is small or the call cannot be memoized (`arguments` nil).
    func codeTable<T>(_ name: String, _ arguments: [Value]?, _ dictionary: StringDictionary,
                      of: T.Type = T.self) -> CodeTable<T> {
        guard let arguments, dictionary.count >= KernelMemo.threshold else { return CodeTable(dictionary) }
        let key = KernelMemo.Key(name: name, arguments: arguments, dictionary: ObjectIdentifier(dictionary))
        return memo.table(key) { CodeTable<T>(dictionary) }
    }

    func codeMap(_ name: String, _ arguments: [Value]?, _ dictionary: StringDictionary) -> CodeMap {
        guard let arguments, dictionary.count >= KernelMemo.threshold else { return CodeMap(dictionary) }
        let key = KernelMemo.Key(name: "map:" + name, arguments: arguments, dictionary: ObjectIdentifier(dictionary))
        return memo.table(key) { CodeMap(dictionary) }
    }
}

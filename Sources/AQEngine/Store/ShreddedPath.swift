// The sub-columns of a JSON column: for a chunk, the values that the records hold at a JSON
// path (`$.userIdentity.type`), typed, so that reading that path reads a column instead of
// parsing every record's text. Built at load (see `Ingest/RecordPaths`); which paths a chunk has
// depends on its records, and a path a chunk lacks is read from the chunk's text.

/// A JSON path made of object keys only (`$.a.b` is `["a", "b"]`), each key as its bytes.
public struct JSONKeyPath: Hashable, Sendable, Comparable {
    public var keys: [[UInt8]]

    public init(keys: [[UInt8]]) { self.keys = keys }

    /// `$.a.b`; a key that is not a plain name is quoted (`$."Event category"`).
    public var text: String {
        var out = "$"
        for key in keys {
            let name = String(decoding: key, as: UTF8.self)
            let plain = !key.isEmpty && key.allSatisfy { b in
                b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
                    || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || (b >= 48 && b <= 57) || b >= 0x80
            }
            out += plain ? "." + name : ".\"" + name.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"") + "\""
        }
        return out
    }

    public static func < (a: JSONKeyPath, b: JSONKeyPath) -> Bool {
        a.keys.lexicographicallyPrecedes(b.keys) { $0.lexicographicallyPrecedes($1) }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ a: String, _ b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}

/// The values of one path over the rows of a chunk. A row where the record has no value at
/// the path is absent; a JSON `null` is present and marked in `nulls`.
public struct PathColumn: Sendable {
    public enum Values: Sendable {
        /// Decoded strings: codes into the table's dictionary of this path.
        case strings(NarrowCodes)
        /// Integers written in their shortest form (`-12`, `0`).
        case integers([Int64])
        case booleans([Bool])
        /// Only `null`s (and absent rows).
        case nulls
    }

    public var values: Values
    /// Rows that hold a value other than `null`; nil: every row does.
    public var present: Validity?
    /// Rows that hold `null`; nil: none does.
    public var nulls: Validity?

    public init(values: Values, present: Validity?, nulls: Validity?) {
        self.values = values
        self.present = present
        self.nulls = nulls
    }

    public var storedBytes: Int {
        var n = (present?.words.count ?? 0) * 8 + (nulls?.words.count ?? 0) * 8
        switch values {
        case .strings(let codes): n += codes.byteCount
        case .integers(let a): n += a.count * 8
        case .booleans(let a): n += a.count
        case .nulls: break
        }
        return n
    }
}

/// What the table knows of one path of a JSON column: how many chunks and rows have it as a
/// sub-column, and its dictionary when it holds strings.
public final class PathSummary: @unchecked Sendable {
    public let path: JSONKeyPath
    public let dictionary: StringDictionary
    public internal(set) var chunks = 0
    public internal(set) var rows = 0
    /// The kinds of value seen in its chunks (`VARCHAR`, `INTEGER`, `BOOLEAN`, `NULL`).
    public internal(set) var kinds: Set<String> = []

    init(path: JSONKeyPath, dictionary: StringDictionary = StringDictionary()) {
        self.path = path
        self.dictionary = dictionary
    }

    /// A summary as a saved store keeps it.
    convenience init(path: JSONKeyPath, dictionary: StringDictionary, chunks: Int, rows: Int, kinds: Set<String>) {
        self.init(path: path, dictionary: dictionary)
        self.chunks = chunks
        self.rows = rows
        self.kinds = kinds
    }
}

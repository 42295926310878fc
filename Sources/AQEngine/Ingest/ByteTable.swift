// A map from byte strings to small values, looked up without making a String.

/// An immutable map from byte strings to small values (operation names to actions).
final class ByteTable: @unchecked Sendable {
    private let keys = StringDictionary()
    private var values: [UInt8] = []

    init(_ pairs: [(String, UInt8)]) {
        for (key, value) in pairs {
            let code = Int(keys.code(for: key))
            if code == values.count { values.append(value) } else { values[code] = value }
        }
    }

    @inline(__always)
    func get(_ p: Bytes?) -> UInt8? {
        guard let p, let code = keys.lookup(p) else { return nil }
        return values[Int(code)]
    }
}

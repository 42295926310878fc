// The storage of a LIST column: one vector of all the rows' elements, end to end, and where
// each row's run of them starts. The same shape as Arrow's and Parquet's list columns
// (offsets + child), so that an export writes it without reshaping.

/// Row i's elements are `elements[offsets[i] ..< offsets[i + 1]]`; `offsets` has one entry
/// more than there are rows and starts at 0. A NULL row (the vector's validity says which)
/// has an empty run; an empty list is a valid row with an empty run. An element may be NULL
/// (the elements' own validity).
public struct ListVector: Sendable {
    public var offsets: [Int32]
    public var elements: Vector

    public init(offsets: [Int32], elements: Vector) {
        self.offsets = offsets
        self.elements = elements
    }

    /// Rows in the vector.
    public var count: Int { offsets.count - 1 }

    /// The positions in `elements` of row i's elements.
    public func range(_ i: Int) -> Range<Int> { Int(offsets[i])..<Int(offsets[i + 1]) }

    /// `count` empty lists of elements of `element`'s type.
    public static func empty(element: DataType, count: Int) -> ListVector {
        ListVector(offsets: [Int32](repeating: 0, count: count + 1), elements: Vector.nulls(type: element, count: 0))
    }

    /// The rows at `indices` (a negative index gives an empty run, for a NULL row).
    public func gather(_ indices: [Int32]) -> ListVector {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(indices.count + 1)
        var picks: [Int32] = []
        for i in indices {
            if i >= 0 { for k in range(Int(i)) { picks.append(Int32(k)) } }
            offsets.append(Int32(picks.count))
        }
        return ListVector(offsets: offsets, elements: elements.gather(picks))
    }

    /// The rows of `parts`, in order, as one list vector of elements of `element`'s type.
    static func concatenate(_ parts: [ListVector], element: DataType) -> ListVector {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(parts.reduce(1) { $0 + $1.count })
        var base: Int32 = 0
        for part in parts {
            for k in 1..<part.offsets.count { offsets.append(base + part.offsets[k]) }
            base += part.offsets.last ?? 0
        }
        return ListVector(offsets: offsets, elements: Vector.concatenate(parts.map(\.elements), type: element))
    }
}

extension Vector {
    /// The list storage of a LIST vector (nil for other vectors; all-NULL storage gives
    /// empty runs).
    public var listStorage: ListVector? {
        switch storage {
        case .list(let l): return l
        case .null(let n): return ListVector.empty(element: type.listElement ?? .null, count: n)
        default: return nil
        }
    }
}

/// An unambiguous byte form of a list value, equal for equal lists and different for
/// different ones: how key tables (GROUP BY, DISTINCT, PARTITION BY, joins) tell lists apart.
enum ListKey {
    static func bytes(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    private static func append(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(0)
        case .list(let elements, _):
            out.append(1)
            appendLength(elements.count, to: &out)
            for e in elements { append(e, to: &out) }
        case .double(let d):
            // -0.0 and 0.0 are one key, as are all NaNs (as in the other key columns).
            out.append(2)
            let bits = d == 0 ? 0 : (d.isNaN ? Double.nan.bitPattern : d.bitPattern)
            withUnsafeBytes(of: bits) { out.append(contentsOf: $0) }
        default:
            let text = Array((formatted(value) ?? "").utf8)
            out.append(3)
            appendLength(text.count, to: &out)
            out.append(contentsOf: text)
        }
    }

    private static func appendLength(_ n: Int, to out: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: n)) { out.append(contentsOf: $0) }
    }
}

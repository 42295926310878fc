// The non-NULL values of a fixed-width column chunk, in row order, plain-encoded on demand
// (little-endian numbers, booleans one bit each), with their min and max.

struct PlainValues {
    let physical: ParquetPhysicalType
    private var integers: [Int64] = []
    private var doubles: [Double] = []
    private var booleans: [Bool] = []

    init(physical: ParquetPhysicalType) { self.physical = physical }

    var count: Int {
        switch physical {
        case .boolean: return booleans.count
        case .double: return doubles.count
        default: return integers.count
        }
    }

    /// Bytes per value, for sizing pages.
    var width: Int {
        switch physical {
        case .boolean: return 1
        case .int32: return 4
        default: return 8
        }
    }

    mutating func append(_ v: Vector) {
        switch v.storage {
        case .int64(let a):
            for i in 0..<v.count where !v.isNull(i) { integers.append(a[i]) }
        case .double(let a):
            for i in 0..<v.count where !v.isNull(i) { doubles.append(a[i]) }
        case .boolean(let a):
            for i in 0..<v.count where !v.isNull(i) { booleans.append(a[i]) }
        default:
            break
        }
    }

    var minBytes: [UInt8]? { bound(smallest: true) }
    var maxBytes: [UInt8]? { bound(smallest: false) }

    private func bound(smallest: Bool) -> [UInt8]? {
        switch physical {
        case .boolean:
            guard let b = smallest ? booleans.min(by: { !$0 && $1 }) : booleans.max(by: { !$0 && $1 }) else { return nil }
            return [b ? 1 : 0]
        case .double:
            let finite = doubles.lazy.filter { !$0.isNaN }
            guard let d = smallest ? finite.min() : finite.max() else { return nil }
            return littleEndian(d.bitPattern, bytes: 8)
        case .int32:
            guard let x = smallest ? integers.min() : integers.max() else { return nil }
            return littleEndian(UInt64(UInt32(truncatingIfNeeded: x)), bytes: 4)
        default:
            guard let x = smallest ? integers.min() : integers.max() else { return nil }
            return littleEndian(UInt64(bitPattern: x), bytes: 8)
        }
    }

    private func littleEndian(_ v: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
    }

    /// Plain encoding of values `range` (indices among the non-NULL values).
    func write(_ range: Range<Int>, into out: inout [UInt8]) {
        switch physical {
        case .boolean:
            var byte: UInt8 = 0
            var bit = 0
            for i in range {
                if booleans[i] { byte |= 1 << UInt8(bit) }
                bit += 1
                if bit == 8 { out.append(byte); byte = 0; bit = 0 }
            }
            if bit > 0 { out.append(byte) }
        case .double:
            out.reserveCapacity(out.count + 8 * range.count)
            for i in range { out.append(contentsOf: littleEndian(doubles[i].bitPattern, bytes: 8)) }
        case .int32:
            for i in range { out.append(contentsOf: littleEndian(UInt64(UInt32(truncatingIfNeeded: integers[i])), bytes: 4)) }
        default:
            out.reserveCapacity(out.count + 8 * range.count)
            for i in range {
                let v = UInt64(bitPattern: integers[i])
                withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
            }
        }
    }
}

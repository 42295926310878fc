// Parquet's RLE / bit-packing hybrid, for definition levels and dictionary indices: a run
// of at least 8 equal values is one RLE run; other values are bit-packed in groups of 8.

enum RLEHybridEncoder {
    static func encode(_ values: [UInt32], bitWidth: Int, into out: inout [UInt8]) {
        let byteWidth = (bitWidth + 7) / 8
        var literals: [UInt32] = []
        var i = 0
        while i < values.count {
            var run = 1
            while i + run < values.count && values[i + run] == values[i] { run += 1 }
            // Literal groups hold multiples of 8: top them up from the run first.
            if !literals.isEmpty && literals.count % 8 != 0 {
                let take = min(run, 8 - literals.count % 8)
                literals.append(contentsOf: repeatElement(values[i], count: take))
                i += take
                run -= take
                if run == 0 { continue }
            }
            if run >= 8 {
                flush(&literals, bitWidth: bitWidth, into: &out)
                varint(UInt64(run) << 1, into: &out)
                var v = values[i]
                for _ in 0..<byteWidth {
                    out.append(UInt8(v & 0xFF))
                    v >>= 8
                }
            } else {
                literals.append(contentsOf: repeatElement(values[i], count: run))
            }
            i += run
        }
        flush(&literals, bitWidth: bitWidth, into: &out)
    }

    /// Bit-packs the pending literals (padded with zeros to a multiple of 8).
    private static func flush(_ literals: inout [UInt32], bitWidth: Int, into out: inout [UInt8]) {
        guard !literals.isEmpty else { return }
        let groups = (literals.count + 7) / 8
        varint(UInt64(groups) << 1 | 1, into: &out)
        var buffer: UInt64 = 0
        var bits = 0
        for g in 0..<(groups * 8) {
            let v = g < literals.count ? UInt64(literals[g]) : 0
            buffer |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                bits -= 8
            }
        }
        if bits > 0 { out.append(UInt8(buffer & 0xFF)) }
        literals.removeAll(keepingCapacity: true)
    }

    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Bits needed for values up to `maxValue`.
    static func bitWidth(for maxValue: Int) -> Int {
        var width = 0
        while (1 << width) <= maxValue { width += 1 }
        return width
    }
}

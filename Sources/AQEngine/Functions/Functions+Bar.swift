// bar(x, min, max [, width]): a bar of block characters as wide as x is between min and
// max, padded with spaces to `width` (80 by default), character for character as DuckDB.

enum BarFunctions {
    static let all: [String: [Overload]] = [
        "bar": [
            Overload([.double, .double, .double], .varchar) { args, n, fc in try bars(args, n, fc) },
            Overload([.double, .double, .double, .double], .varchar) { args, n, fc in try bars(args, n, fc) },
        ],
    ]

    static let defaultWidth = 80.0
    /// UTF-8 of `█`, and of the partial blocks by eighths (`▏` is 1/8 … `▉` is 7/8).
    static let fullBlock: [UInt8] = Array("█".utf8)
    static let partialBlocks: [[UInt8]] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"].map { Array($0.utf8) }

    static func bars(_ args: [Vector], _ n: Int, _ fc: FunctionContext) throws -> Vector {
        let columns = try args.map { try $0.doubleValues() }
        var writer = StringVectorWriter(capacity: n)
        var buffer: [UInt8] = []
        for i in 0..<n {
            if args.contains(where: { $0.isNull(i) }) {
                writer.appendNull()
                continue
            }
            let width = args.count > 3 ? columns[3][i] : defaultWidth
            guard width.isFinite else { throw invalid("max bar width must not be NaN or infinity", fc) }
            guard width >= 1 else { throw invalid("max bar width must be >= 1", fc) }
            guard width <= 1000 else { throw invalid("max bar width must be <= 1000", fc) }
            buffer.removeAll(keepingCapacity: true)
            try bar(columns[0][i], min: columns[1][i], max: columns[2][i], width: width, fc, into: &buffer)
            writer.append(bytes: buffer)
        }
        return writer.build(.varchar)
    }

    /// One bar's bytes: whole blocks, one partial block for the remaining eighths, spaces.
    static func bar(_ x: Double, min: Double, max: Double, width: Double, _ fc: FunctionContext,
                    into out: inout [UInt8]) throws {
        var length: Double
        if x.isNaN || min.isNaN || max.isNaN || x <= min {
            length = 0
        } else if x >= max {
            length = width
        } else {
            length = width * (x - min) / (max - min)
        }
        guard length.isFinite else { throw invalid("bar width must not be NaN or infinity", fc) }
        let eighths = Int(length * 8)
        var used = eighths / 8
        for _ in 0..<used { out.append(contentsOf: fullBlock) }
        if eighths % 8 != 0 {
            out.append(contentsOf: partialBlocks[eighths % 8])
            used += 1
        }
        let columns = Int(width)
        if used < columns { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: columns - used)) }
    }

    private static func invalid(_ message: String, _ fc: FunctionContext) -> ExecutionError {
        .invalidArgument(function: "bar", message: message, range: fc.range)
    }
}

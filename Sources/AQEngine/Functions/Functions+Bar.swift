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
            let length = BarText.length(columns[0][i], min: columns[1][i], max: columns[2][i], width: width)
            guard length.isFinite else { throw invalid("bar width must not be NaN or infinity", fc) }
            buffer.removeAll(keepingCapacity: true)
            BarText.append(length: length, columns: Int(width), into: &buffer)
            writer.append(bytes: buffer)
        }
        return writer.build(.varchar)
    }

    private static func invalid(_ message: String, _ fc: FunctionContext) -> ExecutionError {
        .invalidArgument(function: "bar", message: message, range: fc.range)
    }
}

/// Bars of block characters, for `bar()` and for charts drawn outside a query (`.chart`).
public enum BarText {
    /// UTF-8 of `█`, and of the partial blocks by eighths (`▏` is 1/8 … `▉` is 7/8).
    static let fullBlock: [UInt8] = Array("█".utf8)
    static let partialBlocks: [[UInt8]] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"].map { Array($0.utf8) }

    /// `bar(x, min, max, width)` as a string (blank when an argument is not a number).
    public static func bar(_ x: Double, min: Double, max: Double, width: Int) -> String {
        let length = BarText.length(x, min: min, max: max, width: Double(width))
        var bytes: [UInt8] = []
        append(length: length.isFinite ? length : 0, columns: width, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How many columns the bar of x fills: 0 at or below min (or for NaN), `width` at or
    /// above max, in proportion between.
    static func length(_ x: Double, min: Double, max: Double, width: Double) -> Double {
        if x.isNaN || min.isNaN || max.isNaN || x <= min { return 0 }
        return x >= max ? width : width * (x - min) / (max - min)
    }

    /// Whole blocks, one partial block for the remaining eighths, then spaces to `columns`.
    static func append(length: Double, columns: Int, into out: inout [UInt8]) {
        let eighths = Int(length * 8)
        var used = eighths / 8
        for _ in 0..<used { out.append(contentsOf: fullBlock) }
        if eighths % 8 != 0 {
            out.append(contentsOf: partialBlocks[eighths % 8])
            used += 1
        }
        if used < columns { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: columns - used)) }
    }
}

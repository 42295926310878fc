// The compression codecs of Parquet pages aq writes: none, or gzip through zlib.

import CZlib

public enum PageCompression: String, CaseIterable, Sendable {
    case uncompressed
    case gzip

    /// Parquet's CompressionCodec number.
    var codec: Int32 {
        switch self {
        case .uncompressed: return 0
        case .gzip: return 2
        }
    }

    /// The page's bytes, compressed; nil if zlib failed (out of memory).
    func compress(_ input: [UInt8]) -> [UInt8]? {
        switch self {
        case .uncompressed: return input
        case .gzip: return PageCompression.gzip(input)
        }
    }

    private static func gzip(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard aq_gzip_deflate_init(&stream, 6) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var input = input
        let status: Int32 = input.withUnsafeMutableBytes { src in
            output.withUnsafeMutableBytes { dst in
                stream.next_in = src.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(dst.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}

// The constants of the store file format (docs/file-format.md): the magic bytes, the
// version this aq writes and reads, and the kinds of section.

enum StoreFormat {
    /// `\x89AQDB\r\n\x1a`: not text (the high byte), and damaged by a line-ending or
    /// end-of-file conversion in a way the reader sees, as PNG's signature is.
    static let magic: [UInt8] = [0x89, 0x41, 0x51, 0x44, 0x42, 0x0D, 0x0A, 0x1A]
    static let version: UInt32 = 5
    /// Magic, version, section count, content hash, reserved, header checksum; later
    /// versions keep these 32 bytes, so that this aq can say that a file is newer.
    static let headerSize = 32
    /// Version 1's header: magic, version, section count, reserved, header checksum (no
    /// content hash). Still read.
    static let headerSizeV1 = 24
    /// Kind, reserved, payload length, payload checksum, header checksum.
    static let sectionHeaderSize = 24
    /// Chunks per chunk section: bounds the memory a section takes to write and to check.
    static let chunksPerSection = 64

    enum Section: UInt32 {
        /// A table's schema, constraints, dictionaries and JSON path summaries.
        case table = 1
        /// Consecutive chunks of the table before them.
        case chunks = 2
        case views = 3
        /// The files loaded into the store (SHOW SOURCES, incremental LOAD).
        case sources = 4
        /// The last section: the file's total size.
        case end = 5

        var name: String {
            switch self {
            case .table: return "table section"
            case .chunks: return "chunk section"
            case .views: return "views section"
            case .sources: return "sources section"
            case .end: return "end section"
            }
        }
    }
}

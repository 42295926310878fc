// What an incremental LOAD does with a file an earlier load read: pass over it when it is the
// same file (same path, size and modification time, or only touched: the same bytes under a
// new modification time); one whose contents changed since is read again when the database
// can replace its old rows (it knows where they are), else passed over with a warning, as
// loading it again would add its old rows a second time (docs/language.md).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files a load passed over because an earlier load read them.
public struct PassedOver: Sendable {
    /// Same resolved path, size and modification time.
    public var unchanged = 0
    /// Only the modification time changed: the bytes hash as before. Their identities as
    /// they are now (so that the record can be brought up to date).
    public var touched: [FileIdentity] = []
    /// Contents changed since the earlier load (paths as the load found them), not read again
    /// because the rows it gave then cannot be told apart.
    public var changed: [String] = []

    public init() {}
}

/// The identities of the files loaded before, by resolved path.
struct KnownFiles {
    enum Status {
        /// Never loaded, or loaded without giving a row (then empty, or of no known format).
        case new
        case unchanged
        /// Same bytes, other modification time: the identity now, with its hash.
        case touched(FileIdentity)
        case changed
    }

    private var exact: Set<[String]> = []
    /// The last record of each path that gave rows.
    private var latest: [String: FileIdentity] = [:]

    init(_ known: [(identity: FileIdentity, rows: Int)]) {
        for (id, rows) in known {
            exact.insert(KnownFiles.key(id))
            if rows > 0 { latest[id.canonicalPath] = id }
        }
    }

    private static func key(_ id: FileIdentity) -> [String] { [id.canonicalPath, String(id.size), String(id.modified)] }

    /// What `id` (the file at `path` now) is to the earlier loads. A file of the same size
    /// under a new modification time is read once more here, to hash it.
    func status(of id: FileIdentity, path: String) -> Status {
        if exact.contains(KnownFiles.key(id)) { return .unchanged }
        guard let before = latest[id.canonicalPath] else { return .new }
        guard before.size == id.size, before.contentHash != 0,
              let hash = InputFile.diskHash(path: path), hash == before.contentHash else { return .changed }
        var now = id
        now.contentHash = hash
        return .touched(now)
    }
}

extension InputFile {
    /// The hash of the file at `path` as a load computes it (`diskHash`), read a piece at a
    /// time; nil when it cannot be read.
    static func diskHash(path: String) -> UInt64? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: readPiece, alignment: 16)
        defer { piece.deallocate() }
        var hash = ContentHash.Blocks(blockSize: WorkPlan.partSize)
        var offset = 0
        while true {
            let n = pread(fd, piece.baseAddress, readPiece, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            hash.add(UnsafeRawBufferPointer(rebasing: piece[0..<n]))
            offset += n
        }
        return hash.value
    }
}

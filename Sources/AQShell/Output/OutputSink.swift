// Where output goes: standard output, standard error, a file (`.output FILE`) or memory
// (tests), through one buffered writer.

import AQEngine

#if canImport(Glibc)
import Glibc
#endif

/// A buffered byte writer. Not thread-safe; the shell writes from one thread.
public final class OutputSink: ByteOutput {
    private enum Target {
        case descriptor(Int32, owned: Bool)
        case memory
    }

    private let target: Target
    /// Skips Swift's run-time exclusivity checks: a sink is written by one thread, no access
    /// to the buffer overlaps another, and the checks cost more than the write of a field.
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    /// Everything written, for a memory sink.
    public private(set) var captured: [UInt8] = []
    /// The path of a file sink, for `.output` messages.
    public let path: String?
    /// The system's reason when a write failed (a closed pipe, a full disk); later writes
    /// are dropped.
    public private(set) var failure: Int32?
    /// Whether a write failed.
    public var failed: Bool { failure != nil }
    /// Whether the reader went away (`aq … | head`): a write failed with EPIPE, which is
    /// what a write gives when SIGPIPE is ignored.
    public var readerClosed: Bool { failure == EPIPE }
    /// The running statement's token: once it is cancelled (Ctrl-C while a result is
    /// written), the formats stop at the next batch of rows.
    public var cancellation: CancellationToken?

    /// Whether writing should stop: Ctrl-C, or a write that failed.
    public var isInterrupted: Bool { failed || cancellation?.isCancelled == true }

    private init(target: Target, path: String?) {
        self.target = target
        self.path = path
        buffer.reserveCapacity(1 << 16)
    }

    public static func standardOutput() -> OutputSink { OutputSink(target: .descriptor(1, owned: false), path: nil) }
    public static func standardError() -> OutputSink { OutputSink(target: .descriptor(2, owned: false), path: nil) }

    /// A sink that keeps what is written in `captured`.
    public static func memory() -> OutputSink { OutputSink(target: .memory, path: nil) }

    /// A sink that writes (truncating) the file at `path`; throws the system's reason.
    public static func file(_ path: String) throws -> OutputSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError(path: path, errno: errno) }
        return OutputSink(target: .descriptor(fd, owned: true), path: path)
    }

    deinit {
        flush()
        if case .descriptor(let fd, true) = target { close(fd) }
    }

    /// Whether this sink is a terminal (limits and colors apply).
    public var isTerminal: Bool {
        if case .descriptor(let fd, _) = target { return isatty(fd) == 1 }
        return false
    }

    /// The captured text of a memory sink.
    public var text: String {
        flush()
        return String(decoding: captured, as: UTF8.self)
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Writes `text` and a newline.
    public func line(_ text: String) {
        write(text)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes raw bytes (a string column's value, without making a String).
    @inline(__always)
    public func write(bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    @inline(__always)
    public func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Ends a row: writes out the buffer once it is large.
    @inline(__always)
    func endRow() {
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out what is buffered.
    public func flush() {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        switch target {
        case .memory:
            captured.append(contentsOf: buffer)
        case .descriptor(let fd, _):
            guard !failed else { return }
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    offset += n
                }
            }
        }
    }
}

/// A failed system call on a path, worded as `path: No such file or directory`.
public struct SystemError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public init(path: String, errno: Int32) {
        self.path = path
        self.errno = errno
    }

    public var reason: String { String(cString: strerror(errno)).lowercased() }
    public var description: String { "\(path): \(reason)" }
}

// The byte buffers that carry a chunk's text from the loading thread to the thread that
// compresses it, used again chunk after chunk: a chunk's text is megabytes, and a fresh
// buffer for each would either fault in new pages every time or, kept by the allocator
// between chunks, leave the heap fragmented (the load's peak memory).

/// One chunk's text on its way to compression.
final class TextBuffer: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// Buffers given back once their text is compressed, taken again for the next chunk.
final class TextBufferPool: @unchecked Sendable {
    private let lock = PlainMutex()
    private var free: [TextBuffer] = []
    /// At most this many are kept (the chunks that can be in flight at once, and spare).
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// An empty buffer, with the capacity it had when given back.
    func take() -> TextBuffer {
        let buffer = lock.locked { free.popLast() } ?? TextBuffer()
        buffer.bytes.removeAll(keepingCapacity: true)
        return buffer
    }

    /// Gives `buffer` back; its bytes are not read again by whoever gave it.
    func give(_ buffer: TextBuffer) {
        lock.locked { if free.count < limit { free.append(buffer) } }
    }
}

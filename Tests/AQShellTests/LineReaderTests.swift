import XCTest
@testable import AQShell

final class LineReaderTests: XCTestCase {
    private func lines(_ reader: LineReader) -> [String] {
        var out: [String] = []
        while case .line(let line) = reader.readLine(prompt: "", pending: "") { out.append(line) }
        return out
    }

    func testTextReaderSplitsLinesAndDropsCarriageReturns() {
        XCTAssertEqual(lines(TextLineReader("a\r\nb\n\nc")), ["a", "b", "", "c"])
        XCTAssertEqual(lines(TextLineReader("a\n")), ["a"])
        XCTAssertEqual(lines(TextLineReader("")), [])
    }

    func testDescriptorReaderReadsAPipeAcrossChunks() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        // Longer than one 64 KiB read, with a line across the boundary and no final newline.
        let long = String(repeating: "x", count: 70_000)
        let text = "SELECT 1;\r\n\(long)\nlast"
        let writeEnd = fds[1]
        let writer = Thread {
            var bytes = Array(text.utf8)
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeMutableBytes { write(writeEnd, $0.baseAddress! + done, $0.count - done) }
                if n <= 0 { break }
                done += n
            }
            close(writeEnd)
        }
        writer.start()
        let reader = DescriptorLineReader(fd: fds[0])
        XCTAssertFalse(reader.isInteractive)
        XCTAssertEqual(lines(reader), ["SELECT 1;", long, "last"])
        XCTAssertEqual(reader.readLine(prompt: "", pending: ""), .end)
        close(fds[0])
    }
}

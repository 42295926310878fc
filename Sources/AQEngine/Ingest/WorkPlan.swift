// How a load's files are shared among the workers: runs of small files read as one unit, and
// a large JSON-lines file cut into parts at line boundaries, so that one big export uses every
// core too.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one worker reads in one go.
enum WorkUnit: Equatable {
    /// Consecutive whole files (indices into the load's files).
    case files(Range<Int>)
    /// Part `index` of `count` of a large JSON-lines file of `format`: the lines that start
    /// in `bytes`.
    case part(file: Int, bytes: Range<Int>, format: AuditLogFormat, index: Int, count: Int)
}

enum WorkPlan {
    /// Size of the parts a large JSON-lines file is cut into; files of at least twice this are cut.
    nonisolated(unsafe) static var partSize = 16 << 20

    /// The units of `files`, in path order.
    static func units(_ files: [InputPath], format: AuditLogFormat?) -> [WorkUnit] {
        var units: [WorkUnit] = []
        var run = 0
        func flush(upTo end: Int) {
            if run < end {
                units += runs(Array(files[run..<end])).map { .files($0.lowerBound + run..<$0.upperBound + run) }
            }
        }
        for (i, file) in files.enumerated() where file.size >= 2 * partSize {
            guard let detected = jsonLinesFormat(file.path, format: format) else { continue }
            flush(upTo: i)
            let count = (file.size + partSize - 1) / partSize
            for k in 0..<count {
                let bytes = k * partSize..<min(file.size, (k + 1) * partSize)
                units.append(.part(file: i, bytes: bytes, format: detected, index: k, count: count))
            }
            run = i + 1
        }
        flush(upTo: files.count)
        return units
    }

    /// The format of a file that can be cut at line boundaries: plain (not gzip) JSON lines
    /// whose first record is a whole object on the first line, not a `{"Records":[…]}` file.
    static func jsonLinesFormat(_ path: String, format: AuditLogFormat?) -> AuditLogFormat? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = 1 << 16
        let head = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { head.deallocate() }
        let n = pread(fd, head, size, 0)
        guard n > 2, head[0] != 0x1F || head[1] != 0x8B else { return nil }
        let count = Int(n)
        let start = FormatDetector.textStart(head, count)
        guard start < count, head[start] == 0x7B,
              let newline = memchr(head + start, 0x0A, count - start) else { return nil }
        let lineEnd = UnsafeRawPointer(newline) - UnsafeRawPointer(head)
        let scanner = JSONScanner()
        scanner.reset(base: head, count: count)
        guard !scanner.firstKey(of: start, count, is: "Records"),
              scanner.skipValue(start, lineEnd) >= 0 else { return nil }
        return format ?? FormatDetector.detectJSON(head, count, at: start, scanner: scanner)
    }

    /// Runs of consecutive files read as one unit by one worker: up to 8 MB or 64 files, so
    /// that thousands of small files (CloudTrail writes many) cost little more than their bytes,
    /// while large files still spread over the cores. The file count bounds a run of small
    /// files of short records (Alibaba's event line: CSV files of 13 KB, of 70-byte rows that
    /// each become a JSON `raw`), which take many times as long a byte: 256 of them were one
    /// unit of 3.4 MB read for 90 ms on one core, the other cores idle behind it for the most
    /// part (the results are taken in order, and only a few may wait).
    static let maxRunFiles = 64

    static func runs(_ files: [InputPath]) -> [Range<Int>] {
        var units: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (i, file) in files.enumerated() {
            if i > start, bytes + file.size > 8 << 20 || i - start == maxRunFiles {
                units.append(start..<i)
                start = i
                bytes = 0
            }
            bytes += file.size
        }
        if start < files.count { units.append(start..<files.count) }
        return units
    }
}

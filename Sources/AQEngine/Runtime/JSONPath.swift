// JSON paths as DuckDB writes them: `$.a.b[0].c`, `$."Event category"`, `$[-1]`, `$.a[#-1]`,
// JSON pointers `/a/b/0`, and a bare key `a`. A bare `a.b` that is not a key of the document
// is also tried as the path `$.a.b`.

struct JSONPath: Hashable {
    enum Step: Hashable {
        case key([UInt8])
        /// From the start; negative from the end (-1 is the last element).
        case index(Int)
    }

    var steps: [Step]
    /// Tried when `steps` lead nowhere (a bare `a.b` read as `$.a.b`).
    var fallback: [Step]?

    /// Parses `text`; nil with a reason when it is not a path.
    static func parse(_ text: String) -> Result<JSONPath, PathError> {
        let bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "$") {
            return parseDollar(bytes).map { JSONPath(steps: $0, fallback: nil) }
        }
        if bytes.first == UInt8(ascii: "/") {
            return .success(JSONPath(steps: parsePointer(bytes), fallback: nil))
        }
        var fallback: [Step]?
        if bytes.contains(UInt8(ascii: ".")) || bytes.contains(UInt8(ascii: "[")),
           case .success(let steps) = parseDollar([UInt8(ascii: "$"), UInt8(ascii: ".")] + bytes) {
            fallback = steps
        }
        return .success(JSONPath(steps: [.key(bytes)], fallback: fallback))
    }

    struct PathError: Error {
        let message: String
    }

    static func parseDollar(_ p: [UInt8]) -> Result<[Step], PathError> {
        var steps: [Step] = []
        var i = 1
        let n = p.count
        func error(_ at: Int) -> Result<[Step], PathError> {
            let rest = String(decoding: p[min(at, n)...], as: UTF8.self)
            return .failure(PathError(message: "invalid json path near '\(rest)'"))
        }
        while i < n {
            switch p[i] {
            case UInt8(ascii: "."):
                i += 1
                guard i < n else { return error(i - 1) }
                if p[i] == UInt8(ascii: "\"") {
                    var key: [UInt8] = []
                    var j = i + 1
                    var closed = false
                    while j < n {
                        if p[j] == UInt8(ascii: "\\"), j + 1 < n { key.append(p[j + 1]); j += 2; continue }
                        if p[j] == UInt8(ascii: "\"") { closed = true; break }
                        key.append(p[j])
                        j += 1
                    }
                    guard closed else { return error(i - 1) }
                    steps.append(.key(key))
                    i = j + 1
                } else {
                    let start = i
                    while i < n, p[i] != UInt8(ascii: "."), p[i] != UInt8(ascii: "[") { i += 1 }
                    let key = Array(p[start..<i])
                    guard !key.isEmpty, key != [UInt8(ascii: "*")] else { return error(start - 1) }
                    steps.append(.key(key))
                }
            case UInt8(ascii: "["):
                let start = i
                i += 1
                var fromEnd = false
                if i < n, p[i] == UInt8(ascii: "#") {
                    fromEnd = true
                    i += 1
                    guard i < n, p[i] == UInt8(ascii: "-") else { return error(start) }
                }
                var negative = false
                if i < n, p[i] == UInt8(ascii: "-") { negative = true; i += 1 }
                var v = 0, digits = 0
                while i < n, p[i] &- 48 < 10, digits < 9 { v = v * 10 + Int(p[i] - 48); i += 1; digits += 1 }
                guard digits > 0, i < n, p[i] == UInt8(ascii: "]") else { return error(start) }
                i += 1
                if fromEnd && v == 0 { return error(start) }
                steps.append(.index(negative || fromEnd ? -v : v))
            default:
                return error(i)
            }
        }
        return .success(steps)
    }

    /// `/a/b/0`: `~1` is `/`, `~0` is `~`; a number also indexes an array.
    static func parsePointer(_ p: [UInt8]) -> [Step] {
        var steps: [Step] = []
        for token in p.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            var key: [UInt8] = []
            var k = token.startIndex
            while k < token.endIndex {
                if token[k] == UInt8(ascii: "~"), k + 1 < token.endIndex {
                    key.append(token[k + 1] == UInt8(ascii: "1") ? UInt8(ascii: "/") : UInt8(ascii: "~"))
                    k += 2
                    continue
                }
                key.append(token[k])
                k += 1
            }
            steps.append(.key(key))
        }
        return steps
    }

    /// The value's byte range in `document`, or nil.
    func find(in document: UnsafeRawBufferPointer) -> Range<Int>? {
        if let r = JSONReader.find(document, self.steps) { return r }
        if let fallback { return JSONReader.find(document, fallback) }
        return nil
    }
}

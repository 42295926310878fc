// Errors are data: every stage's error enum conforms to `Diagnostic`, and one renderer
// (`Diagnostic+Render.swift`) turns any of them into text with the line and a caret.

/// An error that can say what is wrong and, when it is known, where.
public protocol Diagnostic: Error, CustomStringConvertible {
    /// A short lower-case message: `expected ')', found 'FROM'`.
    var message: String { get }
    /// Where in the statement's source the problem is, if anywhere.
    var range: SourceRange? { get }
}

extension Diagnostic {
    public var description: String { message }
}

/// Words for "did you mean": the candidate nearest to `name` by edit distance, if near enough.
public func nearestName(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased().utf8)
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(target, Array(candidate.lowercased().utf8))
        if d == 0 { continue }
        if best == nil || d < best!.1 { best = (candidate, d) }
    }
    guard let (found, distance) = best else { return nil }
    let limit = max(1, min(3, target.count / 3 + 1))
    return distance <= limit ? found : nil
}

/// Levenshtein distance of two byte strings, with adjacent transpositions counting one.
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prevPrev = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, current[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prevPrev[j - 2] + 1) }
            current[j] = v
        }
        (prevPrev, prev, current) = (prev, current, prevPrev)
    }
    return prev[b.count]
}

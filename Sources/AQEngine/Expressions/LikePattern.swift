// A LIKE pattern compiled once into fast cases (exact, prefix%, %suffix, %contains%,
// segments) and matched over bytes.

/// A compiled LIKE pattern over bytes.
struct LikePattern {
    enum Element: Equatable { case byte(UInt8), anyCharacter }

    /// Pieces between `%`s. The first is anchored at the start unless the pattern starts with
    /// `%`; the last at the end unless it ends with `%`.
    let segments: [[Element]]
    let leadingPercent: Bool
    let trailingPercent: Bool
    /// Literal bytes of each segment when it has no `_` (for memmem).
    let literals: [[UInt8]?]

    /// Why a pattern is invalid, for `ExecutionError.invalidArgument`.
    struct Invalid: Error { let message: String }

    init(_ pattern: UnsafeRawBufferPointer, escape: [UInt8]?) throws {
        var segments: [[Element]] = [[]]
        var sawPercent = false
        var leading = false, trailing = false
        var i = 0
        let n = pattern.count
        while i < n {
            if let escape, !escape.isEmpty, i + escape.count <= n,
               escape.indices.allSatisfy({ pattern[i + $0] == escape[$0] }) {
                i += escape.count
                guard i < n else { throw Invalid(message: "like pattern must not end with the escape character") }
                // The escaped character, whole (it may be several bytes).
                let len = StringKernels.utf8Length(pattern[i])
                for k in i..<min(n, i + len) { segments[segments.count - 1].append(.byte(pattern[k])) }
                i += len
                trailing = false
                continue
            }
            let c = pattern[i]
            if c == UInt8(ascii: "%") {
                if i == 0 { leading = true }
                if !(segments.last?.isEmpty ?? true) || !sawPercent { segments.append([]) }
                sawPercent = true
                trailing = true
            } else if c == UInt8(ascii: "_") {
                segments[segments.count - 1].append(.anyCharacter)
                trailing = false
            } else {
                segments[segments.count - 1].append(.byte(c))
                trailing = false
            }
            i += 1
        }
        // "a%b" → ["a", "b"]; "%a" → ["", "a"]; "a%" → ["a", ""]: drop empty ends of `%`s.
        if sawPercent {
            if leading, segments.first?.isEmpty == true { segments.removeFirst() }
            if trailing, segments.last?.isEmpty == true { segments.removeLast() }
        }
        self.segments = segments
        self.leadingPercent = leading
        self.trailingPercent = trailing
        self.literals = segments.map { seg in
            seg.contains(.anyCharacter) ? nil : seg.map { if case .byte(let b) = $0 { return b } else { return 0 } }
        }
        self.hasPercent = sawPercent
    }

    let hasPercent: Bool


    /// Matches `segment` at `p`; the end position, or nil.
    @inline(__always)
    static func match(_ segment: [Element], _ s: UnsafeRawBufferPointer, at p: Int) -> Int? {
        var q = p
        for e in segment {
            guard q < s.count else { return nil }
            switch e {
            case .byte(let b):
                if s[q] != b { return nil }
                q += 1
            case .anyCharacter:
                q += StringKernels.utf8Length(s[q])
                if q > s.count { return nil }
            }
        }
        return q
    }

    /// The leftmost match of segment k at or after `p`: (start, end).
    @inline(__always)
    func find(_ k: Int, _ s: UnsafeRawBufferPointer, from p: Int) -> (Int, Int)? {
        if let lit = literals[k] {
            if lit.isEmpty { return (p, p) }
            guard let start = lit.withUnsafeBytes({ StringKernels.find(s, $0, from: p) }) else { return nil }
            return (start, start + lit.count)
        }
        var start = p
        while start <= s.count {
            if let end = LikePattern.match(segments[k], s, at: start) { return (start, end) }
            start += 1
        }
        return nil
    }

    func matches(_ s: UnsafeRawBufferPointer) -> Bool {
        if !hasPercent {
            return LikePattern.match(segments[0], s, at: 0) == s.count
        }
        if segments.isEmpty { return true }
        var k = 0
        var pos = 0
        var last = segments.count - 1
        if !leadingPercent {
            guard let end = LikePattern.match(segments[0], s, at: 0) else { return false }
            pos = end
            k = 1
        }
        var tailStart = s.count
        if !trailingPercent && k <= last {
            // The last segment must end at the end of the string.
            if let lit = literals[last] {
                guard s.count - lit.count >= pos else { return false }
                tailStart = s.count - lit.count
                for (j, b) in lit.enumerated() where s[tailStart + j] != b { return false }
            } else {
                var start = s.count
                var ok = false
                while start >= pos {
                    if LikePattern.match(segments[last], s, at: start) == s.count { ok = true; break }
                    start -= 1
                }
                guard ok else { return false }
                tailStart = start
            }
            last -= 1
        } else if !trailingPercent {
            return pos == s.count
        }
        while k <= last {
            guard let (_, end) = find(k, s, from: pos), end <= tailStart else { return false }
            pos = end
            k += 1
        }
        return pos <= tailStart
    }
}

// Frames: for each position, the positions its frame covers, as at most three runs in
// position order once EXCLUDE has cut the current row, its peers or its ties out of it.

import AQSyntax

/// Up to three runs of positions `[lo, hi)`, in order; empty runs have `lo == hi`.
struct FramePieces {
    var runs: (Int, Int, Int, Int, Int, Int)

    @inline(__always) func forEach(_ body: (Int, Int) throws -> Void) rethrows {
        if runs.0 < runs.1 { try body(runs.0, runs.1) }
        if runs.2 < runs.3 { try body(runs.2, runs.3) }
        if runs.4 < runs.5 { try body(runs.4, runs.5) }
    }

    /// The runs from last to first.
    @inline(__always) func forEachReversed(_ body: (Int, Int) throws -> Void) rethrows {
        if runs.4 < runs.5 { try body(runs.4, runs.5) }
        if runs.2 < runs.3 { try body(runs.2, runs.3) }
        if runs.0 < runs.1 { try body(runs.0, runs.1) }
    }
}

/// The frame of every position of a specification's partitions.
struct WindowFrames {
    let start: [Int32]
    let end: [Int32]
    let exclude: FrameExclusion
    private let peerStart: [Int32]
    private let peerEnd: [Int32]

    init(_ frame: BoundFrame, _ parts: WindowPartitions, key: Vector?, descending: Bool) throws {
        let n = parts.count
        var start = [Int32](repeating: 0, count: n)
        var end = [Int32](repeating: 0, count: n)
        let search = try RangeSearch(frame, key: key, descending: descending, parts: parts)
        for p in 0..<parts.partitionCount {
            let ps = parts.starts[p], pe = parts.starts[p + 1]
            let nonNull = search?.nonNullRun(ps, pe, parts) ?? (ps, pe)
            for i in ps..<pe {
                var s: Int, e: Int
                switch frame.unit {
                case .rows:
                    s = WindowFrames.rowsBound(frame.start, i, ps, pe, isEnd: false)
                    e = WindowFrames.rowsBound(frame.end, i, ps, pe, isEnd: true)
                case .range:
                    s = search?.bound(frame.start, i, ps, pe, nonNull, isEnd: false, parts)
                        ?? WindowFrames.peerBound(frame.start, i, ps, pe, parts, isEnd: false)
                    e = search?.bound(frame.end, i, ps, pe, nonNull, isEnd: true, parts)
                        ?? WindowFrames.peerBound(frame.end, i, ps, pe, parts, isEnd: true)
                }
                if e < s { e = s }
                start[i] = Int32(s)
                end[i] = Int32(e)
            }
        }
        self.start = start
        self.end = end
        self.exclude = frame.exclude
        self.peerStart = parts.peerStart
        self.peerEnd = parts.peerEnd
    }

    /// A ROWS bound: offsets count rows, clamped to the partition.
    private static func rowsBound(_ b: BoundFrameBound, _ i: Int, _ ps: Int, _ pe: Int, isEnd: Bool) -> Int {
        let shift = isEnd ? 1 : 0
        switch b {
        case .unboundedPreceding: return ps
        case .unboundedFollowing: return pe
        case .currentRow: return i + shift
        case .preceding(let v): return Swift.max(ps, Swift.min(pe, i + shift - WindowFrames.count(v)))
        case .following(let v):
            let k = WindowFrames.count(v)
            return k >= pe - i ? pe : Swift.max(ps, i + shift + k)
        }
    }

    /// A RANGE bound without offsets: the partition's ends or the row's peer group.
    private static func peerBound(_ b: BoundFrameBound, _ i: Int, _ ps: Int, _ pe: Int, _ parts: WindowPartitions,
                                  isEnd: Bool) -> Int {
        switch b {
        case .unboundedPreceding: return ps
        case .unboundedFollowing: return pe
        default: return Int(isEnd ? parts.peerEnd[i] : parts.peerStart[i])
        }
    }

    static func count(_ v: Value) -> Int {
        if case .integer(let k) = v { return Int(clamping: k) }
        return 0
    }

    /// Whether, within each partition, frames never start or end before the previous row's.
    func onlyMoveForward(_ parts: WindowPartitions) -> Bool {
        for p in 0..<parts.partitionCount where parts.starts[p + 1] - parts.starts[p] > 1 {
            for i in (parts.starts[p] + 1)..<parts.starts[p + 1] where start[i] < start[i - 1] || end[i] < end[i - 1] {
                return false
            }
        }
        return true
    }

    /// The runs of position i's frame after exclusions.
    @inline(__always) func pieces(_ i: Int) -> FramePieces {
        let s = Int(start[i]), e = Int(end[i])
        let xs: Int, xe: Int
        switch exclude {
        case .noOthers: return FramePieces(runs: (s, e, 0, 0, 0, 0))
        case .currentRow: xs = i; xe = i + 1
        case .group, .ties: xs = Int(peerStart[i]); xe = Int(peerEnd[i])
        }
        let firstEnd = Swift.max(s, Swift.min(e, xs))
        let lastStart = Swift.min(e, Swift.max(s, xe))
        let keepSelf = exclude == .ties && s <= i && i < e
        return FramePieces(runs: (s, firstEnd, keepSelf ? i : 0, keepSelf ? i + 1 : 0, lastStart, e))
    }
}

/// RANGE offsets over the one ORDER BY key: binary searches in each partition's run of
/// non-NULL keys. A row whose key is NULL has its NULL peers as offset bounds.
private struct RangeSearch {
    private enum Keys { case ints([Int64]), doubles([Double]) }
    private let keys: Keys
    private let valid: Validity?
    private let descending: Bool
    private let startOffset: Value?
    private let endOffset: Value?

    init?(_ frame: BoundFrame, key: Vector?, descending: Bool, parts: WindowPartitions) throws {
        func offset(_ b: BoundFrameBound) -> Value? {
            switch b {
            case .preceding(let v), .following(let v): return v
            default: return nil
            }
        }
        guard frame.unit == .range, let key, offset(frame.start) != nil || offset(frame.end) != nil else { return nil }
        startOffset = offset(frame.start)
        endOffset = offset(frame.end)
        self.descending = descending
        valid = key.isNullStorage ? Validity(allNull: key.count) : key.validity
        switch key.storage {
        case .int64(let a):
            // Dates are days; their offsets are intervals, so they are compared as times.
            keys = .ints(key.type == .date ? a.map { $0 &* 86_400_000_000_000 } : a)
        case .double(let a):
            keys = .doubles(a)
        case .null(let c):
            keys = .ints([Int64](repeating: 0, count: c))
        default:
            throw ExecutionError.unsupported("RANGE offsets over \(key.type) keys", range: nil)
        }
    }

    /// The run of positions of partition [ps, pe) whose keys are not NULL.
    func nonNullRun(_ ps: Int, _ pe: Int, _ parts: WindowPartitions) -> (Int, Int) {
        guard let valid else { return (ps, pe) }
        var lo = ps, hi = pe
        while lo < hi, !valid.isValid(Int(parts.rows[lo])) { lo += 1 }
        while hi > lo, !valid.isValid(Int(parts.rows[hi - 1])) { hi -= 1 }
        return (lo, hi)
    }

    func bound(_ b: BoundFrameBound, _ i: Int, _ ps: Int, _ pe: Int, _ run: (Int, Int), isEnd: Bool,
               _ parts: WindowPartitions) -> Int {
        let row = Int(parts.rows[i])
        switch b {
        case .unboundedPreceding: return ps
        case .unboundedFollowing: return pe
        case .currentRow: return Int(isEnd ? parts.peerEnd[i] : parts.peerStart[i])
        case .preceding(let v), .following(let v):
            if let valid, !valid.isValid(row) { return Int(isEnd ? parts.peerEnd[i] : parts.peerStart[i]) }
            var preceding = false
            if case .preceding = b { preceding = true }
            // Toward the start of the order: smaller keys ascending, larger descending.
            let towardStart = preceding != descending
            switch keys {
            case .ints(let a):
                let d = RangeSearch.intOffset(v)
                let target = towardStart ? a[row].subtractingReportingOverflow(d) : a[row].addingReportingOverflow(d)
                let t = target.overflow ? (towardStart ? Int64.min : Int64.max) : target.partialValue
                return search(run, parts, isEnd: isEnd) { a[$0] < t ? -1 : (a[$0] > t ? 1 : 0) }
            case .doubles(let a):
                let d = RangeSearch.doubleOffset(v)
                let t = towardStart ? a[row] - d : a[row] + d
                return search(run, parts, isEnd: isEnd) { a[$0] < t ? -1 : (a[$0] > t ? 1 : 0) }
            }
        }
    }

    /// Start: the first position of the run whose key is not before the target; end: the
    /// first whose key is after it. `compare` compares a row's key with the target.
    private func search(_ run: (Int, Int), _ parts: WindowPartitions, isEnd: Bool, _ compare: (Int) -> Int) -> Int {
        var lo = run.0, hi = run.1
        while lo < hi {
            let mid = (lo + hi) >> 1
            var c = compare(Int(parts.rows[mid]))
            if descending { c = -c }
            let goRight = isEnd ? c <= 0 : c < 0
            if goRight { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private static func intOffset(_ v: Value) -> Int64 {
        switch v {
        case .integer(let k): return k
        case .double(let d): return Int64(d)
        case .interval(let x): return Int64(x.days) &* 86_400_000_000_000 &+ x.nanoseconds
        default: return 0
        }
    }

    private static func doubleOffset(_ v: Value) -> Double {
        switch v {
        case .integer(let k): return Double(k)
        case .double(let d): return d
        default: return 0
        }
    }
}

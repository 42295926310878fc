// Running a compiled pattern over UTF-8 bytes: a Pike machine, which keeps every live
// thread of the automaton in step, one per instruction at most. Time is linear in the text
// (times the pattern's size) whatever the pattern, so no pattern and text can make it hang;
// leftmost-first matches with their groups, as RE2 gives them.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The threads at one position, in priority order, without repeats (a sparse set), and the
/// capture slots of each.
private struct ThreadList {
    let sparse: UnsafeMutablePointer<Int32>
    let dense: UnsafeMutablePointer<Int32>
    let slots: UnsafeMutablePointer<Int>
    let slotCount: Int
    var count = 0

    init(size: Int, slotCount: Int) {
        sparse = .allocate(capacity: size)
        sparse.initialize(repeating: 0, count: size)
        dense = .allocate(capacity: size)
        dense.initialize(repeating: 0, count: size)
        slots = .allocate(capacity: max(1, size * slotCount))
        self.slotCount = slotCount
    }

    func free() {
        sparse.deallocate()
        dense.deallocate()
        slots.deallocate()
    }

    @inline(__always)
    func contains(_ pc: Int) -> Bool {
        let k = Int(sparse[pc])
        return k < count && Int(dense[k]) == pc
    }

    @inline(__always)
    mutating func insert(_ pc: Int) {
        sparse[pc] = Int32(count)
        dense[count] = Int32(pc)
        count += 1
    }
}

struct RegexMachine {
    /// Searches `text` for the leftmost-first match. Returns the capture slots (byte offsets,
    /// -1 for a group that took no part) or nil. With `slots` false only whether there is a
    /// match counts, and the first match found ends the search. A cancelled statement ends
    /// the search early (its result is then never used).
    static func search(_ program: RegexProgram, _ text: UnsafeRawBufferPointer, slots wanted: Bool,
                       cancellation: CancellationToken?) -> [Int]? {
        let code = program.instructions
        let size = code.count
        let slotCount = wanted ? program.slotCount : 0
        var current = ThreadList(size: size, slotCount: slotCount)
        var next = ThreadList(size: size, slotCount: slotCount)
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: max(1, slotCount))
        var best: [Int]? = nil
        // Explore stack: a pc (>= 0), or a slot to restore (-1 - slot) followed by its old value.
        var stack: [Int] = []
        stack.reserveCapacity(64)
        defer {
            current.free()
            next.free()
            scratch.deallocate()
        }
        let n = text.count
        let bytes = text.baseAddress?.assumingMemoryBound(to: UInt8.self)

        @inline(__always) func byte(_ i: Int) -> UInt8 { bytes.map { $0[i] } ?? 0 }
        func isWord(_ i: Int) -> Bool {
            guard i >= 0, i < n else { return false }
            let b = byte(i)
            return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
        }
        func holds(_ a: RegexAssertion, _ pos: Int) -> Bool {
            switch a {
            case .textStart: return pos == 0
            case .textEnd: return pos == n
            case .lineStart: return pos == 0 || byte(pos - 1) == 10
            case .lineEnd: return pos == n || byte(pos) == 10
            case .wordBoundary: return isWord(pos - 1) != isWord(pos)
            case .notWordBoundary: return isWord(pos - 1) == isWord(pos)
            }
        }
        /// Adds the thread at `pc` and every thread it reaches without consuming, with `caps`.
        func add(_ list: inout ThreadList, _ pc0: Int, _ pos: Int, _ caps: UnsafeMutablePointer<Int>) {
            stack.append(pc0)
            while let top = stack.popLast() {
                if top < 0 {
                    let slot = -1 - top
                    caps[slot] = stack.removeLast()
                    continue
                }
                let pc = top
                if list.contains(pc) { continue }
                list.insert(pc)
                switch code[pc] {
                case .jump(let target):
                    stack.append(target)
                case .split(let first, let second):
                    stack.append(second)
                    stack.append(first)
                case .save(let slot):
                    if slot < slotCount {
                        stack.append(caps[slot])
                        stack.append(-1 - slot)
                        caps[slot] = pos
                    }
                    stack.append(pc + 1)
                case .assert(let a):
                    if holds(a, pos) { stack.append(pc + 1) }
                case .scalar, .set, .any, .match:
                    if slotCount > 0 { (list.slots + pc * slotCount).update(from: caps, count: slotCount) }
                }
            }
        }

        var pos = 0
        var steps = 0
        while true {
            if best == nil, pos == 0 || !program.anchoredStart {
                if current.count == 0, let first = program.firstByte, pos < n, let base = bytes {
                    // Nothing under way: skip to the next place a match can start.
                    guard let found = memchr(base + pos, Int32(first), n - pos) else { break }
                    pos = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                }
                if slotCount > 0 { scratch.update(repeating: -1, count: slotCount) }
                add(&current, 0, pos, scratch)
            }
            if current.count == 0 { break }
            var c: UInt32 = 0
            var length = 1
            if pos < n { (c, length) = decode(bytes!, pos, n) }
            next.count = 0
            var k = 0
            while k < current.count {
                let pc = Int(current.dense[k])
                k += 1
                let caps = current.slots + pc * slotCount
                switch code[pc] {
                case .match:
                    if slotCount == 0 { return [] }
                    best = Array(UnsafeBufferPointer(start: caps, count: slotCount))
                    // Threads after this one have lower priority: drop them.
                    k = current.count
                case .scalar(let a, let b):
                    if pos < n, c == a || c == b { add(&next, pc + 1, pos + length, caps) }
                case .set(let index):
                    if pos < n, program.classes[index].contains(c) { add(&next, pc + 1, pos + length, caps) }
                case .any(let newline):
                    if pos < n, newline || c != 10 { add(&next, pc + 1, pos + length, caps) }
                default:
                    break
                }
            }
            if pos >= n { break }
            swap(&current, &next)
            pos += length
            steps += 1
            if steps & 0xFFFF == 0, cancellation?.isCancelled == true { return nil }
        }
        return best
    }

    /// The scalar at `i` and its length in bytes; a byte that starts no valid sequence is
    /// U+FFFD, one byte long.
    @inline(__always)
    static func decode(_ b: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        @inline(__always) func cont(_ k: Int) -> UInt32? {
            guard i + k < n else { return nil }
            let x = b[i + k]
            return x & 0xC0 == 0x80 ? UInt32(x & 0x3F) : nil
        }
        if b0 >= 0xC2, b0 < 0xE0, let c1 = cont(1) { return ((b0 & 0x1F) << 6 | c1, 2) }
        if b0 >= 0xE0, b0 < 0xF0, let c1 = cont(1), let c2 = cont(2) {
            let v = (b0 & 0x0F) << 12 | c1 << 6 | c2
            if v >= 0x800, !(0xD800...0xDFFF).contains(v) { return (v, 3) }
        }
        if b0 >= 0xF0, b0 < 0xF5, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
            let v = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            if v >= 0x10000, v <= 0x10FFFF { return (v, 4) }
        }
        return (0xFFFD, 1)
    }
}

// A record's wanted values as text: spans of the input buffer, or text decoded (JSON escapes,
// CSV doubled quotes) or assembled (joined paths) in an arena that lives until the next record.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bump allocation for one record's derived text. Earlier allocations stay valid until
/// `reset`, so several decoded values can be held at once.
// Used by its reader's thread alone, per record: no run-time exclusivity checks (see
// `RecordPaths`).
final class ScratchArena {
    private static let blockSize = 1 << 16
    @exclusivity(unchecked) private var block: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var used = 0
    @exclusivity(unchecked) private var extra: [UnsafeMutableRawPointer] = []

    init() { block = .allocate(byteCount: ScratchArena.blockSize, alignment: 16) }

    deinit {
        block.deallocate()
        for p in extra { p.deallocate() }
    }

    func allocate(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if used + n <= ScratchArena.blockSize {
            let p = block + used
            used += n
            return p.assumingMemoryBound(to: UInt8.self)
        }
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1), alignment: 16)
        extra.append(p)
        return p.assumingMemoryBound(to: UInt8.self)
    }

    func reset() {
        used = 0
        if !extra.isEmpty {
            for p in extra { p.deallocate() }
            extra.removeAll(keepingCapacity: true)
        }
    }

    /// `a` + `separator` + `b`, in the arena.
    func join(_ a: UnsafeRawBufferPointer, _ separator: UInt8, _ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let n = a.count + 1 + b.count
        let p = allocate(n)
        if a.count > 0 { memcpy(p, a.baseAddress!, a.count) }
        p[a.count] = separator
        if b.count > 0 { memcpy(p + a.count + 1, b.baseAddress!, b.count) }
        return UnsafeRawBufferPointer(start: p, count: n)
    }
}

/// The current record: the buffer it is in, its slots, and the arena for decoded text.
final class RecordFields {
    var base: UnsafePointer<UInt8>
    let slots: FieldSlots
    let arena: ScratchArena

    init(slotCount: Int, arena: ScratchArena) {
        slots = FieldSlots(count: slotCount)
        self.arena = arena
        base = UnsafePointer(arena.allocate(0))
    }

    @inline(__always)
    func kind(_ slot: Int) -> FieldKind { slots.kindOf(slot) }

    /// The path and code the record's path walk interned `slot`'s string under (0: none).
    @inline(__always)
    func memo(_ slot: Int) -> UInt64 { slots.memoOf(slot) }

    /// Whether `text(slot)` is not nil, without decoding it.
    @inline(__always)
    func hasText(_ slot: Int) -> Bool {
        switch slots.kindOf(slot) {
        case .absent, .null: return false
        default: return slots.end[slot] > slots.start[slot]
        }
    }

    /// `a` when it has text (`hasText`), else `b`: the slot of `text(a) ?? text(b)`.
    @inline(__always)
    func first(_ a: Int, _ b: Int) -> Int { hasText(a) ? a : b }

    @inline(__always)
    func span(_ slot: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + slots.start[slot], count: slots.end[slot] - slots.start[slot])
    }

    /// The value of `slot` as text, or nil when it is absent, JSON null or empty (empty strings
    /// load as NULL). Numbers and literals are their JSON text; objects and arrays their JSON.
    @inline(__always)
    func text(_ slot: Int) -> UnsafeRawBufferPointer? {
        let k = slots.kindOf(slot)
        switch k {
        case .absent, .null: return nil
        case .string, .number, .trueLiteral, .falseLiteral, .object, .array:
            let s = span(slot)
            return s.count == 0 ? nil : s
        case .escapedString:
            let s = JSONText.unescape(span(slot), into: arena)
            return s.count == 0 ? nil : s
        case .csvQuoted:
            let s = CSVText.undouble(span(slot), into: arena)
            return s.count == 0 ? nil : s
        }
    }
}

/// Decoding of JSON string text.
enum JSONText {
    /// The text of a JSON string body with its escapes decoded into UTF-8 (`\uXXXX` with
    /// surrogate pairs; a lone surrogate becomes U+FFFD; an unknown escape keeps its letter).
    static func unescape(_ s: UnsafeRawBufferPointer, into arena: ScratchArena) -> UnsafeRawBufferPointer {
        let out = arena.allocate(s.count)
        var o = 0
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if c != 0x5C || i + 1 >= n {
                out[o] = c; o += 1; i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case 0x6E: out[o] = 0x0A
            case 0x74: out[o] = 0x09
            case 0x72: out[o] = 0x0D
            case 0x62: out[o] = 0x08
            case 0x66: out[o] = 0x0C
            case 0x75:
                guard let point = UnicodeEscape.codePoint(s, i, end: n) else { out[o] = e; o += 1; continue }
                i += point.length
                o += UnicodeEscape.encodeUTF8(point.code, out + o)
                continue
            default: out[o] = e
            }
            o += 1
        }
        return UnsafeRawBufferPointer(start: out, count: o)
    }

    /// Appends `s` as the body of a JSON string (quotes, backslashes and control bytes escaped).
    static func appendEscaped(_ s: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        // Runs that need no escape (most cells are all of one) are copied whole.
        var run = 0
        for i in 0..<s.count {
            let c = s[i]
            guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
            if run < i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[run..<i])) }
            run = i + 1
            switch c {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            default:
                // The other control bytes.
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            }
        }
        if run < s.count { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[run...])) }
    }
}

/// Decoding of CSV cells.
enum CSVText {
    /// The text of a quoted cell's body with each `""` made one `"`.
    static func undouble(_ s: UnsafeRawBufferPointer, into arena: ScratchArena) -> UnsafeRawBufferPointer {
        let out = arena.allocate(s.count)
        var o = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            out[o] = c
            o += 1
            i += (c == 0x22 && i + 1 < s.count && s[i + 1] == 0x22) ? 2 : 1
        }
        return UnsafeRawBufferPointer(start: out, count: o)
    }
}

// The two loops every string kernel shares: apply a function of a row's bytes to each row
// of a flat vector, or to each distinct code of a dictionary vector (memoized for the
// statement), skipping NULL rows. Functions of strings are written once, as byte closures.

enum StringKernels {
    /// The length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
    @inline(__always)
    static func utf8Length(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }

    /// `f(bytes)` for every valid row; nil from `f` is a NULL result.
    /// `memo`: the kernel's name and constant arguments when results may be shared across
    /// batches (nil: the result depends on more than the string).
    static func map<T>(_ strings: StringVector, validity: Validity?, count n: Int, zero: T,
                       context: ExecutionContext, memo: (String, [Value])?,
                       _ f: (UnsafeRawBufferPointer) throws -> T?) rethrows -> (values: [T], validity: Validity?) {
        var out = [T](repeating: zero, count: n)
        var nullMask: [Bool]?
        @inline(__always) func markNull(_ i: Int) {
            if nullMask == nil { nullMask = [Bool](repeating: false, count: n) }
            nullMask![i] = true
        }
        switch strings {
        case .flat(let heap):
            try heap.withAccess { acc in
                try validity.withView { vv in
                    for i in 0..<n where vv.isValid(i) {
                        if let v = try f(acc[i]) { out[i] = v } else { markNull(i) }
                    }
                }
            }
        case .dictionary(let codes, let dictionary) where memo == nil && dictionary.count > 4 * n:
            // A large dictionary and nothing to share it with: per row is cheaper than a table.
            try dictionary.withAccess { acc in
                try validity.withView { vv in
                    for i in 0..<n where vv.isValid(i) {
                        if let v = try f(acc[Int(codes[i])]) { out[i] = v } else { markNull(i) }
                    }
                }
            }
        case .dictionary(let codes, let dictionary):
            let table: CodeTable<T> = context.codeTable(memo?.0 ?? "", memo?.1, dictionary)
            try table.lock.locked {
                table.fit()
                var values = table.values, known = table.known
                table.values = []
                table.known = []
                defer { table.values = values; table.known = known }
                try dictionary.withAccess { acc in
                    try validity.withView { vv in
                        for i in 0..<n where vv.isValid(i) {
                            let c = Int(codes[i])
                            if !known[c] {
                                values[c] = try f(acc[c])
                                known[c] = true
                            }
                            if let v = values[c] { out[i] = v } else { markNull(i) }
                        }
                    }
                }
            }
        }
        var resultValidity = validity
        if let nullMask {
            if resultValidity == nil { resultValidity = Validity(allValid: n) }
            resultValidity!.clear(where: nullMask)
        }
        return (out, resultValidity)
    }

    /// A string result per valid row: `f(input, &output)` writes the result's bytes into
    /// `output` (cleared before each call) and returns false for a NULL result. Dictionary
    /// input gives dictionary output whose dictionary is shared by every batch.
    static func mapToString(_ v: Vector, count n: Int, type: DataType, context: ExecutionContext,
                            memo: (String, [Value])?,
                            _ f: (UnsafeRawBufferPointer, inout [UInt8]) throws -> Bool) throws -> Vector {
        let strings = try v.stringValues()
        let validity = v.effectiveValidity
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        if case .dictionary(let codes, let dictionary) = strings, memo == nil, dictionary.count > 4 * n {
            var writer = StringVectorWriter(capacity: n)
            try dictionary.withAccess { acc in
                try validity.withView { vv in
                    for i in 0..<n {
                        guard vv.isValid(i) else { writer.appendNull(); continue }
                        buffer.removeAll(keepingCapacity: true)
                        if try f(acc[Int(codes[i])], &buffer) { writer.append(bytes: buffer) } else { writer.appendNull() }
                    }
                }
            }
            return writer.build(type)
        }
        switch strings {
        case .flat(let heap):
            var writer = StringVectorWriter(capacity: n, bytes: heap.bytes.count)
            try heap.withAccess { acc in
                try validity.withView { vv in
                    for i in 0..<n {
                        guard vv.isValid(i) else { writer.appendNull(); continue }
                        buffer.removeAll(keepingCapacity: true)
                        if try f(acc[i], &buffer) { writer.append(bytes: buffer) } else { writer.appendNull() }
                    }
                }
            }
            return writer.build(type)
        case .dictionary(let codes, let dictionary):
            let map = context.codeMap(memo?.0 ?? "", memo?.1, dictionary)
            var out = [UInt32](repeating: 0, count: n)
            var nullMask: [Bool]?
            try map.lock.locked {
                map.fit()
                var table = map.codes
                map.codes = []
                defer { map.codes = table }
                try dictionary.withAccess { acc in
                    try validity.withView { vv in
                        for i in 0..<n where vv.isValid(i) {
                            let c = Int(codes[i])
                            if table[c] == CodeMap.unknown {
                                buffer.removeAll(keepingCapacity: true)
                                if try f(acc[c], &buffer) {
                                    table[c] = buffer.withUnsafeBytes { map.output.code(for: $0) }
                                } else {
                                    table[c] = CodeMap.null
                                }
                            }
                            let r = table[c]
                            if r == CodeMap.null {
                                if nullMask == nil { nullMask = [Bool](repeating: false, count: n) }
                                nullMask![i] = true
                            } else {
                                out[i] = r
                            }
                        }
                    }
                }
            }
            var resultValidity = validity
            if let nullMask {
                if resultValidity == nil { resultValidity = Validity(allValid: n) }
                resultValidity!.clear(where: nullMask)
            }
            // Codes of NULL rows stay 0; make sure code 0 exists so readers never go out of range.
            if map.output.count == 0 { _ = map.output.code(for: "") }
            return Vector(type: type, storage: .string(.dictionary(codes: out, dictionary: map.output)),
                          validity: resultValidity)
        }
    }

    /// The first position of `needle` in `haystack` (memchr for the first byte, then memcmp).
    @inline(__always)
    static func find(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        let m = needle.count
        if m == 0 { return start <= haystack.count ? start : nil }
        guard let hb = haystack.baseAddress, let nb = needle.baseAddress, start + m <= haystack.count else { return nil }
        let first = Int32(needle[0])
        var pos = start
        let last = haystack.count - m
        while pos <= last {
            guard let hit = memchr(hb + pos, first, last - pos + 1) else { return nil }
            let at = UnsafeRawPointer(hit) - hb
            if m == 1 || memcmp(hb + at + 1, nb + 1, m - 1) == 0 { return at }
            pos = at + 1
        }
        return nil
    }

    /// Byte-wise equality of two strings.
    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }

    /// Byte-wise three-way comparison (DuckDB orders VARCHAR by bytes).
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let m = min(a.count, b.count)
        if m > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let r = memcmp(pa, pb, m)
            if r != 0 { return r < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

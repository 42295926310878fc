// Shapes of kernels the function library repeats: a function of a string whose other
// arguments are constants (compiled once per call site and run once per distinct value), the
// same when the other arguments vary by row, and element-wise maps over fixed-width columns.

enum FunctionKernels {
    /// The constant values of arguments 1…, or nil when one of them varies by row.
    static func constantRest(_ fc: FunctionContext, _ count: Int) -> [Value]? {
        guard count > 1 else { return [] }
        var out: [Value] = []
        for k in 1..<count {
            guard k < fc.constantArguments.count, let v = fc.constantArguments[k] else { return nil }
            out.append(v)
        }
        return out
    }

    /// A function of the first argument (a string) and the values of the others, where
    /// `prepare` turns those values into a per-string function once. NULL in any argument
    /// gives NULL; nil from the per-string function gives NULL.
    static func strings<T>(_ args: [Vector], _ n: Int, _ fc: FunctionContext, name: String, zero: T,
                           prepare: ([Value]) throws -> (UnsafeRawBufferPointer) throws -> T?) throws -> ([T], Validity?) {
        let first = try args[0].stringValues()
        if let rest = constantRest(fc, args.count) {
            if rest.contains(where: \.isNull) || args[0].isAllNull {
                return ([T](repeating: zero, count: n), Validity(allNull: n))
            }
            let f = try prepare(rest)
            return try StringKernels.map(first, validity: args[0].effectiveValidity, count: n, zero: zero,
                                         context: fc.execution, memo: (name, rest), f)
        }
        var out = [T](repeating: zero, count: n)
        var valid = [Bool](repeating: false, count: n)
        var cache: ([Value], (UnsafeRawBufferPointer) throws -> T?)?
        for i in 0..<n where !args[0].isNull(i) {
            let rest = args.dropFirst().map { $0.value(at: i) }
            if rest.contains(where: \.isNull) { continue }
            let f: (UnsafeRawBufferPointer) throws -> T?
            if let cache, cache.0 == rest { f = cache.1 } else { f = try prepare(rest); cache = (rest, f) }
            if let v = try first.withBytes(i, { try f($0) }) { out[i] = v; valid[i] = true }
        }
        return (out, Validity.from(valid))
    }

    /// Like `strings`, for a string result: the per-string function writes the result's
    /// bytes and returns false for NULL.
    static func stringsToString(_ args: [Vector], _ n: Int, _ fc: FunctionContext, name: String, type: DataType = .varchar,
                                prepare: ([Value]) throws -> (UnsafeRawBufferPointer, inout [UInt8]) throws -> Bool) throws -> Vector {
        if let rest = constantRest(fc, args.count) {
            if rest.contains(where: \.isNull) || args[0].isAllNull { return Vector.nulls(type: type, count: n) }
            let f = try prepare(rest)
            return try StringKernels.mapToString(args[0], count: n, type: type, context: fc.execution, memo: (name, rest), f)
        }
        let first = try args[0].stringValues()
        var writer = StringVectorWriter(capacity: n)
        var buffer: [UInt8] = []
        var cache: ([Value], (UnsafeRawBufferPointer, inout [UInt8]) throws -> Bool)?
        for i in 0..<n {
            let rest = args.dropFirst().map { $0.value(at: i) }
            if args[0].isNull(i) || rest.contains(where: \.isNull) { writer.appendNull(); continue }
            let f: (UnsafeRawBufferPointer, inout [UInt8]) throws -> Bool
            if let cache, cache.0 == rest { f = cache.1 } else { f = try prepare(rest); cache = (rest, f) }
            buffer.removeAll(keepingCapacity: true)
            if try first.withBytes(i, { try f($0, &buffer) }) { writer.append(bytes: buffer) } else { writer.appendNull() }
        }
        return writer.build(type)
    }

    /// Element-wise map of an INTEGER/DATE/TIMESTAMP column; NULL rows are skipped.
    @inline(__always)
    static func mapInt64<T>(_ v: Vector, zero: T, _ f: (Int64) throws -> T) throws -> [T] {
        let a = try v.int64Values()
        let n = a.count
        var out = [T](repeating: zero, count: n)
        try v.validity.withView { vv in
            for i in 0..<n where vv.isValid(i) { out[i] = try f(a[i]) }
        }
        return out
    }

    @inline(__always)
    static func mapDouble<T>(_ v: Vector, zero: T, _ f: (Double) throws -> T) throws -> [T] {
        let a = try v.doubleValues()
        var out = [T](repeating: zero, count: a.count)
        try v.validity.withView { vv in
            for i in 0..<a.count where vv.isValid(i) { out[i] = try f(a[i]) }
        }
        return out
    }

    /// The constant argument k as a string, if it is one.
    static func constantString(_ fc: FunctionContext, _ k: Int) -> String? {
        guard k < fc.constantArguments.count, let v = fc.constantArguments[k] else { return nil }
        switch v {
        case .varchar(let s), .json(let s): return s
        default: return nil
        }
    }

    static func stringValue(_ v: Value) -> String? {
        switch v {
        case .varchar(let s), .json(let s): return s
        default: return nil
        }
    }

    static func integerValue(_ v: Value) -> Int64? {
        if case .integer(let x) = v { return x }
        return nil
    }
}

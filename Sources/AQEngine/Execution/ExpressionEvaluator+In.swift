// `x [NOT] IN (list)` and `x [NOT] IN <subquery set>`: true on a match; otherwise NULL when
// x is NULL or the list holds a NULL; otherwise false. Constant lists and subquery sets
// are hashed once; dictionary columns test each distinct entry once.

extension ExpressionEvaluator {
    static func inList(_ probe: BoundExpr, _ list: [BoundExpr], negated: Bool, _ batch: Batch,
                       _ context: ExecutionContext) throws -> Vector {
        let v = try evaluate(probe, batch, context)
        var constants: [Value] = []
        for item in list {
            guard case .constant(let c) = item.kind else { return try inListRowwise(v, list, negated: negated, batch, context) }
            var value = c
            if !value.isNull, value.type != v.type, !(value.type.isString && v.type.isString), v.type != .null {
                value = try Cast.value(value, to: v.type, range: item.range)
            }
            constants.append(value)
        }
        let containsNull = constants.contains { $0.isNull }
        let values = constants.filter { !$0.isNull }
        return try membership(v, values: values, containsNull: containsNull, negated: negated,
                              memoName: "in", context)
    }

    static func inSet(_ v: Vector, _ set: ValueSet, negated: Bool, _ context: ExecutionContext) throws -> Vector {
        // The set lives as long as the plan, so its identity names it for the statement's memo.
        try membership(v, values: Array(set.values), containsNull: set.containsNull, negated: negated,
                       memoName: "inset:\(UInt(bitPattern: ObjectIdentifier(set).hashValue))", context)
    }

    /// Membership of each row in a set of non-NULL values.
    static func membership(_ v: Vector, values: [Value], containsNull: Bool, negated: Bool,
                           memoName: String?, _ context: ExecutionContext?) throws -> Vector {
        let n = v.count
        if v.isAllNull { return Vector.nulls(type: .boolean, count: n) }
        var found: [Bool]
        switch v.storage {
        case .int64(let a):
            var keys = Set<Int64>()
            for value in values {
                switch value {
                case .integer(let x), .date(let x), .timestamp(let x): keys.insert(x)
                case .double(let d): if let x = Int64(exactly: d) { keys.insert(x) }
                default: break
                }
            }
            if keys.count <= 4 {
                let k = Array(keys)
                found = a.map { x in k.contains(x) }
            } else {
                found = a.map { keys.contains($0) }
            }
        case .double(let a):
            var keys = Set<Double>()
            var hasNaN = false
            for value in values {
                switch value {
                case .double(let d): if d.isNaN { hasNaN = true } else { keys.insert(d == 0 ? 0 : d) }
                case .integer(let x): keys.insert(Double(x))
                default: break
                }
            }
            found = a.map { $0.isNaN ? hasNaN : keys.contains($0 == 0 ? 0 : $0) }
        case .string(let s):
            let dictionary = StringDictionary()
            for value in values {
                switch value {
                case .varchar(let x), .json(let x): _ = dictionary.code(for: x)
                default: break
                }
            }
            switch s {
            case .dictionary(let codes, let d):
                let bits: [Bool]
                if let context, let memoName {
                    let keys = memoName == "in" ? values.sorted { "\($0)" < "\($1)" } : []
                    bits = context.entryBits(memoName, keys, d) { dictionary.lookup($0) != nil }
                } else {
                    bits = d.withAccess { acc in (0..<d.count).map { dictionary.lookup(acc[$0]) != nil } }
                }
                found = codes.map { Int($0) < bits.count ? bits[Int($0)] : false }
            case .flat(let heap):
                found = heap.withAccess { acc in (0..<n).map { dictionary.lookup(acc[$0]) != nil } }
            }
        case .boolean(let a):
            let t = values.contains(.boolean(true)), f = values.contains(.boolean(false))
            found = a.map { $0 ? t : f }
        case .interval(let a):
            let keys = Set(values.compactMap { value -> IntervalKey? in
                if case .interval(let x) = value { return IntervalKey(x) } else { return nil }
            }.map { [$0.months, $0.days, $0.nanoseconds] })
            found = a.map { let k = IntervalKey($0); return keys.contains([k.months, k.days, k.nanoseconds]) }
        case .null:
            return Vector.nulls(type: .boolean, count: n)
        }
        var validity = v.validity
        if containsNull {
            // No match with a NULL in the list: unknown.
            var out = validity ?? Validity(allValid: n)
            for i in 0..<n where !found[i] { out.set(i, valid: false) }
            validity = out
        }
        if negated { for i in 0..<n { found[i].toggle() } }
        return .booleans(found, validity)
    }

    /// `x IN (a, b, …)` with list items that vary by row: OR of equalities.
    static func inListRowwise(_ v: Vector, _ list: [BoundExpr], negated: Bool, _ batch: Batch,
                              _ context: ExecutionContext) throws -> Vector {
        let n = batch.count
        var isTrue = [Bool](repeating: false, count: n)
        var isNull = [Bool](repeating: false, count: n)
        let probeValidity = v.effectiveValidity
        for item in list {
            let w = try evaluate(item, batch, context)
            let eq = try compare(.equal, v.typed(w.type), w.typed(v.type))
            let bits = try eq.boolValues()
            eq.effectiveValidity.withView { vv in
                for i in 0..<n {
                    if !vv.isValid(i) { isNull[i] = true } else if bits[i] { isTrue[i] = true }
                }
            }
        }
        var out = [Bool](repeating: false, count: n)
        var valid = [Bool](repeating: true, count: n)
        for i in 0..<n {
            if isTrue[i] { out[i] = !negated } else if isNull[i] || !(probeValidity?.isValid(i) ?? true) {
                valid[i] = false
            } else {
                out[i] = negated
            }
        }
        return .booleans(out, Validity.from(valid))
    }
}

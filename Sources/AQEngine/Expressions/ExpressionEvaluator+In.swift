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
        let members = MembershipSet(constants.filter { !$0.isNull }, owner: nil)
        return try membership(v, members, containsNull: containsNull, negated: negated, memoName: "in", context)
    }

    static func inSet(_ v: Vector, _ set: ValueSet, negated: Bool, _ context: ExecutionContext) throws -> Vector {
        // Hashed once per statement: the set lives as long as the plan, so its identity names it.
        let key = KernelMemo.Key(name: "inset", arguments: [], dictionary: ObjectIdentifier(set))
        let members = context.memo.table(key) { MembershipSet(Array(set.values), owner: set) }
        return try membership(v, members, containsNull: set.containsNull, negated: negated,
                              memoName: "inset:\(UInt(bitPattern: ObjectIdentifier(set).hashValue))", context)
    }

    /// Membership of each row in a set of non-NULL values.
    static func membership(_ v: Vector, _ members: MembershipSet, containsNull: Bool, negated: Bool,
                           memoName: String, _ context: ExecutionContext) throws -> Vector {
        let n = v.count
        // Nothing is in an empty set, not even NULL.
        if members.values.isEmpty && !containsNull { return .booleans([Bool](repeating: negated, count: n), nil) }
        if v.isAllNull { return Vector.nulls(type: .boolean, count: n) }
        var found: [Bool]
        switch v.storage {
        case .int64(let a):
            if members.ints.count <= 4 {
                let k = Array(members.ints)
                found = a.map { x in k.contains(x) }
            } else {
                found = a.map { members.ints.contains($0) }
            }
        case .double(let a):
            found = a.map { $0.isNaN ? members.hasNaN : members.doubles.contains($0 == 0 ? 0 : $0) }
        case .string(let s):
            let dictionary = members.strings
            switch s {
            case .dictionary(let codes, let d):
                let keys = memoName == "in" ? members.values.sorted { "\($0)" < "\($1)" } : []
                let bits = context.entryBits(memoName, keys, d) { dictionary.lookup($0) != nil }
                found = codes.map { Int($0) < bits.count ? bits[Int($0)] : false }
            case .flat(let heap):
                found = heap.withAccess { acc in (0..<n).map { dictionary.lookup(acc[$0]) != nil } }
            }
        case .boolean(let a):
            found = a.map { $0 ? members.hasTrue : members.hasFalse }
        case .interval(let a):
            found = a.map { members.intervals.contains(IntervalKey($0)) }
        case .list:
            found = (0..<n).map { members.lists.contains(v.value(at: $0)) }
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
            let eq = try CompareKernels.compare(.equal, v.typed(w.type), w.typed(v.type))
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

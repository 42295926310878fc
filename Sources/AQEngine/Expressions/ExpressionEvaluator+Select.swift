// Filters: the rows of a batch for which a predicate is true, as a selection vector.
// Conjunctions narrow the selection operand by operand; a column compared with a constant,
// LIKE on a dictionary column and IS [NOT] NULL test only the candidate rows, without
// building a boolean vector; a dictionary column is compared once per distinct entry.

extension ExpressionEvaluator {
    /// Rows among `candidates` (all rows when nil), ascending, for which `predicate` is true.
    static func select(_ predicate: BoundExpr, _ batch: Batch, candidates: [Int32]?,
                       _ context: ExecutionContext) throws -> [Int32] {
        switch predicate.kind {
        case .and(let operands):
            var rows = candidates
            for operand in operands {
                rows = try select(operand, batch, candidates: rows, context)
                if rows?.isEmpty == true { break }
            }
            return rows ?? allRows(batch.count)
        case .compare(let op, let a, let b):
            if case .column(let index, _) = a.kind, index < batch.columns.count,
               let c = try rowIndependentValue(b, batch, context),
               let rows = try selectCompare(batch.columns[index], op, c, b, candidates, context) {
                return rows
            }
            if case .column(let index, _) = b.kind, index < batch.columns.count,
               let c = try rowIndependentValue(a, batch, context),
               let rows = try selectCompare(batch.columns[index], op.flipped, c, a, candidates, context) {
                return rows
            }
        case .isNull(let operand, let negated):
            if case .column(let index, _) = operand.kind, index < batch.columns.count {
                let v = batch.columns[index]
                guard let validity = v.effectiveValidity else {
                    return negated ? (candidates ?? allRows(batch.count)) : []
                }
                return validity.words.withUnsafeBufferPointer { w in
                    filter(batch.count, candidates) { i in ((w[i >> 6] >> UInt64(i & 63)) & 1 != 0) == negated }
                }
            }
        case .inList(let operand, let list, let negated):
            if case .column(let index, _) = operand.kind, index < batch.columns.count,
               let rows = selectInList(batch.columns[index], list, negated: negated, candidates, context) {
                return rows
            }
        case .constant(let value):
            if case .boolean(true) = value { return candidates ?? allRows(batch.count) }
            return []
        default:
            break
        }
        return try selectGeneral(predicate, batch, candidates, context)
    }

    static func allRows(_ n: Int) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: n) { buf, count in
            for i in 0..<n { buf[i] = Int32(i) }
            count = n
        }
    }

    /// The rows (among candidates) where `test` holds; `test` gets a row index.
    @inline(__always)
    static func filter(_ n: Int, _ candidates: [Int32]?, _ test: (Int) -> Bool) -> [Int32] {
        if let candidates {
            return candidates.withUnsafeBufferPointer { cand in
                [Int32](unsafeUninitializedCapacity: cand.count) { buf, count in
                    var k = 0
                    for j in 0..<cand.count {
                        let row = cand[j]
                        buf[k] = row
                        k &+= test(Int(row)) ? 1 : 0
                    }
                    count = k
                }
            }
        }
        return [Int32](unsafeUninitializedCapacity: n) { buf, count in
            var k = 0
            for i in 0..<n {
                buf[k] = Int32(truncatingIfNeeded: i)
                k &+= test(i) ? 1 : 0
            }
            count = k
        }
    }

    /// Evaluates the predicate as a boolean vector (on the candidate rows only when it could
    /// fail elsewhere) and keeps the true rows.
    static func selectGeneral(_ predicate: BoundExpr, _ batch: Batch, _ candidates: [Int32]?,
                              _ context: ExecutionContext) throws -> [Int32] {
        let n = batch.count
        if let candidates, candidates.count < n, canFail(predicate) || candidates.count * 4 < n {
            let v = try evaluate(predicate, batch, rows: candidates, context)
            let bits = try v.boolValues()
            return v.effectiveValidity.withView { vv in
                var out: [Int32] = []
                out.reserveCapacity(candidates.count)
                for (k, row) in candidates.enumerated() where bits[k] && vv.isValid(k) { out.append(row) }
                return out
            }
        }
        let v = try evaluate(predicate, batch, context)
        if case .null = v.storage { return [] }
        let bits = try v.boolValues()
        return bits.withUnsafeBufferPointer { b in
            v.effectiveValidity.withView { vv in filter(n, candidates) { b[$0] && vv.isValid($0) } }
        }
    }

    /// The rows where a boolean vector is true (not false, not NULL).
    static func trueRows(_ v: Vector) throws -> [Int32] {
        if case .null = v.storage { return [] }
        let bits = try v.boolValues()
        return bits.withUnsafeBufferPointer { b in
            v.effectiveValidity.withView { vv in filter(v.count, nil) { b[$0] && vv.isValid($0) } }
        }
    }

    /// Column `op` constant over candidate rows, or nil when no fast path applies.
    static func selectCompare(_ v: Vector, _ op: ComparisonOperator, _ constant: Value, _ constantExpr: BoundExpr,
                              _ candidates: [Int32]?, _ context: ExecutionContext) throws -> [Int32]? {
        var c = constant
        if c.isNull { return [] }
        if c.type != v.type, !(c.type.isString && v.type.isString) {
            guard v.type != .null else { return [] }
            c = try Cast.value(c, to: v.type, range: constantExpr.range)
        }
        let n = v.count
        return v.effectiveValidity.withView { vv -> [Int32]? in
            switch (v.storage, c) {
            case (.int64(let a), .integer(let x)), (.int64(let a), .date(let x)), (.int64(let a), .timestamp(let x)):
                return a.withUnsafeBufferPointer { p in compareRows(n, candidates, vv, op) { p[$0] < x ? -1 : (p[$0] == x ? 0 : 1) } }
            case (.boolean(let a), .boolean(let x)) where op == .equal || op == .notEqual:
                // A row passes where its value is `want`: one byte compared, no branch.
                let want = (op == .equal) == x
                return a.withUnsafeBufferPointer { p in
                    candidates == nil ? selectBytes(p, n, want: want, vv) : compactRows(n, candidates, vv) { p[$0] == want ? 1 : 0 }
                }
            case (.boolean(let a), .boolean(let x)):
                return a.withUnsafeBufferPointer { p in compareRows(n, candidates, vv, op) { p[$0] == x ? 0 : (p[$0] ? 1 : -1) } }
            case (.double(let a), .double(let x)):
                let key = TotalDouble(value: x)
                return a.withUnsafeBufferPointer { p in
                    compareRows(n, candidates, vv, op) { let y = TotalDouble(value: p[$0]); return y < key ? -1 : (y == key ? 0 : 1) }
                }
            case (.string(.dictionary(let codes, let dictionary)), .varchar(let x)),
                 (.string(.dictionary(let codes, let dictionary)), .json(let x)):
                return selectCodes(codes, compareBits(op, x, dictionary, context), vv, candidates)
            case (.string(.flat(let heap)), .varchar(let x)), (.string(.flat(let heap)), .json(let x)):
                var text = x
                return text.withUTF8 { cb in
                    heap.withAccess { acc in
                        compareRows(n, candidates, vv, op) { StringKernels.compare(acc[$0], UnsafeRawBufferPointer(cb)) }
                    }
                }
            default:
                return nil
            }
        }
    }

    /// A dictionary column `[NOT] IN` a list of string constants over candidate rows: each
    /// entry of the dictionary tested once, then one code test a row; nil when the column is
    /// not dictionary-coded or an item is not a string constant.
    static func selectInList(_ v: Vector, _ list: [BoundExpr], negated: Bool, _ candidates: [Int32]?,
                             _ context: ExecutionContext) -> [Int32]? {
        guard case .string(.dictionary(let codes, let dictionary)) = v.storage,
              let bits = inListBits(list, negated: negated, dictionary, context) else { return nil }
        return v.effectiveValidity.withView { vv in selectCodes(codes, bits, vv, candidates) }
    }

    /// For each entry of a string column's dictionary, whether `entry op x` holds: each entry
    /// compared once per statement.
    static func compareBits(_ op: ComparisonOperator, _ x: String, _ dictionary: StringDictionary,
                            _ context: ExecutionContext) -> [Bool] {
        var text = x
        return text.withUTF8 { cb in
            context.entryBits("compare" + op.rawValue, [.varchar(x)], dictionary) {
                CompareKernels.holds(StringKernels.compare($0, UnsafeRawBufferPointer(cb)), op)
            }
        }
    }

    /// For each entry of a string column's dictionary, whether `entry [NOT] IN list` is true;
    /// nil when an item is not a string constant or NULL.
    static func inListBits(_ list: [BoundExpr], negated: Bool, _ dictionary: StringDictionary,
                           _ context: ExecutionContext) -> [Bool]? {
        var texts: [String] = []
        var hasNull = false
        for item in list {
            guard case .constant(let c) = item.kind else { return nil }
            switch c {
            case .varchar(let s), .json(let s): texts.append(s)
            case .null: hasNull = true
            default: return nil
            }
        }
        // x NOT IN (…, NULL) is never true; x IN (…, NULL) is true where x is in the rest.
        if negated && hasNull { return [] }
        let members = Set(texts)
        return context.entryBits(negated ? "select-not-in" : "select-in", texts.map(Value.varchar), dictionary) {
            members.contains(String(decoding: $0, as: UTF8.self)) != negated
        }
    }

    static func selectCodes(_ codes: [UInt32], _ bits: [Bool], _ vv: ValidityView, _ candidates: [Int32]?) -> [Int32] {
        codes.withUnsafeBufferPointer { selectCodes($0, bits, vv, candidates) }
    }

    /// The valid rows (among candidates) whose dictionary code has its entry's bit set: one
    /// load of the code and one of the entry's flag per row, without bounds checks or a
    /// closure, the selection written without branches (a code past the flags is false).
    /// Codes of any width: a scan tests a chunk's stored one- or two-byte codes in place.
    /// One-byte codes with 256 flags or more (`ScanCodeFilter` pads them) need no bound test.
    static func selectCodes<Code: FixedWidthInteger & UnsignedInteger>(
        _ cb: UnsafeBufferPointer<Code>, _ bits: [Bool], _ vv: ValidityView, _ candidates: [Int32]?) -> [Int32] {
        let n = cb.count, last = bits.count - 1
        guard n > 0, last >= 0 else { return [] }
        return bits.withUnsafeBytes { bb in
            guard let cp = cb.baseAddress, let bp = bb.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
            if Code.bitWidth == 8, last >= 255 {
                return compactRows(n, candidates, vv) { i in Int(bp[Int(cp[i])]) }
            }
            return compactRows(n, candidates, vv) { i in
                let code = Int(cp[i])
                return Int(bp[Swift.min(code, last)]) & (code <= last ? 1 : 0)
            }
        }
    }

    /// The valid rows of `0..<n` whose value is `want`, eight rows a step: one 64-bit load
    /// of eight booleans (a byte each, 0 or 1), the rows that hit taken from the set bits,
    /// so a step where no row passes costs a load and a test (`success = false` passes
    /// about one row in forty).
    private static func selectBytes(_ p: UnsafeBufferPointer<Bool>, _ n: Int, want: Bool, _ vv: ValidityView) -> [Int32] {
        let raw = UnsafeRawBufferPointer(p)
        let ones: UInt64 = 0x0101_0101_0101_0101
        // Bytes equal to `want` become 1, the others 0.
        let flip: UInt64 = want ? 0 : ones
        return byteMasks.withUnsafeBufferPointer { masks in
            [Int32](unsafeUninitializedCapacity: n) { out, count in
                var k = 0
                var i = 0
                while i + 8 <= n {
                    var m = (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ flip) & ones
                    if m != 0, let words = vv.words {
                        // Rows i … i + 7 are bits (i & 63) … (i & 63) + 7 of one word.
                        m &= masks[Int(truncatingIfNeeded: (words[i >> 6] >> UInt64(i & 63)) & 0xFF)]
                    }
                    while m != 0 {
                        out[k] = Int32(truncatingIfNeeded: i + m.trailingZeroBitCount >> 3)
                        k += 1
                        m &= m &- 1
                    }
                    i += 8
                }
                while i < n {
                    out[k] = Int32(truncatingIfNeeded: i)
                    k += (p[i] == want && vv.isValid(i)) ? 1 : 0
                    i += 1
                }
                count = k
            }
        }
    }

    /// For each byte of eight validity bits, the word with bit 0 of byte j set where bit j is.
    private static let byteMasks: [UInt64] = (0..<256).map { (bits: Int) -> UInt64 in
        var mask: UInt64 = 0
        for j in 0..<8 where (bits >> j) & 1 == 1 { mask |= UInt64(1) << UInt64(8 * j) }
        return mask
    }

    /// The valid rows (among candidates, else `0..<n`) where `hit` is 1 (it is 0 or 1),
    /// written without branches.
    @inline(__always)
    private static func compactRows(_ n: Int, _ candidates: [Int32]?, _ vv: ValidityView,
                                    _ hit: (Int) -> Int) -> [Int32] {
        if let candidates {
            return candidates.withUnsafeBufferPointer { cand in
                [Int32](unsafeUninitializedCapacity: cand.count) { out, count in
                    var k = 0
                    if let words = vv.words {
                        for j in 0..<cand.count {
                            let i = Int(cand[j])
                            out[k] = cand[j]
                            k &+= hit(i) & Int((words[i >> 6] >> UInt64(i & 63)) & 1)
                        }
                    } else {
                        for j in 0..<cand.count {
                            out[k] = cand[j]
                            k &+= hit(Int(cand[j]))
                        }
                    }
                    count = k
                }
            }
        }
        return [Int32](unsafeUninitializedCapacity: n) { out, count in
            var k = 0
            if let words = vv.words {
                for i in 0..<n {
                    out[k] = Int32(truncatingIfNeeded: i)
                    k &+= hit(i) & Int((words[i >> 6] >> UInt64(i & 63)) & 1)
                }
            } else {
                for i in 0..<n {
                    out[k] = Int32(truncatingIfNeeded: i)
                    k &+= hit(i)
                }
            }
            count = k
        }
    }

    /// Rows where `order(i) op 0` holds and the row is valid.
    @inline(__always)
    static func compareRows(_ n: Int, _ candidates: [Int32]?, _ vv: ValidityView, _ op: ComparisonOperator,
                            _ order: (Int) -> Int) -> [Int32] {
        switch op {
        case .equal: return filter(n, candidates) { vv.isValid($0) && order($0) == 0 }
        case .notEqual: return filter(n, candidates) { vv.isValid($0) && order($0) != 0 }
        case .less: return filter(n, candidates) { vv.isValid($0) && order($0) < 0 }
        case .lessEqual: return filter(n, candidates) { vv.isValid($0) && order($0) <= 0 }
        case .greater: return filter(n, candidates) { vv.isValid($0) && order($0) > 0 }
        case .greaterEqual: return filter(n, candidates) { vv.isValid($0) && order($0) >= 0 }
        }
    }
}

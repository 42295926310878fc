// The leading conjuncts of a scan's filter that can be tested on a chunk's stored dictionary
// codes (one or two bytes a row) before any vector is made: a string column compared with a
// string constant, a string column [NOT] IN a list of strings, a string column IS [NOT] NULL.
// Each dictionary entry is tested once per statement, then each row's stored code; the codes
// are never widened, and a column only these conjuncts read is not unpacked at all.

struct ScanCodeFilter {
    private enum Test {
        case compare(ComparisonOperator, String)
        case inList([BoundExpr], negated: Bool)
        case isNull(negated: Bool)
    }

    private struct Part {
        /// The conjunct's position among the scan's conjuncts.
        let conjunct: Int
        /// The table column it tests.
        let column: Int
        let test: Test
    }

    /// The tests of the leading conjuncts, in order; testing stops at the first conjunct that
    /// is not one of them and not settled for the chunk, so that a conjunct that can fail sees
    /// the rows it would see in order.
    private let parts: [Part?]

    /// Each part's entry flags for the dictionary it last saw: fetched from the statement's
    /// memo once per scan, not once per chunk. A scan belongs to one thread.
    private final class Flags {
        /// Held, not only named, so that its address cannot be reused by another dictionary.
        var dictionary: [StringDictionary?]
        /// Its entries when the flags were made (flags past them are padding).
        var entries: [Int]
        var bits: [[Bool]?]
        init(_ n: Int) {
            dictionary = [StringDictionary?](repeating: nil, count: n)
            entries = [Int](repeating: 0, count: n)
            bits = [[Bool]?](repeating: nil, count: n)
        }
    }
    private let flags: Flags

    /// `conjuncts`: the scan's flattened filter; `columns`: the table column of each scan
    /// column.
    init(_ conjuncts: [BoundExpr], columns: [Int], table: Table) {
        func stringColumn(_ e: BoundExpr) -> Int? {
            guard case .column(let index, _) = e.kind, index < columns.count,
                  table.columns[columns[index]].type.isString, e.type.isString else { return nil }
            return columns[index]
        }
        func text(_ e: BoundExpr) -> String? {
            guard case .constant(let value) = e.kind else { return nil }
            switch value {
            case .varchar(let s), .json(let s): return s
            default: return nil
            }
        }
        parts = conjuncts.enumerated().map { k, c -> Part? in
            switch c.kind {
            case .compare(let op, let a, let b):
                if let column = stringColumn(a), let x = text(b) { return Part(conjunct: k, column: column, test: .compare(op, x)) }
                if let column = stringColumn(b), let x = text(a) { return Part(conjunct: k, column: column, test: .compare(op.flipped, x)) }
            case .inList(let operand, let list, let negated):
                if let column = stringColumn(operand) { return Part(conjunct: k, column: column, test: .inList(list, negated: negated)) }
            case .isNull(let operand, let negated):
                if let column = stringColumn(operand) { return Part(conjunct: k, column: column, test: .isNull(negated: negated)) }
            default:
                break
            }
            return nil
        }
        flags = Flags(parts.count)
    }

    /// Part `k`'s entry flags over `dictionary` (nil: an item is not a string constant).
    private func bits(_ k: Int, _ test: Test, _ dictionary: StringDictionary, _ context: ExecutionContext) -> [Bool]? {
        if flags.dictionary[k] === dictionary, let cached = flags.bits[k], flags.entries[k] == dictionary.count {
            return cached
        }
        let bits: [Bool]?
        switch test {
        case .compare(let op, let x): bits = ExpressionEvaluator.compareBits(op, x, dictionary, context)
        case .inList(let list, let negated): bits = ExpressionEvaluator.inListBits(list, negated: negated, dictionary, context)
        case .isNull: bits = nil
        }
        flags.dictionary[k] = dictionary
        flags.entries[k] = dictionary.count
        // Padded to every one-byte code, so that a chunk of one-byte codes needs no bound test.
        flags.bits[k] = bits.map { $0.count < 256 ? $0 + repeatElement(false, count: 256 - $0.count) : $0 }
        return flags.bits[k]
    }

    /// Whether no leading conjunct can be tested on codes.
    var isEmpty: Bool { parts.first.map { $0 == nil } ?? true }

    /// The rows of chunk `chunk` that pass the leading conjuncts stored as codes there (nil:
    /// none was tested, every row remains); the conjuncts tested are marked in `settled`
    /// (made with `conjuncts` entries when nil).
    func apply(_ table: Table, chunk: Int, conjuncts: Int, settled: inout [Bool]?,
               _ context: ExecutionContext) -> [Int32]? {
        var rows: [Int32]?
        for (k, part) in parts.enumerated() {
            if settled?[k] == true { continue }
            guard let part, let stored = table.storedColumn(chunk: chunk, column: part.column),
                  case .codes(let codes, let dictionary, _, let validity) = stored else { break }
            let selected: [Int32]
            switch part.test {
            case .isNull(let negated):
                if let validity {
                    selected = validity.words.withUnsafeBufferPointer { w in
                        ExpressionEvaluator.filter(codes.count, rows) { i in ((w[i >> 6] >> UInt64(i & 63)) & 1 != 0) == negated }
                    }
                } else if negated {
                    // No NULL in the chunk: IS NOT NULL holds for every row.
                    if settled == nil { settled = [Bool](repeating: false, count: conjuncts) }
                    settled?[k] = true
                    continue
                } else {
                    selected = []
                }
            case .compare, .inList:
                guard let bits = bits(k, part.test, dictionary, context) else { return rows }
                selected = ScanCodeFilter.select(codes, bits, validity, rows)
            }
            if settled == nil { settled = [Bool](repeating: false, count: conjuncts) }
            settled?[k] = true
            rows = selected
            if selected.isEmpty { return [] }
        }
        return rows
    }

    private static func select(_ codes: NarrowCodes, _ bits: [Bool], _ validity: Validity?, _ candidates: [Int32]?) -> [Int32] {
        validity.withView { vv in
            switch codes {
            case .u8(let a): return a.withUnsafeBufferPointer { ExpressionEvaluator.selectCodes($0, bits, vv, candidates) }
            case .u16(let a): return a.withUnsafeBufferPointer { ExpressionEvaluator.selectCodes($0, bits, vv, candidates) }
            case .u32(let a): return a.withUnsafeBufferPointer { ExpressionEvaluator.selectCodes($0, bits, vv, candidates) }
            }
        }
    }
}

// The values of an IN list or subquery as sets by storage kind, for unboxed lookups.

/// The values of an IN list or subquery, hashed by storage kind for unboxed lookups.
final class MembershipSet {
    let values: [Value]
    var ints = Set<Int64>()
    var doubles = Set<Double>()
    var hasNaN = false
    let strings = StringDictionary()
    var hasTrue = false, hasFalse = false
    var intervals = Set<IntervalKey>()
    var lists = Set<Value>()
    /// The subquery's set, kept alive so that its identity (the memo key) stays unique.
    let owner: AnyObject?

    init(_ values: [Value], owner: AnyObject?) {
        self.values = values
        self.owner = owner
        for value in values {
            switch value {
            case .integer(let x), .date(let x), .timestamp(let x): ints.insert(x)
            case .double(let d):
                if d.isNaN { hasNaN = true } else { doubles.insert(d == 0 ? 0 : d) }
                if let x = Int64(exactly: d) { ints.insert(x) }
            case .varchar(let x), .json(let x): _ = strings.code(for: x)
            case .boolean(let b): if b { hasTrue = true } else { hasFalse = true }
            case .interval(let x): intervals.insert(IntervalKey(x))
            case .list: lists.insert(value)
            case .null: break
            }
            if case .integer(let x) = value { doubles.insert(Double(x)) }
        }
    }
}

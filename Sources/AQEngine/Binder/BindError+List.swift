// What can be wrong with a LIST value, a list function or unnest: the data of
// `BindError.list`, with its words written here once.

extension BindError {
    /// A misuse of lists.
    public enum ListMisuse: Sendable {
        /// Two elements of a list literal whose types do not mix (`[1, true]`).
        case elementTypes(DataType, DataType)
        /// A function that takes a list given something else (`unnest(1)`, `len(true)`).
        case notAList(function: String, found: DataType)
        /// `unnest` outside the select list (WHERE, GROUP BY, an aggregate's argument, …).
        case unnestIn(clause: String)
        /// `unnest(unnest(x))` or unnest in a window function's arguments.
        case nestedUnnest
        /// A list where a value must be sorted, grouped or compared (`ORDER BY l`).
        case notComparable(what: String)

        var message: String {
            switch self {
            case .elementTypes(let a, let b): return "cannot mix \(a) and \(b) in a list"
            case .notAList(let f, let t): return "\(f) needs a list, not \(t)"
            case .unnestIn(let clause): return "unnest is not allowed in \(clause)"
            case .nestedUnnest: return "unnest cannot be nested in another unnest or a window function"
            case .notComparable(let what): return "lists cannot be \(what) yet"
            }
        }
    }
}

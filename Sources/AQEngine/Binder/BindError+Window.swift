// What can be wrong in a window function call, its OVER clause or its frame: the data of
// `BindError.window`, with its words written here once.

extension BindError {
    /// A misuse of window functions, windows or frames.
    public enum WindowMisuse: Sendable {
        case windowInAggregate
        case nestedWindow
        case windowIn(clause: String)
        case orderByAllInWindow
        case modifiersOnWindowFunction(String)
        case filterOutsideAggregate
        case ignoreNullsNotTaken
        case orderedWindowAggregate
        case notAWindowFunction(String)
        case unknownWindow(String)
        case overrides(part: String, window: String)
        case argumentCount(function: String, shape: String)
        case notPositive(what: String)
        case frameStartsAtUnboundedFollowing
        case frameEndsAtUnboundedPreceding
        case frameStartsAfterEnd
        case rangeOffsetNeedsOneKey
        case offsetNotConstant
        case rangeOffsetInMonths
        case offsetNull
        case negativeOffset(unit: String, side: String)

        var message: String {
            switch self {
            case .windowInAggregate: return "aggregate function calls cannot contain window function calls"
            case .nestedWindow: return "window function calls cannot be nested"
            case .windowIn(let clause): return "window functions are not allowed in \(clause)"
            case .orderByAllInWindow: return "ORDER BY ALL is not allowed in a window"
            case .modifiersOnWindowFunction(let name): return "\(name) takes no '*', DISTINCT or ORDER BY in its arguments"
            case .filterOutsideAggregate: return "FILTER is only allowed in aggregate functions"
            case .ignoreNullsNotTaken: return "IGNORE NULLS is only allowed in lag, lead, first_value, last_value and nth_value"
            case .orderedWindowAggregate: return "ORDER BY inside the arguments of a window aggregate is not supported"
            case .notAWindowFunction(let name): return "\(name) is not an aggregate or window function"
            case .unknownWindow(let w): return "window '\(w)' does not exist"
            case .overrides(let part, let w): return "cannot override the \(part) of window '\(w)'"
            case .argumentCount(let f, let shape): return "\(f) takes \(shape)"
            case .notPositive(let what): return "\(what) must be greater than zero"
            case .frameStartsAtUnboundedFollowing: return "a frame cannot start at UNBOUNDED FOLLOWING"
            case .frameEndsAtUnboundedPreceding: return "a frame cannot end at UNBOUNDED PRECEDING"
            case .frameStartsAfterEnd: return "the frame starts after it ends"
            case .rangeOffsetNeedsOneKey: return "a RANGE frame with an offset needs exactly one ORDER BY key"
            case .offsetNotConstant: return "a frame offset must be a constant"
            case .rangeOffsetInMonths: return "a RANGE offset in months or years is not supported"
            case .offsetNull: return "a frame offset cannot be NULL"
            case .negativeOffset(let unit, let side): return "a \(unit) \(side) offset cannot be negative"
            }
        }
    }
}

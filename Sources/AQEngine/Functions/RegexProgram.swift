// A regular expression's tree compiled into the instructions of a Pike machine (Thompson's
// construction with capture slots): each instruction consumes one scalar, tests a position,
// forks, jumps, records a position, or ends a match.

enum RegexInstruction {
    /// One scalar, either of two (a letter and its other case; the same twice otherwise).
    case scalar(UInt32, UInt32)
    /// A scalar in `classes[index]`.
    case set(Int)
    /// Any scalar; `\n` too when `newline`.
    case any(newline: Bool)
    case assert(RegexAssertion)
    /// Go on at both; the first has priority (leftmost-first, as Perl and RE2 choose).
    case split(Int, Int)
    case jump(Int)
    /// Record the position in capture slot `n` (2g: start of group g, 2g+1: its end).
    case save(Int)
    case match
}

/// A compiled pattern: its instructions, classes, and what the search can use to skip ahead.
struct RegexProgram: Sendable {
    /// The most instructions a pattern may compile to (`(a{1000}){1000}` is too large).
    static let maxInstructions = 100_000

    let instructions: [RegexInstruction]
    let classes: [RegexClass]
    /// Capture slots: two per group, the whole match being group 0.
    let slotCount: Int
    /// A match can only start at the start of the text.
    let anchoredStart: Bool
    /// Every match starts with this byte (an ASCII literal), so the search skips to it.
    let firstByte: UInt8?

    init(_ node: RegexNode, groups: Int) throws {
        var compiler = RegexCompiler()
        compiler.emit(.save(0))
        try compiler.compile(node)
        compiler.emit(.save(1))
        compiler.emit(.match)
        guard compiler.code.count <= RegexProgram.maxInstructions else {
            throw RegexSyntaxError(message: "pattern too large - compile failed")
        }
        instructions = compiler.code
        classes = compiler.classes
        slotCount = 2 * (groups + 1)
        var start: RegexNode = node
        while true {
            switch start {
            case .concat(let items) where !items.isEmpty: start = items[0]
            case .group(let inner, _): start = inner
            default:
                anchoredStart = { if case .assertion(.textStart) = start { return true } else { return false } }()
                if case .literal(let c, let fold) = start, c < 0x80, !fold || RegexCase.other(c) == nil {
                    firstByte = UInt8(c)
                } else {
                    firstByte = nil
                }
                return
            }
        }
    }
}

private struct RegexCompiler {
    var code: [RegexInstruction] = []
    var classes: [RegexClass] = []

    @discardableResult
    mutating func emit(_ instruction: RegexInstruction) -> Int {
        code.append(instruction)
        return code.count - 1
    }

    mutating func compile(_ node: RegexNode) throws {
        guard code.count <= RegexProgram.maxInstructions else {
            throw RegexSyntaxError(message: "pattern too large - compile failed")
        }
        switch node {
        case .empty:
            break
        case .literal(let c, let fold):
            emit(.scalar(c, fold ? RegexCase.other(c) ?? c : c))
        case .set(let set, _):
            classes.append(set)
            emit(.set(classes.count - 1))
        case .any(let newline):
            emit(.any(newline: newline))
        case .assertion(let a):
            emit(.assert(a))
        case .group(let inner, let capture):
            if let capture { emit(.save(2 * capture)) }
            try compile(inner)
            if let capture { emit(.save(2 * capture + 1)) }
        case .concat(let items):
            for item in items { try compile(item) }
        case .alternate(let branches):
            // split L1, next; L1: a; jump end; next: split L2, …
            var jumps: [Int] = []
            for (k, branch) in branches.enumerated() {
                if k == branches.count - 1 {
                    try compile(branch)
                } else {
                    let split = emit(.split(0, 0))
                    try compile(branch)
                    jumps.append(emit(.jump(0)))
                    code[split] = .split(split + 1, code.count)
                }
            }
            for j in jumps { code[j] = .jump(code.count) }
        case .repeating(let inner, let min, let max, let greedy):
            for _ in 0..<min { try compile(inner) }
            if let max {
                // (x(x(x)?)?)? for the optional copies, every split leaving to the end.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(emit(.split(0, 0)))
                    try compile(inner)
                }
                for s in splits { code[s] = greedy ? .split(s + 1, code.count) : .split(code.count, s + 1) }
            } else {
                // L: split body, end; body: x; jump L
                let split = emit(.split(0, 0))
                try compile(inner)
                emit(.jump(split))
                code[split] = greedy ? .split(split + 1, code.count) : .split(code.count, split + 1)
            }
        }
    }
}

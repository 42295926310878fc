// The one table of keywords, and the lookup the lexer runs on every bare word without
// allocating: a case-folding hash of the bytes into a small open-addressed table.

/// A word the grammar gives a meaning. Only reserved keywords are barred from being names;
/// the others (`time`, `date`, `format`, `filter`, `first`, …) are names wherever SQL allows.
public enum Keyword: String, CaseIterable, Sendable {
    // Reserved: they start or end clauses, or follow an expression, so a bare name there
    // would be ambiguous.
    case all = "ALL", and = "AND", `as` = "AS", asc = "ASC", between = "BETWEEN"
    case `case` = "CASE", cast = "CAST", cross = "CROSS", desc = "DESC"
    case distinct = "DISTINCT", `else` = "ELSE", end = "END", except = "EXCEPT"
    case exists = "EXISTS", `false` = "FALSE", from = "FROM", full = "FULL"
    case group = "GROUP", having = "HAVING", ilike = "ILIKE", `in` = "IN"
    case inner = "INNER", intersect = "INTERSECT", `is` = "IS", join = "JOIN"
    case left = "LEFT", like = "LIKE", limit = "LIMIT", natural = "NATURAL"
    case not = "NOT", null = "NULL", offset = "OFFSET", on = "ON", or = "OR"
    case order = "ORDER", outer = "OUTER", right = "RIGHT", select = "SELECT"
    case then = "THEN", `true` = "TRUE", union = "UNION", using = "USING"
    case when = "WHEN", `where` = "WHERE", with = "WITH", qualify = "QUALIFY", window = "WINDOW"

    // Not reserved: recognized only where the grammar expects them.
    case by = "BY", create = "CREATE", date = "DATE", describe = "DESCRIBE"
    case double = "DOUBLE", drop = "DROP", escape = "ESCAPE", exclude = "EXCLUDE"
    case explain = "EXPLAIN", filter = "FILTER", first = "FIRST", format = "FORMAT"
    case `if` = "IF", insert = "INSERT", interval = "INTERVAL", into = "INTO"
    case last = "LAST", load = "LOAD", nulls = "NULLS", open = "OPEN", precision = "PRECISION"
    case replace = "REPLACE", show = "SHOW", table = "TABLE", tables = "TABLES"
    case time = "TIME", timestamp = "TIMESTAMP", tryCast = "TRY_CAST", unknown = "UNKNOWN"
    case values = "VALUES", without = "WITHOUT", zone = "ZONE"
    case set = "SET", reset = "RESET", session = "SESSION", global = "GLOBAL", to = "TO"
    case primary = "PRIMARY", key = "KEY", unique = "UNIQUE", `default` = "DEFAULT"
    case check = "CHECK", references = "REFERENCES", foreign = "FOREIGN", constraint = "CONSTRAINT"
    case timeline = "TIMELINE", summary = "SUMMARY", since = "SINCE", sources = "SOURCES"
    case variable = "VARIABLE", copy = "COPY", raw = "RAW", paths = "PATHS"
    case view = "VIEW", recursive = "RECURSIVE", materialized = "MATERIALIZED"
    case over = "OVER", partition = "PARTITION", rows = "ROWS", range = "RANGE", row = "ROW"
    case unbounded = "UNBOUNDED", preceding = "PRECEDING", following = "FOLLOWING"
    case current = "CURRENT", ties = "TIES", others = "OTHERS", no = "NO"
    case ignore = "IGNORE", respect = "RESPECT"
    case semi = "SEMI", anti = "ANTI"
    case sequence = "SEQUENCE", start = "START", increment = "INCREMENT"

    /// True when the word can not be used as a bare name.
    public var isReserved: Bool {
        switch self {
        case .all, .and, .as, .asc, .between, .case, .cast, .cross, .desc, .distinct, .else,
             .end, .except, .exists, .false, .from, .full, .group, .having, .ilike, .in,
             .inner, .intersect, .is, .join, .left, .like, .limit, .natural, .not, .null,
             .offset, .on, .or, .order, .outer, .right, .select, .then, .true, .union,
             .using, .when, .where, .with, .qualify, .window:
            return true
        default:
            return false
        }
    }

    /// The keyword spelled by `count` bytes at `p` (any case), or nil.
    public static func lookup(_ p: UnsafePointer<UInt8>, count: Int) -> Keyword? {
        KeywordTable.shared.lookup(p, count: count)
    }
}

/// Keywords by hash of their lower-case spelling. Built once; read-only afterwards.
final class KeywordTable: Sendable {
    static let shared = KeywordTable()

    private static let slotCount = 256          // a power of two, over twice the keywords
    private let slots: [Keyword?]
    private let spellings: [[UInt8]]            // lower-case, indexed like `slots`
    let longest: Int

    private init() {
        var slots = [Keyword?](repeating: nil, count: Self.slotCount)
        var spellings = [[UInt8]](repeating: [], count: Self.slotCount)
        var longest = 0
        for keyword in Keyword.allCases {
            let bytes = Array(keyword.rawValue.lowercased().utf8)
            longest = max(longest, bytes.count)
            var slot = bytes.withUnsafeBufferPointer {
                Int(Self.hash($0.baseAddress!, count: $0.count)) & (Self.slotCount - 1)
            }
            while slots[slot] != nil { slot = (slot + 1) & (Self.slotCount - 1) }
            slots[slot] = keyword
            spellings[slot] = bytes
        }
        self.slots = slots
        self.spellings = spellings
        self.longest = longest
    }

    /// FNV-1a over the bytes folded to ASCII lower case.
    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for i in 0..<count {
            h = (h ^ UInt32(p[i] | 0x20)) &* 16_777_619
        }
        return h
    }

    func lookup(_ p: UnsafePointer<UInt8>, count: Int) -> Keyword? {
        guard count >= 2, count <= longest else { return nil }
        var slot = Int(Self.hash(p, count: count)) & (Self.slotCount - 1)
        while let keyword = slots[slot] {
            if spellings[slot].count == count && matches(spellings[slot], p, count) { return keyword }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        return nil
    }

    @inline(__always)
    private func matches(_ lower: [UInt8], _ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for i in 0..<count {
            var b = p[i]
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { b |= 0x20 }
            if b != lower[i] { return false }
        }
        return true
    }
}

// The keywords tab completion offers, upper case, in the order they are most often wanted.

enum SQLKeywords {
    static let all: [String] = [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET",
        "DISTINCT", "ALL", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE",
        "BETWEEN", "EXISTS", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "ASC", "DESC",
        "NULLS", "FIRST", "LAST", "JOIN", "INNER", "LEFT", "RIGHT", "OUTER", "CROSS", "ON", "UNION", "WITH",
        "INTERVAL", "TRUE", "FALSE", "FILTER",
        "OVER", "PARTITION", "WINDOW", "QUALIFY", "ROWS", "RANGE", "UNBOUNDED", "PRECEDING",
        "FOLLOWING", "CURRENT", "ROW", "EXCLUDE", "TIES", "OTHERS", "IGNORE", "RESPECT",
        "LOAD", "FORMAT", "CREATE", "TABLE", "INSERT", "INTO", "VALUES", "DROP", "SHOW",
        "TABLES", "DESCRIBE", "EXPLAIN", "SAVE", "OPEN", "TIMELINE", "SUMMARY", "SINCE", "TO",
        "SET", "RESET", "PRIMARY", "KEY", "UNIQUE", "DEFAULT",
        "BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP", "JSON",
    ]
}

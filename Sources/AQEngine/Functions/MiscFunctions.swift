// Functions about values themselves: typeof(x).

/// Functions about values themselves.
enum MiscFunctions {
    static let all: [String: [Overload]] = [
        "typeof": [
            Overload([.varchar], .varchar, anyType: true) { args, n, _ in
                Vector.constant(.varchar(args[0].type.description), type: .varchar, count: n)
            },
        ],
    ]
}

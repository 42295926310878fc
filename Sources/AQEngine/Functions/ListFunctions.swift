// Functions over LIST values: building a list from its elements (`[a, b]`), its length
// (`len`, `array_length`, `length`) and looking for an element (`list_position`,
// `list_contains`). Their types depend on the element type, so the binder makes each
// call's `ScalarFunction` here rather than through the registry.

public enum ListFunctions {
    /// `[a, b, …]` for elements already cast to `element`: row r is `[a[r], b[r], …]`.
    public static func value(element: DataType, count: Int) -> ScalarFunction {
        ScalarFunction(name: "list_value", argumentTypes: [DataType](repeating: element, count: count),
                       returnType: .list(element)) { args, n, _ in
            let k = args.count
            let offsets = (0...n).map { Int32($0 * k) }
            guard k > 0 else {
                return Vector(type: .list(element), storage: .list(ListVector(offsets: offsets, elements: Vector.nulls(type: element, count: 0))))
            }
            // The arguments end to end, then picked row-major: element j of row r is at j * n + r.
            let all = Vector.concatenate(args, type: element)
            var picks = [Int32](repeating: 0, count: n * k)
            for r in 0..<n { for j in 0..<k { picks[r * k + j] = Int32(j * n + r) } }
            return Vector(type: .list(element), storage: .list(ListVector(offsets: offsets, elements: all.gather(picks))))
        }
    }

    /// The number of elements of each list (NULL for a NULL list).
    public static func length(of listType: DataType) -> ScalarFunction {
        ScalarFunction(name: "len", argumentTypes: [listType], returnType: .integer) { args, n, _ in
            let v = args[0]
            guard let l = v.listStorage else { return Vector.nulls(type: .integer, count: n) }
            let counts = (0..<n).map { Int64(l.offsets[$0 + 1] - l.offsets[$0]) }
            return Vector(type: .integer, storage: .int64(counts), validity: v.isNullStorage ? Validity(allNull: n) : v.validity)
        }
    }

    /// `list_position(list, x)`: the 1-based place of the first element equal to x (a NULL x
    /// finds the first NULL element), NULL when there is none or the list is NULL, as in
    /// DuckDB. `list_contains(list, x)`: whether x is there; NULL for a NULL list or x.
    public static func search(_ name: String, listType: DataType, position: Bool) -> ScalarFunction {
        let element = listType.listElement ?? .null
        return ScalarFunction(name: name, argumentTypes: [listType, element],
                              returnType: position ? .integer : .boolean) { args, n, _ in
            let lists = args[0], needles = args[1]
            var places = [Int64?](repeating: nil, count: n)
            var found = [Bool?](repeating: nil, count: n)
            for r in 0..<n {
                guard case .list(let items, _) = lists.value(at: r) else { continue }
                let needle = needles.value(at: r)
                let k = items.firstIndex { ValueOrder.compare($0, needle) == 0 }
                places[r] = k.map { Int64($0 + 1) }
                if case .null = needle { continue }
                found[r] = k != nil
            }
            return position ? Vector.integers(places) : Vector.booleans(found)
        }
    }
}

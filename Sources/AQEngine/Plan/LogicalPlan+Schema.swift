// The columns a plan node produces: names and types, derived from the tree.

extension LogicalPlan {
    public var schema: [ColumnSchema] {
        switch self {
        case .scan(let scan):
            return scan.columns.map { scan.table.columns[$0] } + scan.paths.map { ColumnSchema(name: $0.name(scan.table), type: $0.type) }
        case .values(_, let schema), .empty(let schema):
            return schema
        case .series(let series):
            return [series.column]
        case .filter(let input, _), .sort(let input, _), .limit(let input, _, _), .limitClause(let input, _, _),
             .topN(let input, _, _, _), .distinct(let input):
            return input.schema
        case .project(_, let expressions, let names):
            return zip(expressions, names).map { ColumnSchema(name: $1, type: $0.type) }
        case .aggregate(_, let groups, let aggregates, let names):
            let types = groups.map(\.type) + aggregates.map(\.type)
            return zip(names, types).map { ColumnSchema(name: $0, type: $1) }
        case .window(let input, let functions, let names):
            return input.schema + zip(names, functions).map { ColumnSchema(name: $0, type: $1.type) }
        case .unnest(let input, let lists, let names):
            return input.schema + zip(names, lists).map { ColumnSchema(name: $0, type: $1.type.listElement ?? .null) }
        case .join(let left, let right, let kind, _):
            return kind.keepsLeftOnly ? left.schema : left.schema + right.schema
        case .unionAll(let inputs):
            return inputs.first?.schema ?? []
        case .setDifference(let left, _, _, _):
            return left.schema
        }
    }

    public var columnCount: Int { schema.count }
}

extension ScanPath {
    /// `json_extract_string(raw, '$.a.b')`, as the call it stands for.
    public func name(_ table: Table) -> String {
        (asString ? "json_extract_string(" : "json_extract(") + table.columns[column].name + ", '" + path.text + "')"
    }
}

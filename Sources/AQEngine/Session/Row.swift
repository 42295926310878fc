// One row of a result: its values by column index or name, or decoded into a Swift type.

import AQSyntax

/// A row of a `Rows`. Cheap to make and to keep (it shares its batch's columns).
public struct Row: Sendable {
    let batch: Batch
    let index: Int
    let names: ColumnNames

    /// The result's columns.
    public var columns: [ColumnSchema] { names.columns }

    /// The value in column `column` (0-based).
    public subscript(column: Int) -> Value {
        get throws {
            guard column >= 0, column < batch.columns.count else {
                throw AQError.api(.columnIndex(column, count: batch.columns.count))
            }
            return batch.columns[column].value(at: index)
        }
    }

    /// The value in the column called `name` (case-insensitive; the first of that name).
    public subscript(name: String) -> Value {
        get throws { try self[try names.index(of: name)] }
    }

    /// Every value, in column order.
    public var values: [Value] { batch.columns.map { $0.value(at: index) } }

    /// The row decoded as `T`: each stored property reads the column of its name (or its
    /// `CodingKeys` name); see `RowDecoder` for which values read as which Swift types.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: RowDecoder(row: self))
    }
}

/// A result's column names, looked up case-insensitively.
final class ColumnNames: @unchecked Sendable {
    let columns: [ColumnSchema]
    private let positions: [String: Int]

    init(_ columns: [ColumnSchema]) {
        self.columns = columns
        var positions: [String: Int] = [:]
        for (i, c) in columns.enumerated() where positions[c.name.lowercased()] == nil {
            positions[c.name.lowercased()] = i
        }
        self.positions = positions
    }

    func index(of name: String) throws -> Int {
        if let i = positions[name.lowercased()] { return i }
        throw AQError.api(.unknownColumn(name, suggestion: nearestName(to: name, in: columns.map(\.name))))
    }

    func has(_ name: String) -> Bool { positions[name.lowercased()] != nil }
}

// The tables, views and sequences of a database, by case-insensitive name.

public final class Catalog: @unchecked Sendable {
    private var tables: [String: Table] = [:]
    private var views: [String: View] = [:]
    private var sequences: [String: NumberSequence] = [:]

    public init() {}

    public func table(named name: String) -> Table? { tables[name.lowercased()] }

    /// Every table, sorted by name.
    public var allTables: [Table] { tables.values.sorted { $0.name < $1.name } }

    public var tableNames: [String] { allTables.map(\.name) }

    /// Adds or replaces a table.
    public func add(_ table: Table) { tables[table.name.lowercased()] = table }

    @discardableResult
    public func remove(named name: String) -> Table? { tables.removeValue(forKey: name.lowercased()) }

    public func view(named name: String) -> View? { views[name.lowercased()] }

    /// Every view, sorted by name.
    public var allViews: [View] { views.values.sorted { $0.name < $1.name } }

    public var viewNames: [String] { allViews.map(\.name) }

    /// Adds or replaces a view.
    public func add(_ view: View) { views[view.name.lowercased()] = view }

    @discardableResult
    public func removeView(named name: String) -> View? { views.removeValue(forKey: name.lowercased()) }

    public func sequence(named name: String) -> NumberSequence? { sequences[name.lowercased()] }

    public var sequenceNames: [String] { sequences.values.map(\.name).sorted() }

    /// Adds or replaces a sequence.
    public func add(_ sequence: NumberSequence) { sequences[sequence.name.lowercased()] = sequence }

    @discardableResult
    public func removeSequence(named name: String) -> NumberSequence? { sequences.removeValue(forKey: name.lowercased()) }
}

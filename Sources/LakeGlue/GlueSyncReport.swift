/// What one ``GlueCatalogSync/sync(_:)`` changed in the catalog.
public struct GlueSyncReport: Sendable, Equatable, CustomStringConvertible {
    /// `database.table` as registered.
    public var database: String
    public var table: String
    /// Whether the database or the table had to be created.
    public var createdDatabase = false
    public var createdTable = false
    /// Whether an existing table's definition (columns, partition keys, location, parameters)
    /// was updated.
    public var updatedTable = false
    /// Partitions added and dropped (their values).
    public var partitionsAdded: [[String]] = []
    public var partitionsDropped: [[String]] = []
    /// The last completed commit the catalog now reflects.
    public var lastCommit: String?

    public init(database: String, table: String) {
        self.database = database
        self.table = table
    }

    /// `glue sync default.orders: table created, 3 partitions added, 0 dropped, at 20260101…`
    public var description: String {
        var what: [String] = []
        if createdDatabase { what.append("database created") }
        if createdTable { what.append("table created") } else if updatedTable { what.append("table updated") }
        what.append("\(partitionsAdded.count) partitions added")
        what.append("\(partitionsDropped.count) dropped")
        return "glue sync \(database).\(table): " + what.joined(separator: ", ")
            + (lastCommit.map { ", at commit \($0)" } ?? "")
    }
}

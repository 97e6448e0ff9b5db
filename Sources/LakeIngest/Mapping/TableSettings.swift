import LakeCore

/// The table settings a mapping carries; used when ingestion creates the table.
public struct TableSettings: Sendable, Hashable {
    /// The table name (`hoodie.table.name`); the directory name when absent.
    public var name: String?
    /// Record key fields. Empty: the names of the first record's `Keys` (inference).
    public var recordKey: [String]
    /// The ordering field; `nil` uses lake's ``EventOrder`` column.
    public var precombine: String?
    /// Partition fields (columns), outermost first.
    public var partitionFields: [String]
    /// `field=value` partition directories (Hive style), the default.
    public var hiveStyle: Bool
    /// Commits the cleaner retains (``TableSetting/cleanerCommitsRetained``), if set.
    public var cleanerCommitsRetained: Int?
    /// Further table settings by name, as `lake create --set` takes them: a setting's key
    /// (`cleaner.automatic`), its property (`lake.cleaner.automatic`) or a Hudi alias
    /// (`hoodie.clean.automatic`). See ``AnyTableSetting/all``.
    public var properties: [String: String]

    public init(
        name: String? = nil, recordKey: [String] = [], precombine: String? = nil, partitionFields: [String] = [],
        hiveStyle: Bool = true, cleanerCommitsRetained: Int? = nil, properties: [String: String] = [:]
    ) {
        self.name = name
        self.recordKey = recordKey
        self.precombine = precombine
        self.partitionFields = partitionFields
        self.hiveStyle = hiveStyle
        self.cleanerCommitsRetained = cleanerCommitsRetained
        self.properties = properties
    }

    /// The settings beyond the key, ordering and partitioning, as named assignments for
    /// ``TableConfig/init(name:settings:)``: `cleanerCommitsRetained`, then `properties` in
    /// name order.
    public var assignments: [(name: String, value: String, origin: String)] {
        var out: [(name: String, value: String, origin: String)] = []
        if let n = cleanerCommitsRetained {
            out.append((TableSetting.cleanerCommitsRetained.key, String(n), "table.cleanerCommitsRetained"))
        }
        for k in properties.keys.sorted() { out.append((k, properties[k]!, "table.properties.\(k)")) }
        return out
    }

    /// Checks every setting's name and value (an unknown name is refused with the nearest
    /// setting), as the mapping is loaded — long before the table is created.
    /// - Throws: `.invalidArgument` naming the setting.
    public func validate() throws(LakeError) {
        var scratch = TableConfig(name: "t", recordKeyFields: ["k"])
        for a in assignments {
            do throws(LakeError) {
                try scratch.set(a.name, to: a.value)
            } catch {
                throw LakeError(.invalidArgument, "mapping: \(a.origin): \(error.message)")
            }
        }
    }
}

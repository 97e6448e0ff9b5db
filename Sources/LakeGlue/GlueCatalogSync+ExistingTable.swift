import LakeCore

extension GlueCatalogSync {
    /// The parts of a catalog table (`GetTable`'s `Table`) a sync compares with its definition.
    struct ExistingTable {
        var columns: [GlueTableDefinition.Column]
        var partitionKeys: [GlueTableDefinition.Column]
        var location: String?
        var inputFormat: String?
        var parameters: [String: String]

        init(json t: JSONValue) {
            func columns(_ v: JSONValue?) -> [GlueTableDefinition.Column] {
                guard case .array(let list)? = v else { return [] }
                return list.map {
                    GlueTableDefinition.Column(name: $0["Name"]?.stringValue ?? "", type: $0["Type"]?.stringValue ?? "")
                }
            }
            self.columns = columns(t["StorageDescriptor"]?["Columns"])
            partitionKeys = columns(t["PartitionKeys"])
            location = t["StorageDescriptor"]?["Location"]?.stringValue
            inputFormat = t["StorageDescriptor"]?["InputFormat"]?.stringValue
            var parameters: [String: String] = [:]
            if case .object(let members)? = t["Parameters"] {
                for m in members { parameters[m.key] = m.value.stringValue }
            }
            self.parameters = parameters
        }

        /// Whether the catalog already holds `d` (names compared as Glue stores them: lowercase).
        func matches(_ d: GlueTableDefinition) -> Bool {
            func same(_ a: [GlueTableDefinition.Column], _ b: [GlueTableDefinition.Column]) -> Bool {
                a.count == b.count
                    && zip(a, b).allSatisfy { $0.name.lowercased() == $1.name.lowercased() && $0.type == $1.type }
            }
            return same(columns, d.columns) && same(partitionKeys, d.partitionKeys) && location == d.location
                && inputFormat == GlueTableDefinition.inputFormat
                && d.parameters.allSatisfy { parameters[$0.key] == $0.value }
        }
    }
}

import LakeCore

/// Which attribute name fills each column (or struct member) whose name a rename could produce,
/// so that two attribute names never share a column (see ``AttributeNaming``).
///
/// The first attribute name seen for a column name owns it. Ownership lasts for the life of the
/// table: every ingest commit stores the whole record in its `extraMetadata` under ``key``, as
/// JSON from column path to attribute name (`{"order__id":"order-id","address.zip__code":"zip-code"}`;
/// a struct member's path is its column's name and the member names joined with `.`, lists
/// adding nothing). Only names containing the mask `__` are recorded — any other name can only
/// come from the attribute of the same name. A column of the table without an entry is
/// owned by the attribute of its own name.
public struct ColumnOwners: Sendable, Hashable {
    /// The `extraMetadata` key.
    public static let key = "lake.ingest.attributeNames"

    /// Column path → attribute name, for the paths that contain the mask.
    public var owners: [String: String]

    public init(_ owners: [String: String] = [:]) {
        self.owners = owners
    }

    /// Parses the JSON form.
    /// - Throws: ``LakeError`` `.corruptTable` when the text is not an object of strings.
    public init(json: String) throws(LakeError) {
        let v: JSONValue
        do throws(LakeError) {
            v = try JSONValue(parsing: json)
        } catch {
            throw LakeError(.corruptTable, "\(Self.key) \(json): \(error.message)")
        }
        guard case .object(let members) = v else {
            throw LakeError(.corruptTable, "\(Self.key) \(json): expected an object")
        }
        var owners: [String: String] = [:]
        for m in members {
            guard let s = m.value.stringValue else {
                throw LakeError(.corruptTable, "\(Self.key): the owner of '\(m.key)' is not a string")
            }
            owners[m.key] = s
        }
        self.owners = owners
    }

    /// The JSON text stored in a commit (paths sorted, so equal records give equal text).
    public var json: String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, path) in owners.keys.sorted().enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(path, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.appendString(owners[path]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The attribute name that owns `path`, or `nil` when no entry names one.
    public func owner(of path: String) -> String? { owners[path] }

    /// Records that `attribute` fills `path` (only paths a rename could produce are kept).
    mutating func claim(_ path: String, by attribute: String) {
        let name = path.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard AttributeNaming.canBeRenamed(name) else { return }
        owners[path] = attribute
    }

    /// The path of a struct member.
    static func path(_ parent: String, _ member: String) -> String { parent + "." + member }
}

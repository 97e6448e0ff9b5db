/// Identifies a file group: its partition path and file id.
public struct FileGroupID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The partition path (`""` for non-partitioned tables).
    public var partitionPath: String
    /// The file id shared by every base file of the group.
    public var fileId: String

    /// The group `fileId` in `partitionPath`.
    public init(partitionPath: String, fileId: String) {
        self.partitionPath = partitionPath
        self.fileId = fileId
    }

    /// Orders by partition path, then file id.
    public static func < (a: FileGroupID, b: FileGroupID) -> Bool {
        (a.partitionPath, a.fileId) < (b.partitionPath, b.fileId)
    }

    /// `<partition>/<fileId>`, or the file id alone for a non-partitioned table.
    public var description: String { partitionPath.isEmpty ? fileId : "\(partitionPath)/\(fileId)" }
}

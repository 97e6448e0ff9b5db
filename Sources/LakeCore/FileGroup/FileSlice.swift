/// One version of a file group: the base file written at one instant (copy-on-write tables have
/// no log files, so a slice is exactly one Parquet file).
public struct FileSlice: Sendable, Hashable {
    /// The partition path (`""` for non-partitioned tables).
    public var partitionPath: String
    /// The slice's Parquet file.
    public var baseFile: BaseFile
    /// The file's size in bytes, from the listing or the write stat.
    public var size: Int64

    /// A slice of `baseFile` in `partitionPath`, `size` bytes.
    public init(partitionPath: String, baseFile: BaseFile, size: Int64) {
        self.partitionPath = partitionPath
        self.baseFile = baseFile
        self.size = size
    }

    /// The file group id.
    public var fileId: String { baseFile.fileId }

    /// The instant that wrote this slice.
    public var instantTime: String { baseFile.instantTime }

    /// The base file's path relative to the table root.
    public var path: String { StoragePath.join(partitionPath, baseFile.fileName) }

    /// The group this slice belongs to.
    public var fileGroupID: FileGroupID { FileGroupID(partitionPath: partitionPath, fileId: baseFile.fileId) }
}

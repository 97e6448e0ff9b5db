/// One version of a file group: the base file written at one instant, plus — in a merge-on-read
/// table — the log files that extend it (named with the base file's instant). A copy-on-write
/// slice is exactly one Parquet file.
public struct FileSlice: Sendable, Hashable {
    /// The partition path (`""` for non-partitioned tables).
    public var partitionPath: String
    /// The slice's Parquet file.
    public var baseFile: BaseFile
    /// The file's size in bytes, from the listing or the write stat.
    public var size: Int64
    /// The slice's log files in the order their blocks were appended (version, then write
    /// token), with their sizes; empty in copy-on-write tables. Blocks of instants that did
    /// not complete are filtered when the slice is read, not here.
    public var logFiles: [SizedLogFile] = []

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

    /// The path of one of the slice's log files relative to the table root.
    public func path(of log: LogFile) -> String { StoragePath.join(partitionPath, log.fileName) }

    /// The group this slice belongs to.
    public var fileGroupID: FileGroupID { FileGroupID(partitionPath: partitionPath, fileId: baseFile.fileId) }
}

/// A log file of a slice with its size in bytes (from the listing).
public struct SizedLogFile: Sendable, Hashable {
    /// The log file name.
    public var file: LogFile
    /// Its size in bytes.
    public var size: Int64

    /// `file`, `size` bytes.
    public init(file: LogFile, size: Int64) {
        self.file = file
        self.size = size
    }
}

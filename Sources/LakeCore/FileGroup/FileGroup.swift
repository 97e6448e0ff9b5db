/// All slices of one file group (partition + file id), ordered by instant.
///
/// Slices are keyed and ordered by their instant **string** (widened to 17 digits), as hudi-rs
/// keeps them (`BTreeMap<String, FileSlice>`); two base files of one group at the same instant
/// are an error, as in hudi-rs.
public struct FileGroup: Sendable, Hashable {
    /// The partition path (`""` for non-partitioned tables).
    public let partitionPath: String
    /// The file group id.
    public let fileId: String
    /// The slices, oldest instant first.
    public private(set) var slices: [FileSlice]

    /// An empty group.
    public init(partitionPath: String, fileId: String) {
        self.partitionPath = partitionPath
        self.fileId = fileId
        self.slices = []
    }

    /// The group's identity.
    public var id: FileGroupID { FileGroupID(partitionPath: partitionPath, fileId: fileId) }

    /// Adds a slice, keeping instant order.
    /// - Throws: `.invalidArgument` if the slice belongs to another group; `.corruptTable` if a
    ///   slice at the same instant is already present.
    public mutating func add(_ slice: FileSlice) throws(LakeError) {
        guard slice.partitionPath == partitionPath, slice.fileId == fileId else {
            throw LakeError(.invalidArgument, "slice \(slice.path) does not belong to file group \(id)")
        }
        let t = Instant.normalize(slice.instantTime)
        var lo = 0, hi = slices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Instant.normalize(slices[mid].instantTime) < t { lo = mid + 1 } else { hi = mid }
        }
        if lo < slices.count, Instant.normalize(slices[lo].instantTime) == t {
            throw LakeError(
                .corruptTable,
                "instant \(slice.instantTime) is already present in file group \(id): \(slices[lo].baseFile.fileName) and \(slice.baseFile.fileName)"
            )
        }
        slices.insert(slice, at: lo)
    }

    /// Adds a log file to the slice whose base file was written at its base instant, keeping
    /// the slice's logs in append order.
    /// - Returns: `false` if the group has no slice at that instant (the log is not attached).
    public mutating func attach(_ log: SizedLogFile) -> Bool {
        let t = Instant.normalize(log.file.baseInstant)
        guard let i = slices.firstIndex(where: { Instant.normalize($0.instantTime) == t }) else { return false }
        slices[i].logFiles.append(log)
        slices[i].logFiles.sort { $0.file < $1.file }
        return true
    }

    /// The slice a read as of `instant` sees: the one with the greatest instant `<= instant`
    /// (format page §7.1). `nil` if every slice is newer.
    public func slice(asOf instant: String) -> FileSlice? {
        let t = Instant.normalize(instant)
        return slices.last { Instant.normalize($0.instantTime) <= t }
    }

    /// The newest slice.
    public var latestSlice: FileSlice? { slices.last }

    /// Groups base files found by listing partition directories into file groups.
    ///
    /// Only names ending in `.parquet` are considered; other files (`.hoodie_partition_metadata`,
    /// `_SUCCESS`, `*.crc`, lake's temporary files) are skipped. Visibility (``Timeline/isCommitted(_:)``)
    /// is not applied here.
    /// - Parameter files: (partition path, file name, size) triples.
    /// - Throws: `.corruptTable` for a `*.parquet` name that is not a base file name, or two
    ///   files of one group at the same instant.
    public static func build(
        from files: some Sequence<(partitionPath: String, fileName: String, size: Int64)>
    ) throws(LakeError) -> [FileGroupID: FileGroup] {
        var groups: [FileGroupID: FileGroup] = [:]
        for f in files where f.fileName.hasSuffix("." + BaseFile.fileExtension) && !f.fileName.hasPrefix(".") {
            let base = try BaseFile(fileName: f.fileName)
            let id = FileGroupID(partitionPath: f.partitionPath, fileId: base.fileId)
            try groups[id, default: FileGroup(partitionPath: f.partitionPath, fileId: base.fileId)]
                .add(FileSlice(partitionPath: f.partitionPath, baseFile: base, size: f.size))
        }
        return groups
    }
}

/// The `.hoodie_partition_metadata` file Java writes in every partition directory (format
/// page §8). hudi-rs neither needs nor reads it; Java uses it to recognise partitions.
///
/// Content, Java `Properties.store` style:
/// ```
/// #partition metadata
/// #<date>
/// commitTime=<instant that created the partition>
/// partitionDepth=<number of path segments>
/// ```
public struct PartitionMetadata: Sendable, Hashable {
    /// The file name inside a partition directory.
    public static let fileName = ".hoodie_partition_metadata"

    /// The instant of the write that created the partition.
    public var commitTime: String
    /// The number of segments of the partition path (0 for a non-partitioned table's root).
    public var partitionDepth: Int

    /// Metadata for a partition created at `commitTime` with `partitionDepth` segments.
    public init(commitTime: String, partitionDepth: Int) {
        self.commitTime = commitTime
        self.partitionDepth = partitionDepth
    }

    /// Parses the file content.
    /// - Throws: `.corruptTable` if `commitTime` or an integer `partitionDepth` is missing.
    public init(bytes: [UInt8]) throws(LakeError) {
        let p: HoodieProperties
        do {
            p = try HoodieProperties(bytes: bytes)
        } catch {
            throw LakeError(.corruptTable, "\(Self.fileName) is not valid UTF-8")
        }
        guard let commit = p["commitTime"], !commit.isEmpty else {
            throw LakeError(.corruptTable, "\(Self.fileName): commitTime is missing")
        }
        guard let d = p["partitionDepth"], let depth = Int(d), depth >= 0 else {
            throw LakeError(.corruptTable, "\(Self.fileName): partitionDepth is missing or not a number")
        }
        self.init(commitTime: commit, partitionDepth: depth)
    }

    /// The file content, dated `savedAtMillis` (UTC).
    public func serialized(savedAtMillis: Int64) -> [UInt8] {
        let date = CivilTime(utcEpochMillis: savedAtMillis)
        return Array(
            "#partition metadata\n#\(date.javaDateString)\ncommitTime=\(commitTime)\npartitionDepth=\(partitionDepth)\n"
                .utf8)
    }
}

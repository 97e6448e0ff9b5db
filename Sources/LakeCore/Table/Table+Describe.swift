import LakeParquet

/// A summary of a table: configuration, schema, timeline and the live file groups.
public struct TableDescription: Sendable {
    public struct Commit: Sendable {
        public var instant: String
        public var action: String
        public var state: String
        public var operation: String?
        public var filesWritten: Int
        public var recordsWritten: Int64
    }
    public struct FileGroupInfo: Sendable {
        public var fileId: String
        public var baseFile: String
        public var rows: Int
        public var bytes: Int64
    }
    public struct PartitionInfo: Sendable {
        public var path: String
        public var fileGroups: [FileGroupInfo]
    }

    public var name: String
    public var path: String
    public var recordKeyFields: [String]
    public var precombineField: String?
    /// `hoodie.table.type`. For a merge-on-read table the row and byte counts are those of the
    /// base files (log files not merged).
    public var tableType: TableType = .copyOnWrite
    public var partitionFields: [String]
    public var hiveStyle: Bool
    public var schema: ParquetSchema?
    public var commits: [Commit]
    public var partitions: [PartitionInfo]

    public var totalRows: Int { partitions.reduce(0) { $0 + $1.fileGroups.reduce(0) { $0 + $1.rows } } }
    public var totalBytes: Int64 { partitions.reduce(0) { $0 + $1.fileGroups.reduce(0) { $0 + $1.bytes } } }
}

extension Table {
    /// Describes the table as of the loaded timeline (row counts come from Parquet footers).
    public func describe() throws(LakeError) -> TableDescription {
        var commits: [TableDescription.Commit] = []
        // One entry per instant time, in its most advanced state.
        var latest: [String: Instant] = [:]
        for i in timeline.instants where latest[i.timestamp].map({ $0.state < i.state }) ?? true {
            latest[i.timestamp] = i
        }
        for i in latest.values.sorted(by: { $0.timestamp < $1.timestamp }) {
            var c = TableDescription.Commit(
                instant: i.timestamp, action: i.action.rawValue, state: i.state.rawValue,
                operation: nil, filesWritten: 0, recordsWritten: 0)
            if i.state == .completed, i.action.isWrite, let m = try? commitMetadata(i) {
                c.operation = m.operationType?.rawValue
                c.filesWritten = m.allWriteStats.count
                c.recordsWritten = m.allWriteStats.reduce(0) { $0 + $1.numWrites }
            }
            commits.append(c)
        }
        let view = try FileSystemView.load(storage: storage, timeline: timeline)
        var byPartition: [String: [TableDescription.FileGroupInfo]] = [:]
        for s in try verifiedSlices(view, asOf: nil) {
            let r = try ParquetReaderCache.open(storage: storage, path: s.path)
            byPartition[s.partitionPath, default: []].append(
                .init(fileId: s.fileId, baseFile: s.baseFile.fileName, rows: r.rowCount, bytes: s.size))
        }
        return TableDescription(
            name: config.name, path: path, recordKeyFields: config.recordKeyFields,
            precombineField: config.precombineField, tableType: config.tableType,
            partitionFields: config.partitionFields,
            hiveStyle: config.hiveStylePartitioning, schema: schema?.dataSchema, commits: commits,
            partitions: byPartition.keys.sorted().map { .init(path: $0, fileGroups: byPartition[$0]!) })
    }
}

import LakeParquet

/// What one write does to one file group: which stored rows it replaces or removes and which
/// input rows it appends. Executing it writes the group's new file slice.
struct FileGroupPlan {
    let id: FileGroupID
    /// The slice being rewritten; nil for a new file group.
    var baseSlice: FileSlice?
    /// Stored rows (loaded when the group has updates, deletes or moves).
    var stored: StoredRows?
    /// Stored row index → input row that replaces it.
    var replacements: [Int: Int] = [:]
    /// Stored rows removed (deleted or moved to another partition).
    var removed: Set<Int> = []
    /// Input rows appended as new records.
    var inserts: [Int] = []
    /// Counters for the write stat.
    var numDeletes = 0

    var isNew: Bool { baseSlice == nil }
    /// Rows the new slice will hold.
    var outputRowCount: Int { (stored?.rowCount ?? 0) - removed.count + inserts.count }
}

/// The rows of a file slice, read whole and conformed to the table schema.
struct StoredRows {
    /// The meta columns a rewrite carries over, as read: `_hoodie_commit_time`,
    /// `_hoodie_commit_seqno`, `_hoodie_record_key` (the partition path and file name are
    /// written anew, so they are not read).
    var meta: [Column]
    /// Data columns in table-schema order.
    var data: RecordBatch
    /// Record key → row, for the keys asked for at load.
    var rowOfKey: [String: Int]
    var rowCount: Int { data.rowCount }
    /// Bytes of the file (for size estimates).
    var fileSize: Int64
    /// Columns the stored file wrote without a dictionary (mostly distinct values): the
    /// rewrite writes them PLAIN without trying one again.
    var plainColumns: Set<String> = []

    /// Reads a slice; `lookup` are the keys whose rows the caller needs in ``rowOfKey``.
    static func load(
        _ slice: FileSlice, table: Table, schema: TableSchema, lookup: [String] = []
    ) throws(LakeError) -> StoredRows {
        let reader = try ParquetReaderCache.open(storage: table.storage, path: slice.path)
        for name in TableSchema.metaColumns where reader.schema.fieldIndex(name) == nil {
            throw LakeError(.corruptTable, "\(slice.path) has no \(name) column")
        }
        let skipped: Set<String> = ["_hoodie_partition_path", "_hoodie_file_name"]
        let wanted = reader.schema.fields.map(\.name).filter { !skipped.contains($0) }
        var batches: [RecordBatch] = []
        for g in 0..<reader.rowGroupCount {
            batches.append(
                try lakeParquet(slice.path) { () throws(ParquetError) in try reader.readRowGroup(g, columns: wanted) })
        }
        let fileSchema = ParquetSchema(
            reader.schema.fields.filter { !skipped.contains($0.name) }, rootName: reader.schema.rootName)
        var meta: [Column] = []
        for name in TableSchema.metaColumns where !skipped.contains(name) {
            guard let i = fileSchema.fieldIndex(name) else {
                throw LakeError(.corruptTable, "\(slice.path) has no \(name) column")
            }
            meta.append(
                batches.isEmpty
                    ? Column(.byteArray(ByteArrayValues())) : Column.concatenate(batches.map { $0.columns[i] }))
        }
        let dataFields = fileSchema.fields.filter { !TableSchema.metaColumns.contains($0.name) }
        let dataIdx = fileSchema.fields.indices.filter { !TableSchema.metaColumns.contains(fileSchema.fields[$0].name) }
        let rows = Int(reader.rowCount)
        var dataCols: [Column] = []
        for i in dataIdx {
            dataCols.append(
                batches.isEmpty
                    ? BatchConformer.nulls(for: fileSchema.fields[i], count: 0)
                    : Column.concatenate(batches.map { $0.columns[i] }))
        }
        let raw = RecordBatch(schema: ParquetSchema(dataFields), columns: dataCols, rowCount: rows)
        let data = try BatchConformer.conform(raw, to: schema.fields)
        var rowOfKey: [String: Int] = [:]
        if !lookup.isEmpty, case .byteArray(let keys) = meta[2].data {
            rowOfKey.reserveCapacity(lookup.count)
            for (k, r) in zip(lookup, KeyProbe(lookup).rows(in: keys)) where r != nil { rowOfKey[k] = r }
        }
        var plain = Set<String>()
        let leaves = reader.schema.leaves
        if let chunks = reader.metadata.rowGroups.first?.columns, chunks.count == leaves.count {
            for (i, c) in chunks.enumerated() where leaves[i].path.count == 1 {
                guard let m = c.metaData, m.dictionaryPageOffset == nil,
                    !m.encodings.contains(.rleDictionary), !m.encodings.contains(.plainDictionary)
                else { continue }
                plain.insert(leaves[i].dottedPath)
            }
        }
        return StoredRows(
            // The size the opened reader saw (no second request to the storage).
            meta: meta, data: data, rowOfKey: rowOfKey, fileSize: Int64(reader.source.size),
            plainColumns: plain)
    }
}

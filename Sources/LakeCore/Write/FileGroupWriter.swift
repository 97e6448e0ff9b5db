import LakeParquet

/// Writes the new file slice of one file group: stored rows carried over in order (updated rows
/// replaced in place, removed rows dropped), then inserted rows. Carried-over rows keep their
/// `_hoodie_commit_time` and `_hoodie_commit_seqno`; new and updated rows get this instant and a
/// new sequence number `<instant>_<task>_<n>`; every row gets the new file's name.
struct FileGroupWriter {
    let table: Table
    let schema: TableSchema
    let instant: String
    /// This group's ordinal in the write, used in the write token and sequence numbers.
    let task: Int

    func write(_ plan: FileGroupPlan, input: RecordBatch, keys: [String]) throws(LakeError) -> HoodieWriteStat {
        let base = try BaseFile(fileId: plan.id.fileId, writeToken: "\(task)-0-0", instantTime: instant)
        let fileName = base.fileName
        let relPath = StoragePath.join(plan.id.partitionPath, fileName)

        // Which rows, from where: stored rows (maybe replaced by an input row), then inserts.
        var storedRows: [Int] = []
        var fromInput: [Int] = []          // input row for each new or updated output row
        var order: [(stored: Bool, index: Int)] = []
        if let stored = plan.stored {
            for s in 0..<stored.rowCount where !plan.removed.contains(s) {
                if let r = plan.replacements[s] {
                    order.append((false, fromInput.count)); fromInput.append(r)
                } else {
                    order.append((true, storedRows.count)); storedRows.append(s)
                }
            }
        }
        for r in plan.inserts { order.append((false, fromInput.count)); fromInput.append(r) }
        let total = order.count

        // Data columns: concatenate the kept stored rows and the input rows, then put them in order.
        let storedCount = storedRows.count
        let positions = order.map { $0.stored ? $0.index : storedCount + $0.index }
        let inOrder = positions.enumerated().allSatisfy { $0.offset == $0.element }
        var dataColumns: [Column] = []
        for (c, field) in schema.fields.enumerated() {
            var parts: [Column] = []
            if let stored = plan.stored, storedCount > 0 { parts.append(stored.data.columns[c].take(storedRows)) }
            if !fromInput.isEmpty { parts.append(input.columns[c].take(fromInput)) }
            let combined = parts.isEmpty ? BatchConformer.nulls(for: field, count: 0) : Column.concatenate(parts)
            dataColumns.append(inOrder ? combined : combined.take(positions))
        }

        // Meta columns.
        var commitTime = ByteArrayValues(), seqno = ByteArrayValues(), recordKey = ByteArrayValues()
        var partitionPath = ByteArrayValues(), fileNames = ByteArrayValues()
        let reserveRows = total
        commitTime.reserve(values: reserveRows, bytes: reserveRows * instant.utf8.count)
        var seq = 0
        let storedMeta = plan.stored?.meta
        func storedString(_ col: Int, _ row: Int) -> String {
            guard let m = storedMeta, case .byteArray(let a) = m[col].data else { return "" }
            return a.string(at: row)
        }
        for o in order {
            if o.stored {
                let s = storedRows[o.index]
                commitTime.append(storedString(0, s))
                seqno.append(storedString(1, s))
                recordKey.append(storedString(2, s))
            } else {
                commitTime.append(instant)
                seqno.append("\(instant)_\(task)_\(seq)")
                seq += 1
                recordKey.append(keys[fromInput[o.index]])
            }
            partitionPath.append(plan.id.partitionPath)
            fileNames.append(fileName)
        }
        let numUpdates = plan.replacements.count
        let numInserts = plan.inserts.count
        let metaColumns = [commitTime, seqno, recordKey, partitionPath, fileNames].map { Column(.byteArray($0)) }
        let fileSchema = schema.fileSchema
        let batch = RecordBatch(schema: fileSchema, columns: metaColumns + dataColumns, rowCount: total)

        // Write the Parquet file (fsynced: it must be durable before the commit completes).
        try table.storage.makeDirectories(plan.id.partitionPath)
        var options = ParquetWriterOptions()
        options.codec = table.parquetCodec
        options.createdBy = "lake version 0.1.0 (Hudi table version 6)"
        if total > 0, case .byteArray(let k) = metaColumns[2].data {
            var lo = 0, hi = 0
            for i in 1..<max(total, 1) {
                if k[i].lexicographicallyPrecedes(k[lo]) { lo = i }
                if k[hi].lexicographicallyPrecedes(k[i]) { hi = i }
            }
            options.keyValueMetadata = [KeyValue(key: "hoodie_min_record_key", value: k.string(at: lo)),
                                        KeyValue(key: "hoodie_max_record_key", value: k.string(at: hi))]
        }
        let abs = table.storage.absolutePath(relPath)
        _ = try lakeParquet(relPath) { () throws(ParquetError) in
            try ParquetFileWriter.write(total > 0 ? [batch] : [], schema: fileSchema, to: abs, options: options, durable: true)
        }
        let size = try table.storage.size(relPath)
        var stat = HoodieWriteStat(fileId: plan.id.fileId, path: relPath, partitionPath: plan.id.partitionPath,
                                   prevCommit: plan.baseSlice?.instantTime ?? HoodieWriteStat.nullCommit,
                                   numWrites: Int64(total), numDeletes: Int64(plan.numDeletes),
                                   numUpdateWrites: Int64(numUpdates), numInserts: Int64(numInserts),
                                   totalWriteBytes: size, fileSizeInBytes: size)
        stat.totalWriteErrors = 0
        return stat
    }
}

extension Table {
    /// The codec of new base files (`lake.parquet.codec`, default ZSTD).
    public var parquetCodec: CompressionCodec {
        config.lake["lake.parquet.codec"].flatMap { CompressionCodec(name: $0) } ?? .zstd
    }
}

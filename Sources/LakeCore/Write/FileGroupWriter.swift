#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
        let relPath = try Self.path(of: plan, task: task, instant: instant)
        let fileName = StoragePath.fileName(relPath)

        // Which rows, from where: stored rows (maybe replaced by an input row), then inserts.
        // Output order: stored rows in place (replaced ones by their input row, removed ones
        // dropped), then inserts. `picks[i] >= 0` is a stored row, `< 0` the input row
        // `fromInput[-1 - picks[i]]`.
        var fromInput: [Int] = []
        var picks: [Int] = []
        if let stored = plan.stored {
            var replacementOf = [Int](repeating: -1, count: stored.rowCount)
            for (s, r) in plan.replacements { replacementOf[s] = r }
            for s in plan.removed { replacementOf[s] = -2 }
            picks.reserveCapacity(stored.rowCount + plan.inserts.count)
            for s in 0..<stored.rowCount {
                let r = replacementOf[s]
                if r == -2 { continue }
                if r >= 0 { picks.append(-1 - fromInput.count); fromInput.append(r) } else { picks.append(s) }
            }
        }
        for r in plan.inserts { picks.append(-1 - fromInput.count); fromInput.append(r) }
        let total = picks.count

        /// Stored values and this write's values interleaved in output order.
        func assemble(_ stored: Column?, _ fresh: Column?, _ field: ParquetField) -> Column {
            switch (stored, fresh) {
            case (let s?, let f?): return Column.merge(s, f, picks: picks)
            case (let s?, nil): return s.take(picks)
            case (nil, let f?): return f
            case (nil, nil): return BatchConformer.nulls(for: field, count: 0)
            }
        }

        // Data columns.
        var dataColumns: [Column] = []
        for (c, field) in schema.fields.enumerated() {
            dataColumns.append(
                assemble(
                    plan.stored?.data.columns[c], fromInput.isEmpty ? nil : input.columns[c].take(fromInput), field))
        }

        // Meta columns: carried-over rows keep commit time, sequence number and key.
        let n = fromInput.count
        var commitTime = ByteArrayValues(), seqno = ByteArrayValues(), recordKey = ByteArrayValues()
        commitTime.reserve(values: n, bytes: n * 17)
        seqno.reserve(values: n, bytes: n * 26)
        let instantBytes = Array(instant.utf8)
        let seqPrefix = Array("\(instant)_\(task)_".utf8)
        for i in 0..<n {
            commitTime.bytes.append(contentsOf: instantBytes)
            commitTime.offsets.append(commitTime.bytes.count)
            seqno.bytes.append(contentsOf: seqPrefix)
            JSONWriter.appendInteger(Int64(i), to: &seqno.bytes)
            seqno.offsets.append(seqno.bytes.count)
            recordKey.append(keys[fromInput[i]])
        }
        let metaField = ParquetField.string("meta", nullable: true)
        let stored = plan.stored?.meta
        let metaColumns = [
            assemble(stored?[0], Column(.byteArray(commitTime)), metaField),
            assemble(stored?[1], Column(.byteArray(seqno)), metaField),
            assemble(stored?[2], Column(.byteArray(recordKey)), metaField),
            Column(.byteArray(Self.repeated(plan.id.partitionPath, total))),
            Column(.byteArray(Self.repeated(fileName, total))),
        ]
        let numUpdates = plan.replacements.count
        let numInserts = plan.inserts.count
        let fileSchema = schema.fileSchema
        let batch = RecordBatch(schema: fileSchema, columns: metaColumns + dataColumns, rowCount: total)

        // Write the Parquet file (durable before the commit completes).
        var options = ParquetWriterOptions()
        options.codec = table.parquetCodec
        options.createdBy = "lake version 0.1.0 (Hudi table version 6)"
        // Keys and sequence numbers are distinct in a file group; columns the stored file had
        // to write without a dictionary are likely still so. No dictionary attempt for them.
        options.plainColumns = Self.distinctColumns.union(
            table.config.recordKeyFields.count == 1 ? table.config.recordKeyFields : []
        )
        .union(plan.stored?.plainColumns ?? [])
        if total > 0, case .byteArray(let k) = metaColumns[2].data {
            let (lo, hi) = Self.bounds(k)
            options.keyValueMetadata = [
                KeyValue(key: "hoodie_min_record_key", value: k.string(at: lo)),
                KeyValue(key: "hoodie_max_record_key", value: k.string(at: hi)),
            ]
        }
        // Streamed to the storage and published whole under its name only once complete (a crash
        // or a failure leaves nothing under a base file name); its marker was written before.
        let size = try Self.writeParquet(
            batch, rows: total, schema: fileSchema, options: options,
            to: relPath, in: table)
        var stat = HoodieWriteStat(
            fileId: plan.id.fileId, path: relPath, partitionPath: plan.id.partitionPath,
            prevCommit: plan.baseSlice?.instantTime ?? HoodieWriteStat.nullCommit,
            numWrites: Int64(total), numDeletes: Int64(plan.numDeletes),
            numUpdateWrites: Int64(numUpdates), numInserts: Int64(numInserts),
            totalWriteBytes: size, fileSizeInBytes: size)
        stat.totalWriteErrors = 0
        return stat
    }
}

extension FileGroupWriter {
    /// The table path of the base file `plan` gets as the `task`-th group of write `instant`:
    /// `<partition>/<fileId>_<task>-0-0_<instant>.parquet`.
    static func path(of plan: FileGroupPlan, task: Int, instant: String) throws(LakeError) -> String {
        let base = try BaseFile(fileId: plan.id.fileId, writeToken: "\(task)-0-0", instantTime: instant)
        return StoragePath.join(plan.id.partitionPath, base.fileName)
    }

    /// Writes `batch` as the Parquet file `path` through a storage writer and publishes it.
    /// Returns the file's size.
    static func writeParquet(
        _ batch: RecordBatch, rows: Int, schema: ParquetSchema, options: ParquetWriterOptions,
        to path: String, in table: Table
    ) throws(LakeError) -> Int64 {
        let writer = try table.storage.makeWriter(path)
        let sink = StorageParquetSink(writer)
        do throws(LakeError) {
            do throws(ParquetError) {
                let parquet = try ParquetFileWriter(sink: sink, schema: schema, options: options)
                if rows > 0 { try parquet.write(batch) }
                try parquet.close()
            } catch {
                throw sink.failure ?? LakeError(error, file: path)
            }
            try CrashPoint.hit("commit-file", table.storage)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
        return writer.bytesWritten
    }

    /// Meta columns whose values are distinct within a file group.
    static let distinctColumns: Set<String> = ["_hoodie_commit_seqno", "_hoodie_record_key"]

    /// `count` copies of one string.
    static func repeated(_ s: String, _ count: Int) -> ByteArrayValues {
        let u = Array(s.utf8)
        var out = ByteArrayValues()
        u.withUnsafeBufferPointer { src in
            out.appendValues(count: count, totalBytes: count * u.count) { bytes, offsets in
                for i in 0..<count {
                    if !u.isEmpty { (bytes + i * u.count).update(from: src.baseAddress!, count: u.count) }
                    offsets[i] = (i + 1) * u.count
                }
            }
        }
        return out
    }

    /// The rows of the smallest and the largest value (byte-wise), for a non-empty column.
    static func bounds(_ values: ByteArrayValues) -> (min: Int, max: Int) {
        var lo = 0, hi = 0
        values.bytes.withUnsafeBytes { raw in
            values.offsets.withUnsafeBufferPointer { off in
                let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                func less(_ i: Int, _ j: Int) -> Bool {
                    let ni = off[i + 1] - off[i], nj = off[j + 1] - off[j]
                    let c = memcmp(base + off[i], base + off[j], min(ni, nj))
                    return c != 0 ? c < 0 : ni < nj
                }
                for i in 1..<(off.count - 1) {
                    if less(i, lo) { lo = i }
                    if less(hi, i) { hi = i }
                }
            }
        }
        return (lo, hi)
    }
}

extension Table {
    /// The codec of new base files (`lake.parquet.codec`, default ZSTD).
    public var parquetCodec: CompressionCodec {
        (try? config.value(.parquetCodec)) ?? .zstd
    }
}

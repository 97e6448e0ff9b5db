import LakeParquet

extension LogBlock {
    /// The records of a data block as one batch, in the block's own schema (meta columns
    /// included, as Hudi writes them).
    ///
    /// An Avro data block's content is a block version (`int`), from version 2 a record count
    /// (`int`), then per record its length (`int`) and its Avro binary encoding in the header's
    /// schema (``AvroBinaryDecoder``). A Parquet data block's content is a whole Parquet file.
    /// - Parameters:
    ///   - bytes: the whole log file.
    ///   - file: its path, for messages.
    /// - Throws: `.unsupported` for HFile and CDC blocks (lake does not read them yet, and never
    ///   ignores them silently); `.corruptTable` naming the file, block offset and record for
    ///   content that does not decode; `.invalidArgument` for a block without records (command,
    ///   corrupt, delete — see ``deleteRecords(in:file:)``).
    public func records(in bytes: [UInt8], file: String) throws(LakeError) -> RecordBatch {
        let where_ = "log file \(file), \(type) at offset \(offset)"
        switch type {
        case .avroData:
            return try avroRecords(bytes, where_)
        case .parquetData:
            let source = MemorySource(Array(bytes[content]), name: where_)
            return try lakeParquet(where_) { () throws(ParquetError) -> RecordBatch in
                let reader = try ParquetFileReader(source: source)
                let batches = try (0..<reader.rowGroupCount).map { g throws(ParquetError) in
                    try reader.readRowGroup(g)
                }
                if batches.count == 1 { return batches[0] }
                let n = reader.schema.fields.count
                let columns = (0..<n).map { i in Column.concatenate(batches.map { $0.columns[i] }) }
                return RecordBatch(
                    schema: reader.schema, columns: columns, rowCount: batches.reduce(0) { $0 + $1.rowCount })
            }
        case .hfileData, .cdcData:
            throw LakeError(
                .unsupported,
                "\(where_) (instant \(instantTime ?? "?")): lake does not read \(type)s yet; "
                    + "the table cannot be read by lake until they are supported")
        case .command, .corrupt, .delete:
            throw LakeError(
                .invalidArgument, "\(where_) holds no records\(type == .delete ? " (read it with deleteRecords)" : "")")
        }
    }

    private func avroRecords(_ bytes: [UInt8], _ where_: String) throws(LakeError) -> RecordBatch {
        guard let schemaJSON = schema else {
            throw LakeError(.corruptTable, "\(where_): the header has no SCHEMA")
        }
        let avro: AvroSchema
        do {
            avro = try AvroSchema(json: schemaJSON)
        } catch {
            throw LakeError(.corruptTable, "\(where_): the header's SCHEMA is not an Avro schema: \(error.message)")
        }
        var decoder = try AvroBinaryDecoder(schema: avro)
        let end = content.upperBound
        var at = content.lowerBound
        func int32() throws(LakeError) -> Int {
            guard at + 4 <= end else {
                throw LakeError(.corruptTable, "\(where_): content ends at offset \(at), 4 more bytes expected")
            }
            var v: UInt32 = 0
            for i in 0..<4 { v = v << 8 | UInt32(bytes[at + i]) }
            at += 4
            return Int(Int32(bitPattern: v))
        }
        let version = try int32()
        guard (1...3).contains(version) else {
            throw LakeError(.unsupported, "\(where_): Avro data block version \(version); lake reads versions 1 to 3")
        }
        let count = version >= 2 ? try int32() : Int.max
        guard count >= 0 else { throw LakeError(.corruptTable, "\(where_): record count \(count) is negative") }
        var read = 0
        let failure = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> LakeError? in
            do throws(LakeError) {
                while read < count && at < end {
                    let length = try int32()
                    guard length >= 0, at + length <= end else {
                        throw LakeError(
                            .corruptTable,
                            "\(where_): record \(read) at offset \(at - 4) is \(length) bytes, beyond the content's end at \(end)"
                        )
                    }
                    try decoder.append(
                        record: UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)]), origin: at, source: where_)
                    at += length
                    read += 1
                }
            } catch {
                return error
            }
            return nil
        }
        if let failure { throw failure }
        if count != Int.max, read != count {
            throw LakeError(.corruptTable, "\(where_): the block promises \(count) records but holds \(read)")
        }
        return decoder.finish()
    }
}

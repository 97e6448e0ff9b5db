import LakeBase

/// A record key deleted by a delete block (Hudi's `DeleteRecord`), with the ordering value the
/// delete carries.
public struct DeleteRecord: Sendable, Hashable {
    /// The deleted record key, as `_hoodie_record_key` holds it.
    public var recordKey: String
    /// The partition path of the deleted record.
    public var partitionPath: String?
    /// The delete's ordering value; `nil` — or `0`, the value Java writes for deletes without
    /// one — means natural order: the delete wins over every earlier record of its key.
    public var orderingValue: OrderingValue?

    /// A delete of `recordKey`.
    public init(recordKey: String, partitionPath: String?, orderingValue: OrderingValue?) {
        self.recordKey = recordKey
        self.partitionPath = partitionPath
        self.orderingValue = orderingValue
    }

    /// Whether the delete wins over every earlier record regardless of ordering values.
    public var isNaturalOrder: Bool { orderingValue == nil || orderingValue == .int(0) }
}

extension LogBlock {
    /// The record keys of a delete block.
    ///
    /// Hudi v6 (block version 3) writes a version (`int`), the length of the rest (`int`), and a
    /// `HoodieDeleteRecordList` in Avro binary encoding: an array of `HoodieDeleteRecord`
    /// records — `recordKey` and `partitionPath` (nullable strings) and `orderingVal`, a union of
    /// null, int, long, float, double, bytes, string, decimal bytes, date, time-millis,
    /// time-micros, timestamp-millis and timestamp-micros. Older block versions hold
    /// Kryo-serialized Java objects, which lake does not read.
    /// - Throws: `.unsupported` for block versions below 3; `.corruptTable` naming the file, block
    ///   and offset for content that does not decode.
    public func deleteRecords(in bytes: [UInt8], file: String) throws(LakeError) -> [DeleteRecord] {
        let where_ = "log file \(file), \(type) at offset \(offset)"
        let result = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<[DeleteRecord], LakeError> in
            var r = ByteReader<LakeError>(UnsafeRawBufferPointer(rebasing: raw[content]), origin: content.lowerBound)
            do throws(LakeError) {
                let version = Int32(bigEndian: try r.readLittleEndian(Int32.self))
                guard version >= 3 else {
                    throw LakeError(
                        .unsupported,
                        "\(where_): delete block version \(version) holds Kryo-serialized records, which lake does not read (version 3 is Avro)"
                    )
                }
                let length = Int32(bigEndian: try r.readLittleEndian(Int32.self))
                guard length >= 0, Int(length) == r.remaining else {
                    throw LakeError(.corruptTable, "delete list length \(length) but \(r.remaining) bytes follow")
                }
                var out: [DeleteRecord] = []
                while true {
                    let at = r.origin + r.position
                    var n = try r.readZigZag()
                    if n == 0 { break }
                    if n < 0 {
                        guard n != Int64.min else { throw LakeError(.corruptTable, "block count \(n) at offset \(at)") }
                        n = -n
                        _ = try r.readZigZag()
                    }
                    guard n <= r.remaining else {
                        throw LakeError(.corruptTable, "\(n) delete records at offset \(at) exceed the block")
                    }
                    for _ in 0..<Int(n) {
                        let recordAt = r.origin + r.position
                        guard let key = try Self.nullableString(&r, "recordKey") else {
                            throw LakeError(.corruptTable, "delete record at offset \(recordAt) has a null recordKey")
                        }
                        let partition = try Self.nullableString(&r, "partitionPath")
                        let ordering = try Self.orderingValue(&r)
                        out.append(DeleteRecord(recordKey: key, partitionPath: partition, orderingValue: ordering))
                    }
                }
                guard r.isAtEnd else {
                    throw LakeError(
                        .corruptTable, "\(r.remaining) bytes after the delete list at offset \(r.origin + r.position)")
                }
                return .success(out)
            } catch {
                if error.code == .unsupported { return .failure(error) }
                return .failure(LakeError(.corruptTable, "\(where_): \(error.message)"))
            }
        }
        return try result.get()
    }

    private static func nullableString(_ r: inout ByteReader<LakeError>, _ field: String) throws(LakeError) -> String? {
        let at = r.origin + r.position
        switch try r.readZigZag() {
        case 0: return nil
        case 1:
            let n = try r.readZigZag()
            guard n >= 0, n <= r.remaining else {
                throw LakeError(.corruptTable, "field '\(field)' length \(n) at offset \(at) exceeds the block")
            }
            return String(decoding: try r.readBytes(Int(n)), as: UTF8.self)
        case let b: throw LakeError(.corruptTable, "field '\(field)': union branch \(b) at offset \(at) does not exist")
        }
    }

    /// `orderingVal`: the union's branches in `HoodieDeleteRecord`'s order.
    private static func orderingValue(_ r: inout ByteReader<LakeError>) throws(LakeError) -> OrderingValue? {
        let at = r.origin + r.position
        let branch = try r.readZigZag()
        switch branch {
        case 0: return nil
        case 1, 2, 8, 9, 10, 11, 12: return .int(try r.readZigZag())
        case 3: return .double(Double(Float(bitPattern: try r.readLittleEndian(UInt32.self))))
        case 4: return .double(Double(bitPattern: try r.readLittleEndian(UInt64.self)))
        case 5, 6, 7:
            let n = try r.readZigZag()
            guard n >= 0, n <= r.remaining else {
                throw LakeError(.corruptTable, "field 'orderingVal' length \(n) at offset \(at) exceeds the block")
            }
            let b = Array(try r.readBytes(Int(n)))
            return branch == 7 ? OrderingValue.decimal(b) : .bytes(b)
        default:
            throw LakeError(.corruptTable, "field 'orderingVal': union branch \(branch) at offset \(at) does not exist")
        }
    }
}

import LakeBase

/// One block of a Hudi v6 log file (`HoodieLogBlock`, log format version 1), located in the
/// file's bytes.
///
/// Layout, all integers big-endian:
///
/// | bytes | field |
/// |---|---|
/// | 6 | magic `#HUDI#` |
/// | 8 | block size: the bytes after this field up to and including the footer and total length |
/// | 4 | log format version (1) |
/// | 4 | block type (``BlockType``) |
/// | 4 + n × (4 + 4 + len) | header: entry count, then (key ordinal, value length, UTF-8 value) |
/// | 8 + len | content length and content |
/// | 4 + n × (4 + 4 + len) | footer, like the header |
/// | 8 | total block length from the magic to the end of the footer |
///
/// A block whose size runs past the end of the file, or whose trailing total length disagrees
/// with its size, is corrupt (an interrupted append): like Hudi's `HoodieLogFileReader`, the
/// reader then scans forward to the next magic and reports the bytes in between as a
/// ``BlockType/corrupt`` block, which readers skip.
public struct LogBlock: Sendable, Hashable {
    /// `HoodieLogBlockType`, by its ordinal.
    public enum BlockType: Int32, Sendable, Hashable, CustomStringConvertible {
        /// A command; v6 has one, rollback of the blocks of a target instant.
        case command = 0
        /// Record keys deleted by an instant.
        case delete = 1
        /// Bytes that do not form a block (found by the reader, never written).
        case corrupt = 2
        /// Records in Avro binary encoding.
        case avroData = 3
        /// Records in an HFile (the metadata table's format).
        case hfileData = 4
        /// Records in an embedded Parquet file.
        case parquetData = 5
        /// Change-data-capture records.
        case cdcData = 6

        public var description: String {
            switch self {
            case .command: "COMMAND_BLOCK"
            case .delete: "DELETE_BLOCK"
            case .corrupt: "CORRUPT_BLOCK"
            case .avroData: "AVRO_DATA_BLOCK"
            case .hfileData: "HFILE_DATA_BLOCK"
            case .parquetData: "PARQUET_DATA_BLOCK"
            case .cdcData: "CDC_DATA_BLOCK"
            }
        }
    }

    /// Header and footer keys (`HeaderMetadataType`), by ordinal.
    public enum MetadataKey: Int32, Sendable, Hashable {
        case instantTime = 0
        case targetInstantTime = 1
        case schema = 2
        case commandBlockType = 3
        case compactedBlockTimes = 4
        case recordPositions = 5
        case blockIdentifier = 6
        case isPartial = 7
    }

    /// The magic every block starts with.
    public static let magic: [UInt8] = Array("#HUDI#".utf8)
    /// The only log format version Hudi v6 writes (it has a block type, header, content length,
    /// footer and total length).
    public static let formatVersion: Int32 = 1
    /// `COMMAND_BLOCK_TYPE` of a rollback command block.
    public static let rollbackCommand = "0"

    /// The block type.
    public var type: BlockType
    /// Header entries by key.
    public var header: [MetadataKey: String]
    /// Footer entries by key.
    public var footer: [MetadataKey: String]
    /// Where the block starts (its magic) in the file.
    public var offset: Int
    /// Where its content is in the file (empty for corrupt blocks).
    public var content: Range<Int>
    /// The block's length in the file, magic to total length.
    public var length: Int

    /// The instant that appended the block (`INSTANT_TIME`).
    public var instantTime: String? { header[.instantTime] }
    /// For a rollback command block, the instant whose blocks it rolls back.
    public var targetInstantTime: String? { header[.targetInstantTime] }
    /// The Avro schema (JSON) of the block's records (`SCHEMA`).
    public var schema: String? { header[.schema] }
    /// Whether this is a rollback command block.
    public var isRollback: Bool { type == .command && header[.commandBlockType] == Self.rollbackCommand }
}

extension LogBlock {
    /// Parses every block of a log file.
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - file: the file's path, for messages.
    /// - Returns: the blocks in file order, corrupt stretches as ``BlockType/corrupt`` blocks.
    /// - Throws: `.corruptTable` naming the file and offset when the file does not start with
    ///   the magic or a block that is whole (its size and total length agree) does not parse;
    ///   `.unsupported` for a log format version other than 1.
    public static func parseAll(_ bytes: [UInt8], file: String) throws(LakeError) -> [LogBlock] {
        var blocks: [LogBlock] = []
        var at = 0
        while at < bytes.count {
            guard hasMagic(bytes, at) else {
                if blocks.isEmpty {
                    throw LakeError(.corruptTable, "log file \(file) does not start with the magic #HUDI#")
                }
                throw LakeError(.corruptTable, "log file \(file): no block magic at offset \(at)")
            }
            if let size = wholeBlockSize(bytes, at) {
                let block = try parseBlock(bytes, at: at, size: size, file: file)
                blocks.append(block)
                at += block.length
            } else {
                // An interrupted append: skip to the next magic (or the end).
                var next = at + magic.count
                while next < bytes.count && !hasMagic(bytes, next) { next += 1 }
                blocks.append(
                    LogBlock(type: .corrupt, header: [:], footer: [:], offset: at, content: at..<at, length: next - at))
                at = next
            }
        }
        return blocks
    }

    static func hasMagic(_ b: [UInt8], _ at: Int) -> Bool {
        guard at + magic.count <= b.count else { return false }
        for i in 0..<magic.count where b[at + i] != magic[i] { return false }
        return true
    }

    static func bigEndian64(_ b: [UInt8], _ at: Int) -> Int64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(b[at + i]) }
        return Int64(bitPattern: v)
    }

    /// The block size of the block at `at` if the block is whole: its size fits the file and
    /// the trailing total length (which counts the magic) equals magic + size field + size − 8.
    static func wholeBlockSize(_ b: [UInt8], _ at: Int) -> Int? {
        let sizeAt = at + magic.count
        guard sizeAt + 8 <= b.count else { return nil }
        let size = bigEndian64(b, sizeAt)
        guard size >= 8, size <= Int64(b.count - sizeAt - 8) else { return nil }
        let end = sizeAt + 8 + Int(size)
        let total = bigEndian64(b, end - 8)
        guard total - Int64(magic.count) == size else { return nil }
        return Int(size)
    }

    private static func parseBlock(_ b: [UInt8], at: Int, size: Int, file: String) throws(LakeError) -> LogBlock {
        let start = at + magic.count + 8
        let end = start + size - 8  // before the total length
        let parsed = b.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<LogBlock, LakeError> in
            var r = ByteReader<LakeError>(UnsafeRawBufferPointer(rebasing: raw[start..<end]), origin: start)
            func int32() throws(LakeError) -> Int32 { Int32(bigEndian: try r.readLittleEndian(Int32.self)) }
            func fail(_ what: String) -> LakeError {
                LakeError(.corruptTable, "log file \(file), block at offset \(at): \(what)")
            }
            do throws(LakeError) {
                let version = try int32()
                guard version == formatVersion else {
                    throw LakeError(
                        .unsupported,
                        "log file \(file), block at offset \(at): log format version \(version); lake reads version 1 (Hudi table version 6)"
                    )
                }
                let rawType = try int32()
                guard let type = BlockType(rawValue: rawType) else { throw fail("unknown block type \(rawType)") }
                let header = try metadata(&r, what: "header")
                let contentLength = Int64(bigEndian: try r.readLittleEndian(Int64.self))
                guard contentLength >= 0, contentLength <= Int64(r.remaining) else {
                    throw fail("content length \(contentLength) exceeds the block's \(r.remaining) remaining bytes")
                }
                let contentStart = r.origin + r.position
                try r.skip(Int(contentLength))
                let footer = try metadata(&r, what: "footer")
                guard r.isAtEnd else { throw fail("\(r.remaining) unexpected bytes after the footer") }
                return .success(
                    LogBlock(
                        type: type, header: header, footer: footer, offset: at,
                        content: contentStart..<(contentStart + Int(contentLength)), length: size + magic.count + 8))
            } catch {
                if error.code == .unsupported || error.message.hasPrefix("log file ") { return .failure(error) }
                return .failure(fail(error.message))
            }
        }
        return try parsed.get()
    }

    private static func metadata(
        _ r: inout ByteReader<LakeError>, what: String
    ) throws(LakeError) -> [MetadataKey: String] {
        let count = Int32(bigEndian: try r.readLittleEndian(Int32.self))
        guard count >= 0, Int(count) <= r.remaining / 8 else {
            throw LakeError(.corruptTable, "\(what) entry count \(count) does not fit the block")
        }
        var out: [MetadataKey: String] = [:]
        for _ in 0..<Int(count) {
            let keyAt = r.origin + r.position
            let rawKey = Int32(bigEndian: try r.readLittleEndian(Int32.self))
            let length = Int32(bigEndian: try r.readLittleEndian(Int32.self))
            let value = try r.readBytes(Int(length))
            guard let key = MetadataKey(rawValue: rawKey) else {
                throw LakeError(.corruptTable, "unknown \(what) key \(rawKey) at offset \(keyAt)")
            }
            out[key] = String(decoding: value, as: UTF8.self)
        }
        return out
    }
}

extension LogBlock {
    /// The bytes of one block in log format version 1 — the frame merge-on-read writes append to
    /// a log file (the layout in ``LogBlock``): magic, size, version, type, header, content,
    /// footer, total length. Entries are written in key order.
    public static func serialize(
        type: BlockType, header: [MetadataKey: String], content: [UInt8], footer: [MetadataKey: String] = [:]
    ) -> [UInt8] {
        var body = ByteWriter()
        func int32(_ v: Int32) { body.appendLittleEndian(v.bigEndian) }
        func metadata(_ m: [MetadataKey: String]) {
            int32(Int32(m.count))
            for (k, v) in m.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                int32(k.rawValue)
                int32(Int32(v.utf8.count))
                body.append(contentsOf: v.utf8)
            }
        }
        int32(formatVersion)
        int32(type.rawValue)
        metadata(header)
        body.appendLittleEndian(Int64(content.count).bigEndian)
        body.append(contentsOf: content)
        metadata(footer)
        var out = ByteWriter(capacity: body.count + magic.count + 16)
        out.append(contentsOf: magic)
        out.appendLittleEndian(Int64(body.count + 8).bigEndian)
        out.append(contentsOf: body.bytes)
        out.appendLittleEndian(Int64(magic.count + 8 + body.count).bigEndian)
        return out.bytes
    }
}

import LakeBase

/// Where the record index says a key lives: in a file group, or deleted (a tombstone that
/// remembers the delete's ordering value, so an older event can never resurrect the row).
public enum IndexEntry: Sendable, Hashable {
    case live(partition: String, fileId: String)
    case deleted(ordering: OrderingValue)
}

extension OrderingValue {
    /// Appends a self-delimiting binary form (tag byte + payload).
    func encode(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(0)
        case .int(let v):
            out.append(1)
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        case .double(let v):
            out.append(2)
            withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case .bytes(let b):
            out.append(3)
            ByteWriter.appendVarint(UInt64(b.count), to: &out)
            out.append(contentsOf: b)
        }
    }

    static func decode(_ r: inout IndexCoding.Reader) throws(LakeError) -> OrderingValue {
        switch try r.byte() {
        case 0: return .null
        case 1: return .int(Int64(littleEndian: try r.fixed(Int64.self)))
        case 2: return .double(Double(bitPattern: UInt64(littleEndian: try r.fixed(UInt64.self))))
        case 3:
            let n = Int(try r.varint())
            return .bytes(Array(try r.bytes(n)))
        case let t:
            throw LakeError(
                .corruptTable, "record index: unknown ordering tag \(t) at byte \(r.position - 1) of \(r.name)")
        }
    }
}

/// Small binary helpers for index files (varints are LakeBase's ``ByteWriter``/``ByteReader``).
enum IndexCoding {
    static func appendString(_ s: String, _ out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            ByteWriter.appendVarint(UInt64(u.count), to: &out)
            out.append(contentsOf: u)
        }
    }

    /// FNV-1a, 64 bits: the stable hash of a record key (part of the on-disk format).
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func hash(_ key: [UInt8]) -> UInt64 { key.withUnsafeBytes { hash($0) } }

    /// A bounds-checked cursor over index bytes.
    struct Reader {
        let bytes: [UInt8]
        let name: String
        var position = 0

        init(_ bytes: [UInt8], name: String, position: Int = 0) {
            self.bytes = bytes
            self.name = name
            self.position = position
        }

        mutating func byte() throws(LakeError) -> UInt8 {
            guard position < bytes.count else { throw truncated() }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() throws(LakeError) -> UInt64 {
            let start = position
            do throws(LakeError) {
                return try bytes.withRawBytes { raw throws(LakeError) in
                    var r = ByteReader<LakeError>(raw)
                    r.position = start
                    let v = try r.readVarint()
                    position = r.position
                    return v
                }
            } catch {
                throw LakeError(.corruptTable, "record index file \(name): \(error.message)")
            }
        }

        mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws(LakeError) -> T {
            let n = MemoryLayout<T>.size
            guard position + n <= bytes.count else { throw truncated() }
            defer { position += n }
            return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
        }

        mutating func bytes(_ n: Int) throws(LakeError) -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - position else { throw truncated() }
            defer { position += n }
            return bytes[position..<(position + n)]
        }

        mutating func string() throws(LakeError) -> String {
            let n = Int(try varint())
            return String(decoding: try bytes(n), as: UTF8.self)
        }

        func truncated() -> LakeError {
            LakeError(.corruptTable, "record index file \(name) is truncated at byte \(position) of \(bytes.count)")
        }
    }
}

import CZlib

/// CRC-32 (IEEE 802.3, reflected polynomial `0xEDB88320`), the checksum of `java.util.zip.CRC32`
/// and zlib's `crc32`: `hoodie.table.checksum`, record-index files, Avro log blocks.
///
/// Computed by zlib (slicing tables, several GB/s).
/// `CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926`.
public struct CRC32: Sendable, Hashable {
    /// The running checksum of everything passed to ``update(_:)`` so far.
    public private(set) var value: UInt32 = 0

    /// A checksum of no bytes (0).
    public init() {}

    /// Adds bytes to the checksum.
    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        value = UInt32(truncatingIfNeeded: crc32_z(UInt(value), base.assumingMemoryBound(to: UInt8.self), raw.count))
    }

    /// Adds bytes to the checksum.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// The checksum of raw memory.
    public static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(raw)
        return crc.value
    }
}

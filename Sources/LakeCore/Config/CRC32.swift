/// CRC-32 (IEEE 802.3, reflected polynomial `0xEDB88320`), the checksum of `java.util.zip.CRC32`
/// and zlib's `crc32`. Used for `hoodie.table.checksum`.
///
/// Table-driven, one byte per step. `CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926`.
public struct CRC32: Sendable, Hashable {
    /// The running checksum of everything passed to ``update(_:)`` so far.
    public private(set) var value: UInt32 = 0

    /// A checksum of no bytes (0).
    public init() {}

    /// Adds bytes to the checksum.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        var c = ~value
        for b in bytes {
            c = Self.table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8)
        }
        value = ~c
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// `table[n]` is the CRC of the single byte `n`.
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 {
            c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1
        }
        return c
    }
}

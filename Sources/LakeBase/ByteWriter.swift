/// A growable little-endian byte buffer used by every binary encoder.
///
/// Appends are amortised O(1); `bytes` is the written content.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8]

    @inlinable
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable public var count: Int { bytes.count }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    @inlinable @inline(__always)
    public mutating func append<S: Sequence>(contentsOf s: S) where S.Element == UInt8 { bytes.append(contentsOf: s) }

    @inlinable
    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Appends the little-endian bytes of a fixed-width integer.
    @inlinable @inline(__always)
    public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an unsigned LEB128 varint.
    @inlinable @inline(__always)
    public mutating func appendVarint(_ value: UInt64) {
        Self.appendVarint(value, to: &bytes)
    }

    /// Appends a zigzag-encoded signed varint.
    @inlinable @inline(__always)
    public mutating func appendZigZag(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends the raw memory of a contiguous array of trivial values (little-endian hosts only).
    @inlinable
    public mutating func appendRaw<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
    }

    /// Appends an unsigned LEB128 varint to any byte array (for encoders that build `[UInt8]`
    /// directly).
    @inlinable @inline(__always)
    public static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}

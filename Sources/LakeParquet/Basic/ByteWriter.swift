/// A growable little-endian byte buffer used by every encoder.
///
/// Appends are amortised O(1); `bytes` is the written content.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    @inline(__always)
    public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    @inline(__always)
    public mutating func append<S: Sequence>(contentsOf s: S) where S.Element == UInt8 { bytes.append(contentsOf: s) }

    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(raw))
    }

    /// Appends the little-endian bytes of a fixed-width integer.
    @inline(__always)
    public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an unsigned LEB128 varint.
    @inline(__always)
    public mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends a zigzag-encoded signed varint.
    @inline(__always)
    public mutating func appendZigZag(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends the raw memory of a contiguous array of trivial values (little-endian hosts only).
    public mutating func appendRaw<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
    }
}

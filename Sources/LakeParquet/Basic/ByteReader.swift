/// A bounds-checked cursor over bytes, used by every decoder.
///
/// Every read checks the remaining length first and throws ``ParquetError`` with code
/// `.truncated` or `.corrupt` instead of trapping, so hostile input cannot crash a reader.
/// `position` is relative to the start of `base`; `origin` is added to offsets in messages
/// so errors can name a file offset.
public struct ByteReader {
    public let base: UnsafeRawBufferPointer
    public var position: Int
    /// The file offset of `base[0]`, used only in error messages.
    public var origin: Int

    public init(_ base: UnsafeRawBufferPointer, origin: Int = 0) {
        self.base = base
        self.position = 0
        self.origin = origin
    }

    public var remaining: Int { base.count - position }
    public var isAtEnd: Bool { position >= base.count }

    @inline(__always)
    public mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < base.count else {
            throw ParquetError(.truncated, "unexpected end of data at offset \(origin + position)")
        }
        let b = base[position]
        position += 1
        return b
    }

    @inline(__always)
    public mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws(ParquetError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw ParquetError(.truncated, "need \(size) bytes at offset \(origin + position), have \(remaining)")
        }
        let v = base.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: v)
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes.
    @inline(__always)
    public mutating func readVarint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            if shift == 63 && b > 1 {
                throw ParquetError(.corrupt, "varint overflows 64 bits at offset \(origin + position - 1)")
            }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 {
                throw ParquetError(.corrupt, "varint longer than 10 bytes at offset \(origin + position - 1)")
            }
        }
    }

    @inline(__always)
    public mutating func readZigZag() throws(ParquetError) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// Returns the next `count` bytes as a buffer slice and advances past them.
    public mutating func readBytes(_ count: Int) throws(ParquetError) -> UnsafeRawBufferPointer {
        guard count >= 0 else {
            throw ParquetError(.corrupt, "negative length \(count) at offset \(origin + position)")
        }
        guard count <= remaining else {
            throw ParquetError(.truncated, "length \(count) at offset \(origin + position) exceeds the \(remaining) bytes left")
        }
        let slice = UnsafeRawBufferPointer(rebasing: base[position..<(position + count)])
        position += count
        return slice
    }

    public mutating func skip(_ count: Int) throws(ParquetError) {
        _ = try readBytes(count)
    }
}

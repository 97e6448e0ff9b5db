/// A bounds-checked cursor over bytes, used by every binary decoder (Parquet's Thrift and
/// encodings, the record index, Avro).
///
/// Every read checks the remaining length first and throws `Failure` — the calling module's own
/// error type, through ``ByteDecodingFailure`` — with a `truncated` or `corrupt` message instead of
/// trapping, so hostile input cannot crash a reader. `position` is relative to the start of
/// `base`; `origin` is added to offsets in messages so errors can name a file offset.
public struct ByteReader<Failure: ByteDecodingFailure> {
    public let base: UnsafeRawBufferPointer
    public var position: Int
    /// The file offset of `base[0]`, used only in error messages.
    public var origin: Int

    @inlinable
    public init(_ base: UnsafeRawBufferPointer, origin: Int = 0) {
        self.base = base
        self.position = 0
        self.origin = origin
    }

    @inlinable public var remaining: Int { base.count - position }
    @inlinable public var isAtEnd: Bool { position >= base.count }

    @inlinable @inline(__always)
    public mutating func readByte() throws(Failure) -> UInt8 {
        guard position < base.count else {
            throw Failure.truncated("unexpected end of data at offset \(origin + position)")
        }
        let b = base[position]
        position += 1
        return b
    }

    @inlinable @inline(__always)
    public mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws(Failure) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw Failure.truncated("need \(size) bytes at offset \(origin + position), have \(remaining)")
        }
        let v = base.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: v)
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes.
    @inlinable @inline(__always)
    public mutating func readVarint() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            if shift == 63 && b > 1 {
                throw Failure.corrupt("varint overflows 64 bits at offset \(origin + position - 1)")
            }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 {
                throw Failure.corrupt("varint longer than 10 bytes at offset \(origin + position - 1)")
            }
        }
    }

    /// Reads a zigzag-encoded signed varint.
    @inlinable @inline(__always)
    public mutating func readZigZag() throws(Failure) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// Returns the next `count` bytes as a buffer slice and advances past them.
    @inlinable
    public mutating func readBytes(_ count: Int) throws(Failure) -> UnsafeRawBufferPointer {
        guard count >= 0 else {
            throw Failure.corrupt("negative length \(count) at offset \(origin + position)")
        }
        guard count <= remaining else {
            throw Failure.truncated(
                "length \(count) at offset \(origin + position) exceeds the \(remaining) bytes left")
        }
        let slice = UnsafeRawBufferPointer(rebasing: base[position..<(position + count)])
        position += count
        return slice
    }

    /// Advances past the next `count` bytes.
    @inlinable
    public mutating func skip(_ count: Int) throws(Failure) {
        _ = try readBytes(count)
    }
}

/// The error a ``ByteReader`` throws: each module's own error type conforms, so decoding errors
/// arrive in the caller's type without conversion.
public protocol ByteDecodingFailure: Error {
    /// The input ended before a structure it promised was complete.
    static func truncated(_ message: String) -> Self
    /// The bytes do not form a valid structure (an overlong varint, a negative length).
    static func corrupt(_ message: String) -> Self
}

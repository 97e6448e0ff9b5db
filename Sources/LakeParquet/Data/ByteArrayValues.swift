/// Variable-length byte strings stored contiguously: value `i` is `bytes[offsets[i]..<offsets[i+1]]`.
///
/// `offsets.count == count + 1` and `offsets[0] == 0`. A null slot holds an empty value.
public struct ByteArrayValues: Sendable, Hashable {
    public var offsets: [Int]
    public var bytes: [UInt8]

    public init() {
        offsets = [0]
        bytes = []
    }

    public init(offsets: [Int], bytes: [UInt8]) {
        precondition(!offsets.isEmpty && offsets[0] == 0, "offsets must start with 0")
        self.offsets = offsets
        self.bytes = bytes
    }

    /// Builds values from Swift strings (UTF-8).
    public init<S: Sequence>(strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    /// Builds values from byte arrays.
    public init<S: Sequence>(arrays: S) where S.Element == [UInt8] {
        self.init()
        for a in arrays { append(a) }
    }

    public var count: Int { offsets.count - 1 }

    public mutating func reserve(values: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(values + 1)
        bytes.reserveCapacity(byteCount)
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(bytes.count)
    }

    public mutating func append<C: Collection>(_ value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
        offsets.append(bytes.count)
    }

    /// Appends `count` values holding `totalBytes` bytes in all, written by `fill` straight into
    /// the storage: `fill(bytes, offsets)` gets the first free byte and the first free offset
    /// slot, and must write exactly `totalBytes` bytes and `count` end offsets (absolute, that is
    /// counted from the start of ``bytes``, ascending). Both arrays grow once, so bulk decoders
    /// and gathers copy each value with one `memcpy` instead of an `Array.append` per value.
    @inline(__always)
    public mutating func appendValues(
        count: Int, totalBytes: Int,
        _ fill: (_ bytes: UnsafeMutablePointer<UInt8>, _ offsets: UnsafeMutablePointer<Int>) -> Void
    ) {
        guard count > 0 else { return }
        if bytes.isEmpty && offsets.count == 1 && totalBytes > 0 {
            // Fresh storage (a new column, a page's first values): no zero-filling first.
            var ends = [Int](unsafeUninitializedCapacity: count + 1) { buffer, initialized in
                buffer[0] = 0
                initialized = count + 1
            }
            bytes = [UInt8](unsafeUninitializedCapacity: totalBytes) { buffer, initialized in
                ends.withUnsafeMutableBufferPointer { o in fill(buffer.baseAddress!, o.baseAddress! + 1) }
                initialized = totalBytes
            }
            offsets = ends
            return
        }
        let byteStart = bytes.count, offsetStart = offsets.count
        if totalBytes > 0 { bytes.append(contentsOf: repeatElement(0, count: totalBytes)) }
        offsets.append(contentsOf: repeatElement(0, count: count))
        var spare: UInt8 = 0
        bytes.withUnsafeMutableBufferPointer { b in
            offsets.withUnsafeMutableBufferPointer { o in
                if let base = b.baseAddress {
                    fill(base + byteStart, o.baseAddress! + offsetStart)
                } else {
                    // No bytes at all (empty values only): `fill` writes none.
                    withUnsafeMutablePointer(to: &spare) { fill($0, o.baseAddress! + offsetStart) }
                }
            }
        }
    }

    /// Appends an empty value (used for null slots).
    public mutating func appendEmpty() { offsets.append(bytes.count) }

    /// Drops the values beyond the first `n` (nothing when there are `n` or fewer).
    public mutating func truncate(to n: Int) {
        guard n < count else { return }
        offsets.removeLast(offsets.count - (n + 1))
        bytes.removeLast(bytes.count - offsets[n])
    }

    /// The bytes of value `i`.
    @inline(__always)
    public subscript(i: Int) -> ArraySlice<UInt8> { bytes[offsets[i]..<offsets[i + 1]] }

    /// Value `i` decoded as UTF-8 (invalid sequences are repaired).
    public func string(at i: Int) -> String {
        bytes.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[offsets[i]..<offsets[i + 1]]), as: UTF8.self)
        }
    }

    public func length(at i: Int) -> Int { offsets[i + 1] - offsets[i] }
}

/// Fixed-width byte strings: value `i` is `bytes[i*width..<(i+1)*width]`.
public struct FixedByteArrayValues: Sendable, Hashable {
    public var width: Int
    public var bytes: [UInt8]

    public init(width: Int, bytes: [UInt8] = []) {
        precondition(width > 0, "width must be positive")
        self.width = width
        self.bytes = bytes
    }

    public var count: Int { bytes.count / width }

    public subscript(i: Int) -> ArraySlice<UInt8> { bytes[(i * width)..<((i + 1) * width)] }

    public mutating func append<C: Collection>(_ value: C) where C.Element == UInt8 {
        precondition(value.count == width, "value has \(value.count) bytes, column width is \(width)")
        bytes.append(contentsOf: value)
    }

    public mutating func appendZeros() { bytes.append(contentsOf: repeatElement(0, count: width)) }
}

/// Generates file group ids the way Java does: a random (version 4) UUID in lowercase plus a
/// `-<n>` suffix, e.g. `6b3f1b9e-2b1a-4c58-9a51-0d1c1f6a0001-0`.
///
/// Inject a seed for deterministic ids in tests; the default draws from the system's secure
/// random source. A value owned by one writer.
public struct FileIdGenerator: Sendable {
    private var state: UInt64?

    /// Ids from the system random source.
    public init() { state = nil }

    /// Deterministic ids: the same seed always yields the same sequence (SplitMix64).
    public init(seed: UInt64) { state = seed }

    /// A new file id `<uuid>-<index>`; Java uses index 0 unless one write creates several file
    /// groups from one UUID prefix.
    public mutating func next(index: Int = 0) -> String {
        "\(nextUUID())-\(index)"
    }

    /// A new lowercase version-4 UUID string.
    public mutating func nextUUID() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        var hi = nextRandom(), lo = nextRandom()
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: hi >> 56)
            bytes[8 + i] = UInt8(truncatingIfNeeded: lo >> 56)
            hi <<= 8
            lo <<= 8
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func nextRandom() -> UInt64 {
        guard var s = state else {
            var g = SystemRandomNumberGenerator()
            return g.next()
        }
        s &+= 0x9E37_79B9_7F4A_7C15
        state = s
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Whether `id` can be a file id in a base file name (non-empty, `[A-Za-z0-9-]` only).
    public static func isValid(_ id: String) -> Bool {
        (try? BaseFile.checkPart(id, "file id")) != nil
    }
}

import LakeBase

/// The framing of record index files (`.hoodie/lake/index/base_<T>.idx`, `delta_<T>.idx`): an
/// 8-byte magic naming the kind and version, the payload, and — from version 2 on — a CRC-32
/// (`java.util.zip.CRC32`'s, little-endian) of every byte before it as the last 4 bytes.
///
/// | version | magic (base / delta) | checksum |
/// |---|---|---|
/// | 1 | `LKIDXB1\n` / `LKIDXD1\n` | none (lake before the checksum; read, never written) |
/// | 2 | `LKIDXB2\n` / `LKIDXD2\n` | CRC-32 trailer, checked before anything is read |
///
/// The payload is the same in both versions. A version-2 file whose checksum does not match —
/// flipped bytes, a truncated or extended file — is refused with `.corruptTable` before a single
/// entry is used, so a damaged index can never route a key to the wrong file group (which would
/// write the key twice). Version-1 files cannot be checked; they are read as before and the next
/// write replaces them with a version-2 base (``RecordIndex/hasUncheckedFiles``).
enum IndexFileFormat {
    /// What an index file is.
    enum Kind: Sendable {
        case base, delta

        var letter: UInt8 { self == .base ? UInt8(ascii: "B") : UInt8(ascii: "D") }
        var name: String { self == .base ? "base" : "delta" }
    }

    /// The version lake writes.
    static let currentVersion = 2
    /// Bytes of the checksum trailer.
    static let trailerSize = 4

    /// The magic of `kind` at `version`: `LKIDX<B|D><version>\n`.
    static func magic(_ kind: Kind, version: Int = currentVersion) -> [UInt8] {
        Array("LKIDX".utf8) + [kind.letter, UInt8(ascii: "0") + UInt8(version), UInt8(ascii: "\n")]
    }

    /// Appends the checksum trailer to a payload that starts with the current magic.
    static func seal(_ bytes: inout [UInt8]) {
        let crc = CRC32.checksum(bytes)
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Checks the magic and, for version 2, the checksum of an index file.
    /// - Returns: the file's version (1 or 2).
    /// - Throws: `.corruptTable` naming `name` for a wrong magic (not an index file of `kind`) or
    ///   a checksum mismatch (with the stored and computed values).
    static func verify(_ bytes: [UInt8], kind: Kind, name: String) throws(LakeError) -> Int {
        guard bytes.count >= 8, Array(bytes[0..<5]) == Array("LKIDX".utf8), bytes[5] == kind.letter,
            bytes[7] == 0x0A
        else {
            throw LakeError(
                .corruptTable,
                "record index \(kind.name) \(name) has a bad header (not a lake index file, or damaged)")
        }
        switch bytes[6] {
        case UInt8(ascii: "1"):
            return 1
        case UInt8(ascii: "2"):
            guard bytes.count >= 8 + trailerSize else {
                throw LakeError(.corruptTable, "record index \(kind.name) \(name) is truncated (\(bytes.count) bytes)")
            }
            let end = bytes.count - trailerSize
            let stored = bytes.withUnsafeBytes {
                UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: end, as: UInt32.self))
            }
            let computed = CRC32.checksum(bytes[0..<end])
            guard stored == computed else {
                throw LakeError(
                    .corruptTable,
                    """
                    record index \(kind.name) \(name) is damaged: its CRC-32 is \(computed), the file says \(stored) \
                    (\(bytes.count) bytes)
                    """)
            }
            return 2
        case let v:
            let version = Character(Unicode.Scalar(v))
            throw LakeError(.corruptTable, "record index \(kind.name) \(name) has unknown version '\(version)'")
        }
    }
}

/// A base file name: `<fileId>_<writeToken>_<instantTime>.parquet` (format page §6).
///
/// hudi-rs splits the name on `_` and takes part 0 as the file id, part 1 as the write token and
/// part 2 as the instant, so neither the file id nor the token may contain `_`. lake is stricter
/// than that: file id and token are non-empty runs of ASCII letters, digits and `-` (what Java
/// writes: `<uuid>-<n>` and `<partition>-<stage>-<attempt>`), and the instant is 14 or 17 digits.
/// ``init(fileName:)`` and ``fileName`` round-trip.
public struct BaseFile: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file group id.
    public let fileId: String
    /// The write token (`0-0-0`); distinguishes retries of the same write.
    public let writeToken: String
    /// The instant of the write that produced this file.
    public let instantTime: String

    /// The only base file format lake reads and writes.
    public static let fileExtension = "parquet"

    /// A base file name from its parts.
    /// - Throws: `.invalidArgument` naming the part that is empty, contains `_` or other
    ///   characters outside `[A-Za-z0-9-]`, or (instant) is not 14 or 17 digits.
    public init(fileId: String, writeToken: String, instantTime: String) throws(LakeError) {
        try Self.checkPart(fileId, "file id")
        try Self.checkPart(writeToken, "write token")
        guard instantTime.isAllASCIIDigits, instantTime.utf8.count == 17 || instantTime.utf8.count == 14 else {
            throw LakeError(.invalidArgument, "base file instant '\(instantTime)' is not 17 (or 14) digits")
        }
        self.fileId = fileId
        self.writeToken = writeToken
        self.instantTime = instantTime
    }

    /// Parses a base file name (the last path segment).
    /// - Throws: `.corruptTable` if the name is not `<fileId>_<token>_<instant>.parquet` with
    ///   valid parts (hudi-rs fails a whole read on such a `*.parquet` file).
    public init(fileName: String) throws(LakeError) {
        let suffix = "." + Self.fileExtension
        guard fileName.hasSuffix(suffix) else {
            throw LakeError(.corruptTable, "'\(fileName)' is not a base file name: it does not end in \(suffix)")
        }
        let stem = fileName.dropLast(suffix.count)
        let parts = stem.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw LakeError(
                .corruptTable, "'\(fileName)' is not a base file name: expected <fileId>_<writeToken>_<instant>.parquet"
            )
        }
        do {
            try self.init(fileId: String(parts[0]), writeToken: String(parts[1]), instantTime: String(parts[2]))
        } catch {
            throw LakeError(.corruptTable, "'\(fileName)' is not a base file name: \(error.message)")
        }
    }

    /// `nil` instead of an error for names that are not base files.
    public static func parse(_ fileName: String) -> BaseFile? {
        try? BaseFile(fileName: fileName)
    }

    /// `<fileId>_<writeToken>_<instantTime>.parquet`.
    public var fileName: String {
        "\(fileId)_\(writeToken)_\(instantTime).\(Self.fileExtension)"
    }

    /// The file name.
    public var description: String { fileName }

    /// Java's write token layout: `<taskPartitionId>-<stageId>-<taskAttemptId>`.
    public static func writeToken(taskPartition: Int, stage: Int, attempt: Int) -> String {
        "\(taskPartition)-\(stage)-\(attempt)"
    }

    /// Orders by file id, then instant (widened to 17 digits), then write token.
    public static func < (a: BaseFile, b: BaseFile) -> Bool {
        if a.fileId != b.fileId { return a.fileId < b.fileId }
        let ia = Instant.normalize(a.instantTime), ib = Instant.normalize(b.instantTime)
        if ia != ib { return ia < ib }
        return a.writeToken < b.writeToken
    }

    static func checkPart(_ s: String, _ what: String) throws(LakeError) {
        guard !s.isEmpty else { throw LakeError(.invalidArgument, "base file \(what) is empty") }
        for u in s.utf8 {
            let ok = (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5A) || (u >= 0x61 && u <= 0x7A) || u == 0x2D
            if !ok {
                let c =
                    u == 0x5F
                    ? "'_'"
                    : "character \(u < 0x20 || u >= 0x7F ? "0x" + String(u, radix: 16) : "'\(Character(Unicode.Scalar(u)))'")"
                throw LakeError(
                    .invalidArgument,
                    "base file \(what) '\(StoragePath.printable(s))' contains \(c); only A-Z a-z 0-9 and '-' are allowed"
                )
            }
        }
    }
}

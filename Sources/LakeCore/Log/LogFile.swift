/// A merge-on-read log file name: `.<fileId>_<baseInstant>.log.<version>_<writeToken>` (Hudi's
/// `HoodieLogFile`).
///
/// A log file belongs to the file slice of its file group whose base file was written at
/// `baseInstant`; its blocks (``LogBlock``) carry the instants of the delta commits that appended
/// them. Versions count up from 1 within a slice; files of one slice are read in (version, write
/// token) order, which is the order their blocks were appended in.
public struct LogFile: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file group id.
    public let fileId: String
    /// The instant of the slice's base file (the slice the log extends).
    public let baseInstant: String
    /// The log version, 1 upward.
    public let version: Int
    /// The write token of the writer that created the file (`0-33-47`).
    public let writeToken: String

    /// The extension between the base instant and the version.
    public static let marker = ".log."

    /// A log file name from its parts.
    /// - Throws: `.invalidArgument` if the file id or token is not a run of `[A-Za-z0-9-]`, the
    ///   instant is not 14 or 17 digits, or the version is below 1.
    public init(fileId: String, baseInstant: String, version: Int, writeToken: String) throws(LakeError) {
        try BaseFile.checkPart(fileId, "file id")
        try BaseFile.checkPart(writeToken, "write token")
        guard baseInstant.isAllASCIIDigits, baseInstant.utf8.count == 17 || baseInstant.utf8.count == 14 else {
            throw LakeError(.invalidArgument, "log file base instant '\(baseInstant)' is not 17 (or 14) digits")
        }
        guard version >= 1 else { throw LakeError(.invalidArgument, "log file version \(version) is below 1") }
        self.fileId = fileId
        self.baseInstant = baseInstant
        self.version = version
        self.writeToken = writeToken
    }

    /// Parses a log file name (the last path segment).
    /// - Throws: `.corruptTable` naming the file if it is not
    ///   `.<fileId>_<baseInstant>.log.<version>_<writeToken>` with valid parts.
    public init(fileName: String) throws(LakeError) {
        func bad(_ why: String) -> LakeError {
            LakeError(
                .corruptTable,
                "'\(StoragePath.printable(fileName))' is not a log file name "
                    + "(.<fileId>_<baseInstant>.log.<version>_<writeToken>): \(why)")
        }
        guard fileName.hasPrefix("."), let marker = fileName.firstRange(of: Self.marker) else {
            throw bad("no leading '.' or no '\(Self.marker)'")
        }
        let head = fileName[fileName.index(after: fileName.startIndex)..<marker.lowerBound]
        let tail = fileName[marker.upperBound...]
        guard let u1 = head.lastIndex(of: "_"), let u2 = tail.firstIndex(of: "_") else {
            throw bad("missing '_'")
        }
        guard let version = Int(tail[..<u2]) else { throw bad("version '\(tail[..<u2])' is not a number") }
        do {
            try self.init(
                fileId: String(head[..<u1]), baseInstant: String(head[head.index(after: u1)...]), version: version,
                writeToken: String(tail[tail.index(after: u2)...]))
        } catch {
            throw bad(error.message)
        }
    }

    /// `nil` instead of an error for names that are not log files.
    public static func parse(_ fileName: String) -> LogFile? {
        try? LogFile(fileName: fileName)
    }

    /// Whether a file name looks like a log file (a leading `.` and `.log.`), valid or not.
    public static func looksLikeLogFile(_ fileName: String) -> Bool {
        fileName.hasPrefix(".") && fileName.contains(marker) && !fileName.hasSuffix(".crc")
    }

    /// `.<fileId>_<baseInstant>.log.<version>_<writeToken>`.
    public var fileName: String { ".\(fileId)_\(baseInstant)\(Self.marker)\(version)_\(writeToken)" }

    /// The file name.
    public var description: String { fileName }

    /// Orders by file id, base instant, version, then write token (the order blocks were written).
    public static func < (a: LogFile, b: LogFile) -> Bool {
        if a.fileId != b.fileId { return a.fileId < b.fileId }
        let ia = Instant.normalize(a.baseInstant), ib = Instant.normalize(b.baseInstant)
        if ia != ib { return ia < ib }
        if a.version != b.version { return a.version < b.version }
        return a.writeToken < b.writeToken
    }
}

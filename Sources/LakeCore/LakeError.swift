import LakeParquet
import LakeBase

/// The one error type of LakeCore (tables, timeline, storage, text input and output).
///
/// Carries a stable ``Code`` callers can match on, a message that names the offending value and
/// where it was found (file, line, field, instant), and the underlying cause if any.
public struct LakeError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// Input data is malformed or does not fit the schema (bad JSON, wrong type, missing key).
        case invalidInput
        /// A caller passed an argument that makes no sense (unknown column, bad option value).
        case invalidArgument
        /// The table's files are not a valid table (bad properties, unreadable commit metadata).
        case corruptTable
        /// A requested thing does not exist (table, instant, partition, file).
        case notFound
        /// The thing to be created already exists.
        case alreadyExists
        /// Another writer holds the table, or an instant was completed concurrently.
        case conflict
        /// A write's schema cannot be reconciled with the table's.
        case schemaMismatch
        /// A read reaches past what the cleaner retained.
        case outsideRetention
        /// A valid request lake does not implement.
        case unsupported
        /// The storage layer failed.
        case io
        /// A Parquet file could not be read or written.
        case parquet
    }

    public var code: Code
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Wraps a Parquet error, naming the file it came from.
    public init(_ error: ParquetError, file: String) {
        self.init(.parquet, "\(file): \(error.message)", cause: error)
    }

    public var description: String { message }
}

extension LakeError: ByteDecodingFailure {
    /// Binary decoders in LakeCore (the record index) read with LakeBase's ``ByteReader``; what
    /// they find wrong is a damaged table file (`.corruptTable`), the message giving the offset.
    public static func truncated(_ message: String) -> LakeError { LakeError(.corruptTable, message) }
    public static func corrupt(_ message: String) -> LakeError { LakeError(.corruptTable, message) }
}

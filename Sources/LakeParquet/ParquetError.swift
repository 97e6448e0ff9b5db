import LakeBase

/// The one error type of LakeParquet.
///
/// Every error carries a stable ``Code`` callers can match on and a message that names the
/// offending value and where it was found (file, column chunk, page, byte offset), so a user
/// can tell what is wrong without a debugger.
public struct ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error categories.
    public enum Code: String, Sendable, Equatable {
        /// The bytes do not form a valid Parquet structure (bad magic, bad Thrift, bad lengths).
        case corrupt
        /// The input ended before a structure it promised was complete.
        case truncated
        /// A valid feature lake does not implement.
        case unsupported
        /// The caller passed data that does not match the schema or options.
        case invalidArgument
        /// Compression or decompression failed in the codec library.
        case codec
        /// Reading or writing the underlying file failed.
        case io
    }

    /// The category of the failure.
    public var code: Code
    /// What went wrong, naming the offending value and its location.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "parquet \(code.rawValue): \(message)" }

    /// Returns a copy whose message is prefixed with a location (`"column chunk a.b, page 3: "`).
    public func located(_ location: String) -> ParquetError {
        ParquetError(code, "\(location): \(message)")
    }
}

extension ParquetError: ByteDecodingFailure {
    public static func truncated(_ message: String) -> ParquetError { ParquetError(.truncated, message) }
    public static func corrupt(_ message: String) -> ParquetError { ParquetError(.corrupt, message) }
}

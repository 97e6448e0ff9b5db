import Foundation
import LakeAWS
import LakeCore

/// Which source to read, as a value an embedding job configures.
public enum SourceSpec: Sendable, Hashable, CustomStringConvertible {
    /// A JSON-lines file. With `follow`, the file is tailed as it grows (a partial last line
    /// waits for its newline); without, the input ends at the end of the file.
    case file(String, follow: Bool)
    /// A directory whose files are read in name order as they appear. Names starting with `.`
    /// or `_` and names ending in `.tmp` are ignored (write files there and rename them in).
    /// The last file is tailed while it is the newest; it is finished once a later name exists.
    /// Without `follow`, the input ends after the files present.
    case directory(String, follow: Bool)
    /// Standard input; ends at end of file.
    case standardInput
    /// A Kinesis data stream by name (`kinesis://NAME`), its records' `Data` read as `format`.
    /// Never ends. AWS settings come from the process environment (``AWSConfiguration``).
    case kinesis(String, format: StreamPayloadFormat, options: StreamSourceOptions)
    /// A DynamoDB table's stream (`dynamodb://TABLE`), read through DynamoDB Streams. Never ends.
    case dynamoDB(String, options: StreamSourceOptions)

    /// `-` is standard input, an existing directory is a directory source, anything else a file.
    public init(parsing text: String, follow: Bool) {
        if text == "-" {
            self = .standardInput
        } else if FileBytes.kind(text).isDirectory {
            self = .directory(text, follow: follow)
        } else {
            self = .file(text, follow: follow)
        }
    }

    /// A `kinesis://NAME` or `dynamodb://TABLE` location, or `nil` for anything else.
    public init?(
        streamURL text: String, format: StreamPayloadFormat = .dynamodb,
        options: StreamSourceOptions = StreamSourceOptions()
    ) {
        if text.hasPrefix("kinesis://"), text.count > 10 {
            self = .kinesis(String(text.dropFirst(10)), format: format, options: options)
        } else if text.hasPrefix("dynamodb://"), text.count > 11 {
            self = .dynamoDB(String(text.dropFirst(11)), options: options)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .kinesis(let n, let f, _): "kinesis://\(n) (\(f.rawValue) records)"
        case .dynamoDB(let t, _): "dynamodb://\(t)"
        case .file(let p, let f): "file \(p)\(f ? " (following)" : "")"
        case .directory(let p, let f): "directory \(p)\(f ? " (following)" : "")"
        case .standardInput: "standard input"
        }
    }

    /// Opens the source at its beginning.
    public func open() throws(LakeError) -> any ChangeSource {
        switch self {
        case .file(let p, let follow): try FileSource(path: p, follow: follow)
        case .directory(let p, let follow): try DirectorySource(path: p, follow: follow)
        case .standardInput: DescriptorSource(fd: 0, name: "-")
        case .kinesis(let name, let format, let options):
            StreamSource(try KinesisStream(try Self.awsClient(), name: name, format: format), options: options)
        case .dynamoDB(let table, let options):
            StreamSource(try DynamoDBStream(try Self.awsClient(), table: table), options: options)
        }
    }

    /// A client configured from the process environment and the shared AWS files.
    static func awsClient() throws(LakeError) -> AWSClient {
        do {
            return AWSClient(
                configuration: try AWSConfiguration.resolve(environment: ProcessInfo.processInfo.environment))
        } catch {
            throw LakeError(.invalidArgument, "AWS configuration: \(error.description)", cause: error)
        }
    }
}

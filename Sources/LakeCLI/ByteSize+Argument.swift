import ArgumentParser
import Lake

/// Sizes on the command line (`--target-file-size 128MiB`, `--max-bytes 256M`) parse with the
/// library's one size parser, so they mean what the same text means in a table setting.
extension ByteSize: ExpressibleByArgument {
    public init?(argument: String) {
        guard let v = try? ByteSize(parsing: argument) else { return nil }
        self = v
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}

/// Durations on the command line (`--wait 30s`, `--window 100s`) parse with the library's one
/// duration parser.
extension TimeSpan: ExpressibleByArgument {
    public init?(argument: String) {
        guard let v = try? TimeSpan(parsing: argument) else { return nil }
        self = v
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}

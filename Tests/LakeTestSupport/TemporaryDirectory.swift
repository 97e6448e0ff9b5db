import Foundation

/// The one way tests make scratch space (tables, inputs, server data): a fresh directory under the
/// system's temporary directory, named `<prefix>-<pid>-<uuid>`.
///
/// An instance owns its directory and removes it when released (`let dir = TemporaryDirectory()`
/// at the top of a test); ``create(prefix:)`` makes one the caller removes (a server's data
/// directory, a CLI test's working folder kept for a `defer`).
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory.
    public init(prefix: String = "lake-test") {
        path = Self.create(prefix: prefix)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The directory as a file URL.
    public var url: URL { URL(fileURLWithPath: path) }

    /// The path of `name` inside the directory.
    public func sub(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to the file `name` (replacing it).
    public func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: sub(name)))
    }

    /// Appends `text` to the file `name` (creating it).
    public func append(_ name: String, _ text: String) throws {
        let p = sub(name)
        if !FileManager.default.fileExists(atPath: p) { try write(name, "") }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: p))
        try h.seekToEnd()
        try h.write(contentsOf: Data(text.utf8))
        try h.close()
    }

    /// Creates a directory the caller removes; returns its path.
    public static func create(prefix: String) -> String {
        let path =
            NSTemporaryDirectory() + "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

import Foundation
import LakeTestSupport

/// Runs the built `lake` executable: `$LAKE_BIN` when set, else the `lake` next to the test
/// bundle in the build's products directory.
enum LakeBinary {
    static let path: String? = {
        if let env = ProcessInfo.processInfo.environment["LAKE_BIN"], !env.isEmpty { return env }
        var candidates: [URL] = [Bundle.main.bundleURL]
        for b in Bundle.allBundles where b.bundleURL.pathExtension == "xctest" {
            candidates.append(b.bundleURL.deletingLastPathComponent())
        }
        if let arg0 = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: arg0).deletingLastPathComponent())
        }
        for dir in candidates {
            var d = dir
            // Walk up from inside a bundle (…/lakePackageTests.xctest/Contents/MacOS) to the products directory.
            for _ in 0..<4 {
                let p = d.appendingPathComponent("lake").path
                if FileManager.default.isExecutableFile(atPath: p) { return p }
                d = d.deletingLastPathComponent()
            }
        }
        return nil
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `lake args…` with `input` on standard input, in `directory`.
    static func run(
        _ args: [String], input: String? = nil, in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> Result {
        guard let path else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSLocalizedDescriptionKey: "lake binary not found; build it or set LAKE_BIN"])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        let inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        // Drain both pipes while the process runs so a large output cannot block it.
        let collected = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collected.setOut(out.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) { collected.setErr(err.fileHandleForReading.readDataToEndOfFile()) }
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try inp.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: collected.out, as: UTF8.self),
            stderr: String(decoding: collected.err, as: UTF8.self))
    }

    /// A fresh scratch directory.
    static func scratchDirectory() throws -> URL {
        URL(fileURLWithPath: TemporaryDirectory.create(prefix: "lake-cli-tests"), isDirectory: true)
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var o = Data()
        private var e = Data()
        var out: Data { lock.withLock { o } }
        var err: Data { lock.withLock { e } }
        func setOut(_ d: Data) { lock.withLock { o = d } }
        func setErr(_ d: Data) { lock.withLock { e = d } }
    }
}

import Dispatch
import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// The ``TableStorage`` contract, on every implementation: atomic visibility of whole files
/// (streaming writers included), put-if-absent with exactly one winner, ranged reads clipped,
/// listing one directory at a time, and removal of what unfinished writes leave.
@Suite struct StorageContractTests {
    @Test(arguments: StorageKind.allCases)
    func writeReadOverwriteAndRanges(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let s = kind.make(dir)
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try s.write("p=1/big.bin", big)
        #expect(try s.read("p=1/big.bin") == big)
        #expect(try s.size("p=1/big.bin") == 300_000)
        #expect(try s.read("p=1/big.bin", range: 1000..<1010) == Array(big[1000..<1010]))
        #expect(try s.read("p=1/big.bin", range: 299_995..<400_000) == Array(big[299_995...]))
        #expect(try s.read("p=1/big.bin", range: 500_000..<500_010) == [])
        let negative = #expect(throws: LakeError.self) { try s.read("p=1/big.bin", range: -1..<3) }
        #expect(negative?.code == .invalidArgument)
        let reader = try s.makeReader("p=1/big.bin")
        #expect(reader.size == 300_000 && reader.path == "p=1/big.bin")
        #expect(try reader.read(299_990..<300_100) == Array(big[299_990...]))
        #expect(try reader.read(0..<4) == Array(big[0..<4]))
        // A reader keeps the file as it was when opened — or, on an object store without
        // versions, refuses to read a replaced object rather than mix two versions (the tail it
        // read on opening still serves).
        try s.write("p=1/big.bin", [7, 7])
        if kind == .s3 {
            #expect((#expect(throws: LakeError.self) { try reader.read(0..<4) })?.code == .io)
            #expect(try reader.read(299_990..<300_000) == Array(big[299_990...]))
        } else {
            #expect(try reader.read(0..<4) == Array(big[0..<4]))
        }
        #expect(try s.read("p=1/big.bin") == [7, 7])
        try s.write("empty", [])
        #expect(try s.read("empty") == [])
        #expect((#expect(throws: LakeError.self) { try s.read("nope") })?.code == .notFound)
        #expect((#expect(throws: LakeError.self) { try s.makeReader("nope") })?.code == .notFound)
        #expect((#expect(throws: LakeError.self) { try s.size("nope") })?.code == .notFound)
    }

    @Test(arguments: StorageKind.allCases)
    func putIfAbsentHasExactlyOneWinnerAmongManyThreads(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let s = kind.make(dir)
        for round in 0..<5 {
            let path = ".hoodie/2025010100000000\(round).commit"
            let won = Mutexed<[Int]>([])
            DispatchQueue.concurrentPerform(iterations: 64) { i in
                do throws(LakeError) {
                    try s.createExclusive(path, [UInt8(i)])
                    won.update { $0.append(i) }
                } catch {
                    #expect(error.code == .alreadyExists, "thread \(i): \(error.message)")
                }
            }
            let winners = won.value
            #expect(winners.count == 1, "round \(round): winners \(winners)")
            #expect(try s.read(path) == [UInt8(winners[0])])
        }
    }

    @Test(arguments: StorageKind.allCases)
    func aStreamingWriterPublishesOnlyWholeFiles(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let s = kind.make(dir)
        let w = try s.makeWriter("p=1/f.parquet")
        let chunk = [UInt8](repeating: 5, count: 700_000)
        try w.write(chunk)
        try w.write(chunk)  // past the local writer's 1 MiB buffer
        #expect(w.bytesWritten == 1_400_000)
        // Nothing under the final name before finish.
        #expect(try !s.exists("p=1/f.parquet"))
        #expect(try !s.walkFiles(under: "p=1").contains { $0.name == "f.parquet" })
        try w.finish()
        #expect(try s.read("p=1/f.parquet") == chunk + chunk)
        w.abandon()  // after finish: the published file stays
        #expect(try s.size("p=1/f.parquet") == 1_400_000)

        // Abandoned, or released unfinished: nothing visible, nothing left.
        let a = try s.makeWriter("p=1/g.parquet")
        try a.write([1, 2, 3])
        a.abandon()
        #expect((#expect(throws: LakeError.self) { try a.finish() })?.code == .io)
        do {
            let released = try s.makeWriter("p=1/h.parquet")
            try released.write([1, 2, 3])
        }
        #expect(try s.list("p=1").map(\.name) == ["f.parquet"])
        if let m = s as? MemoryStorage { #expect(m.incompleteUploads.isEmpty) }
    }

    @Test(arguments: StorageKind.allCases)
    func incompleteWritesAreDiscardedNeverPublishedOnes(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let s = kind.make(dir)
        try s.write("p=1/a.parquet", [1])
        let unfinished = try s.makeWriter("p=1/b.parquet")
        // Past one part of an S3 multipart upload (8 MiB), so the object store has an upload open.
        try unfinished.write([UInt8](repeating: 1, count: 9 << 20))
        // Too recent for a cutoff in the past; removed without one.
        #expect(try s.discardIncompleteWrites(in: "p=1", startedBefore: 0) == 0)
        #expect(try s.discardIncompleteWrites(in: "p=2", startedBefore: nil) == 0)
        #expect(try s.discardIncompleteWrites(in: "p=1", startedBefore: nil) == 1)
        #expect(throws: LakeError.self) { try unfinished.finish() }
        #expect(try s.list("p=1").map(\.name) == ["a.parquet"])
        #expect(try s.read("p=1/a.parquet") == [1])
    }

    @Test(arguments: StorageKind.allCases)
    func listingIsOneDirectoryAtATime(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let s = kind.make(dir)
        try s.write("a=1/b=1/x.parquet", [1, 2, 3])
        try s.write("a=1/b=2/y.parquet", [1])
        try s.write("a=1/.hoodie_partition_metadata", [1])
        try s.write("a=2/b=1/z.parquet", [1])
        try s.write(".hoodie/hoodie.properties", [1])
        #expect(Set(try s.list("").map(\.path)) == [".hoodie", "a=1", "a=2"])
        #expect(try s.list("").allSatisfy(\.isDirectory))
        let a1 = try s.list("a=1").sorted { $0.path < $1.path }
        #expect(a1.map(\.path) == ["a=1/.hoodie_partition_metadata", "a=1/b=1", "a=1/b=2"])
        #expect(a1.map(\.isDirectory) == [false, true, true])
        let files = try s.list("a=1/b=1")
        #expect(files.map(\.path) == ["a=1/b=1/x.parquet"] && files[0].size == 3 && files[0].name == "x.parquet")
        #expect((#expect(throws: LakeError.self) { try s.list("a=3") })?.code == .notFound)
        #expect(
            Set(try s.walkFiles(under: "a=1").map(\.path))
                == ["a=1/.hoodie_partition_metadata", "a=1/b=1/x.parquet", "a=1/b=2/y.parquet"])
        #expect(try s.walkFiles(under: "nope").isEmpty)
        // Directories exist while something is stored below them.
        #expect(try s.exists("a=2") && s.exists("a=2/b=1") && !s.exists("a=2/b=9"))
        #expect(try !s.deleteDirectoryIfEmpty("a=2/b=1"))
        #expect(try s.delete("a=2/b=1/z.parquet"))
        #expect(try !s.delete("a=2/b=1/z.parquet"))
        #expect(try s.deleteDirectoryIfEmpty("a=2/b=1"))
        #expect(try s.deleteDirectoryIfEmpty("a=2"))
        #expect(try !s.exists("a=2"))
        #expect(Set(try s.list("").map(\.path)) == [".hoodie", "a=1"])
    }

    @Test(arguments: StorageKind.allCases, ["../x", "/etc/passwd", "a//b", "a/./b", "a/../../b", "a/", "..", "a/\0b"])
    func pathsOutsideTheRootAreRejected(_ kind: StorageKind, path: String) throws {
        let dir = TemporaryDirectory()
        let s = kind.make(dir)
        #expect((#expect(throws: LakeError.self) { try s.write(path, [1]) })?.code == .invalidArgument)
        #expect((#expect(throws: LakeError.self) { try s.read(path) })?.code == .invalidArgument)
        #expect((#expect(throws: LakeError.self) { try s.makeWriter(path) })?.code == .invalidArgument)
        #expect((#expect(throws: LakeError.self) { try s.list(path) })?.code == .invalidArgument)
        #expect((#expect(throws: LakeError.self) { try s.exists(path) })?.code == .invalidArgument)
    }

    @Test func memoryStorageCountsRequestsByKind() throws {
        let s = MemoryStorage()
        try s.write("a/b", [1, 2, 3])
        try s.createExclusive("a/c", [4])
        _ = try s.read("a/b")
        _ = try s.read("a/b", range: 1..<2)
        _ = try s.list("a")
        _ = try s.exists("a/b")
        _ = try s.size("a/c")
        let reader = try s.makeReader("a/b")
        _ = try reader.read(0..<2)
        let w = try s.makeWriter("a/d")
        try w.write([9, 9])
        try w.finish()
        try s.delete("a/c")
        let c = s.requestCounts
        #expect(c.put == 3 && c.get == 3 && c.list == 1 && c.head == 3 && c.delete == 1, "\(c)")
        #expect(c.bytesWritten == 6 && c.bytesRead == 3 + 1 + 2)
        s.resetRequestCounts()
        #expect(s.requestCounts.total == 0)
        #expect(s.keys == ["a/b", "a/d"])
        #expect(MemoryStorage().root != MemoryStorage().root)
    }
}

/// A value shared between threads in a test.
final class Mutexed<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func update(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}

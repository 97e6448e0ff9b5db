import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// A fresh empty directory under the system temp directory (``TemporaryDirectory/create(prefix:)``).
func makeTempDirectory(_ tag: String = "storage") throws -> String {
    TemporaryDirectory.create(prefix: "lake-\(tag)")
}

@Suite struct StorageTests {
    @Test func writeThenReadRoundTripsAndCreatesParents() throws {
        let s = LocalStorage(root: try makeTempDirectory())
        let bytes: [UInt8] = Array("hello, table".utf8)
        try s.write("a/b/c.txt", bytes)
        #expect(try s.read("a/b/c.txt") == bytes)
        try s.write("a/b/c.txt", [1, 2, 3])
        #expect(try s.read("a/b/c.txt") == [1, 2, 3])
        try s.write("empty", [])
        #expect(try s.read("empty") == [])
    }

    @Test func largeFileReadsCompletely() throws {
        let s = LocalStorage(root: try makeTempDirectory())
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try s.write("big.bin", big)
        #expect(try s.read("big.bin") == big)
        #expect(try s.size("big.bin") == 300_000)
        #expect(try s.read("big.bin", range: 1000..<1010) == Array(big[1000..<1010]))
        #expect(try s.read("big.bin", range: 299_995..<400_000) == Array(big[299_995...]))
        #expect(try s.read("big.bin", range: 500_000..<500_010) == [])
    }

    @Test func writeLeavesNoTemporaryFiles() throws {
        let s = LocalStorage(root: try makeTempDirectory())
        for i in 0..<5 { try s.write("d/f", [UInt8(i)]) }
        try s.createExclusive("d/g", [9])
        #expect(try s.list("d").map(\.name).sorted() == ["f", "g"])
    }

    @Test func createExclusiveFailsWhenPresent() throws {
        let s = LocalStorage(root: try makeTempDirectory())
        try s.createExclusive(".hoodie/1.commit.requested", [])
        #expect(try s.read(".hoodie/1.commit.requested") == [])
        let error = #expect(throws: LakeError.self) { try s.createExclusive(".hoodie/1.commit.requested", [1]) }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message.contains(".hoodie/1.commit.requested") == true)
        #expect(try s.read(".hoodie/1.commit.requested") == [])
    }

    @Test func racingExclusiveCreatesHaveOneWinner() async throws {
        let s = LocalStorage(root: try makeTempDirectory())
        let winners = await withTaskGroup(of: Int?.self) { group in
            for i in 0..<16 {
                group.addTask {
                    (try? s.createExclusive("race/x.commit", [UInt8(i)])) != nil ? i : nil
                }
            }
            var w: [Int] = []
            for await r in group { if let r { w.append(r) } }
            return w
        }
        #expect(winners.count == 1)
        #expect(try s.read("race/x.commit") == [UInt8(winners[0])])
    }

    @Test func listingReportsEntries() throws {
        let s = LocalStorage(root: try makeTempDirectory())
        try s.write("p=1/a.parquet", [1, 2, 3])
        try s.write("p=1/q=2/b.parquet", [1])
        try s.write("top.txt", [])
        try s.makeDirectories("emptydir/inner")
        let top = try s.list("").sorted { $0.path < $1.path }
        #expect(top.map(\.path) == ["emptydir", "p=1", "top.txt"])
        #expect(top.map(\.isDirectory) == [true, true, false])
        let p1 = try s.list("p=1").sorted { $0.path < $1.path }
        #expect(p1.map(\.path) == ["p=1/a.parquet", "p=1/q=2"])
        #expect(p1[0].size == 3 && p1[0].name == "a.parquet")
        #expect(p1[0].modifiedMillis > 1_600_000_000_000)
        let all = try s.walkFiles(under: "").map(\.path).sorted()
        #expect(all == ["p=1/a.parquet", "p=1/q=2/b.parquet", "top.txt"])
        #expect(try s.walkFiles(under: "p=1/q=2").map(\.path) == ["p=1/q=2/b.parquet"])
    }

    @Test func existsDeleteAndDirectories() throws {
        let s = LocalStorage(root: try makeTempDirectory())
        try s.write("d/f", [1])
        #expect(try s.exists("d/f"))
        #expect(try s.exists("d"))
        #expect(try !s.exists("d/g"))
        #expect(try !s.exists("d/f/x"))
        #expect(try !s.deleteDirectoryIfEmpty("d"))
        #expect(try s.delete("d/f"))
        #expect(try !s.delete("d/f"))
        #expect(try s.deleteDirectoryIfEmpty("d"))
        #expect(try !s.deleteDirectoryIfEmpty("d"))
        #expect(try !s.exists("d"))
        try s.makeDirectories("x/y/z")
        try s.makeDirectories("x/y/z")
        #expect(try s.list("x/y").map(\.isDirectory) == [true])
    }

    @Test func errorsNameThePathAndReason() throws {
        let root = try makeTempDirectory()
        let s = LocalStorage(root: root)
        let missing = #expect(throws: LakeError.self) { try s.read("nope/file.parquet") }
        #expect(missing?.code == .notFound)
        #expect(missing?.message.contains("nope/file.parquet") == true)
        #expect(missing?.message.contains(root) == true)
        #expect(missing?.message.contains("No such file") == true)
        #expect((#expect(throws: LakeError.self) { try s.list("nope") })?.code == .notFound)
        #expect((#expect(throws: LakeError.self) { try s.size("nope") })?.code == .notFound)
        try s.write("file", [1])
        #expect((#expect(throws: LakeError.self) { try s.makeDirectories("file/sub") })?.code == .io)
    }

    @Test(arguments: ["../x", "/etc/passwd", "a//b", "a/./b", "a/../../b", "a/", "..", "a/\0b"])
    func pathsOutsideTheRootAreRejected(path: String) throws {
        let s = LocalStorage(root: try makeTempDirectory())
        #expect((#expect(throws: LakeError.self) { try s.write(path, [1]) })?.code == .invalidArgument)
        #expect((#expect(throws: LakeError.self) { try s.read(path) })?.code == .invalidArgument)
        #expect((#expect(throws: LakeError.self) { try s.exists(path) })?.code == .invalidArgument)
    }

    @Test func rootAndAbsolutePaths() throws {
        let dir = try makeTempDirectory()
        let s = LocalStorage(root: dir + "/table/")
        #expect(s.root == dir + "/table")
        #expect(s.absolutePath("") == dir + "/table")
        #expect(s.absolutePath(".hoodie/hoodie.properties") == dir + "/table/.hoodie/hoodie.properties")
        try s.makeDirectories("")
        #expect(FileManager.default.fileExists(atPath: dir + "/table"))
    }

    @Test func storagePathHelpers() {
        #expect(StoragePath.join("", "a", "", "b.parquet") == "a/b.parquet")
        #expect(StoragePath.parent("a/b/c") == "a/b")
        #expect(StoragePath.parent("c") == "")
        #expect(StoragePath.fileName("a/b/c") == "c")
        #expect(StorageEntry(path: "a/b", isDirectory: false, size: 0, modifiedMillis: 0).name == "b")
    }
}

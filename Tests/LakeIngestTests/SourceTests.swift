import Foundation
import Testing
@testable import LakeIngest
import LakeCore
import LakeTestSupport

/// Sources: a growing file, a directory of files, a pipe.
@Suite struct SourceTests {
    static func text(_ c: SourceChunk) -> String { String(decoding: c.bytes, as: UTF8.self) }

    static func next(_ s: any ChangeSource, maxBytes: Int = 1 << 20, maxLines: Int = .max) throws -> SourceChunk? {
        if case .chunk(let c) = try s.read(maxBytes: maxBytes, maxLines: maxLines) { return c }
        return nil
    }

    @Test func growingFileIsTailed() throws {
        let dir = TemporaryDirectory()
        try dir.write("f.jsonl", "a\nb\nc\npart")
        let s = try SourceSpec.file(dir.path + "/f.jsonl", follow: true).open()
        let c1 = try #require(try Self.next(s))
        #expect(Self.text(c1) == "a\nb\nc\n" && c1.startOffset == 0 && c1.firstLine == 1)
        guard case .idle = try s.read(maxBytes: 100, maxLines: 100) else { Issue.record("expected idle"); return }
        try dir.append("f.jsonl", "ial\nd\n")
        let c2 = try #require(try Self.next(s))
        #expect(Self.text(c2) == "partial\nd\n" && c2.startOffset == 6 && c2.firstLine == 4)
        // The chunk ends at the source's position after it: the checkpoint's JSON is the one lake
        // has always written, so tables keep resuming across versions.
        #expect(c2.end?.json == #"{"source":"file","path":"\#(dir.path)/f.jsonl","offset":16,"line":6}"#)
        // Limits: lines and bytes (at least one line).
        try dir.append("f.jsonl", "e\nf\ng\nhhhhhhhhhh\n")
        #expect(Self.text(try #require(try Self.next(s, maxLines: 2))) == "e\nf\n")
        #expect(Self.text(try #require(try Self.next(s, maxBytes: 1))) == "g\n")
        #expect(Self.text(try #require(try Self.next(s, maxBytes: 3))) == "hhhhhhhhhh\n")
    }

    @Test func finiteFileEndsWithItsLastLine() throws {
        let dir = TemporaryDirectory()
        try dir.write("f.jsonl", "a\nlast")
        let s = try SourceSpec.file(dir.path + "/f.jsonl", follow: false).open()
        #expect(Self.text(try #require(try Self.next(s))) == "a\n")
        let last = try #require(try Self.next(s))
        #expect(Self.text(last) == "last" && last.firstLine == 2)
        guard case .end = try s.read(maxBytes: 100, maxLines: 100) else { Issue.record("expected end"); return }
    }

    @Test func resumeAndTruncation() throws {
        let dir = TemporaryDirectory()
        try dir.write("f.jsonl", "a\nb\nc\n")
        let s = try SourceSpec.file(dir.path + "/f.jsonl", follow: true).open()
        try s.resume(from: FilePosition(offset: 4, line: 3).checkpoint(source: "file", path: s.path))
        let c = try #require(try Self.next(s))
        #expect(Self.text(c) == "c\n" && c.firstLine == 3 && c.startOffset == 4)
        let t = try SourceSpec.file(dir.path + "/f.jsonl", follow: true).open()
        #expect(throws: LakeError.self) {
            try t.resume(from: FilePosition(offset: 99, line: 1).checkpoint(source: "file", path: t.path))
        }
        // A checkpoint without a file position is damaged: refused, never read from the start.
        let u = try SourceSpec.file(dir.path + "/f.jsonl", follow: true).open()
        let damaged = try Checkpoint(json: #"{"source":"file","path":"\#(u.path)","shards":{}}"#)
        #expect((#expect(throws: LakeError.self) { try u.resume(from: damaged) })?.code == .corruptTable)
        // Truncated while tailing.
        try dir.write("f.jsonl", "")
        #expect(throws: LakeError.self) { try s.read(maxBytes: 10, maxLines: 10) }
    }

    @Test func directoryFilesInNameOrder() throws {
        let dir = TemporaryDirectory()
        try dir.write("002.jsonl", "c\n")
        try dir.write("001.jsonl", "a\nb-unterminated")
        try dir.write(".hidden", "x\n")
        try dir.write("_tmp", "x\n")
        try dir.write("003.jsonl.tmp", "x\n")
        let s = try SourceSpec.directory(dir.path, follow: true).open()
        var got: [String] = []
        var files: [String] = []
        for _ in 0..<6 {
            guard let c = try Self.next(s) else { break }
            got.append(Self.text(c))
            files.append(String(c.file.split(separator: "/").last!))
        }
        // 001's unterminated last line counts once a later file exists.
        #expect(got == ["a\n", "b-unterminated", "c\n"])
        #expect(files == ["001.jsonl", "001.jsonl", "002.jsonl"])
        guard case .idle = try s.read(maxBytes: 10, maxLines: 10) else { Issue.record("expected idle"); return }
        try dir.append("002.jsonl", "d\n")
        try dir.write("003.jsonl", "e\n")
        #expect(Self.text(try #require(try Self.next(s))) == "d\n")
        let e = try #require(try Self.next(s))
        #expect(Self.text(e) == "e\n")
        let cp = try #require(e.end)
        #expect(FilePosition(cp) == FilePosition(file: "003.jsonl", offset: 2, line: 2) && cp.source == "directory")
        // Resume in the middle of a file; files before it are skipped.
        let r = try SourceSpec.directory(dir.path, follow: false).open()
        try r.resume(
            from: FilePosition(file: "002.jsonl", offset: 2, line: 2).checkpoint(source: "directory", path: r.path))
        #expect(Self.text(try #require(try Self.next(r))) == "d\n")
        #expect(Self.text(try #require(try Self.next(r))) == "e\n")
        guard case .end = try r.read(maxBytes: 10, maxLines: 10) else { Issue.record("expected end"); return }
    }

    @Test func pipeIsReadAsDataArrives() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }  // a server spawned by another test must not hold an end
        let s = DescriptorSource(fd: fds[0], name: "-")
        guard case .idle = try s.read(maxBytes: 10, maxLines: 10) else { Issue.record("expected idle"); return }
        _ = "x\ny".withCString { write(fds[1], $0, 3) }
        let c = try #require(try Self.next(s))
        #expect(Self.text(c) == "x\n")
        guard case .idle = try s.read(maxBytes: 10, maxLines: 10) else { Issue.record("expected idle"); return }
        close(fds[1])
        let last = try #require(try Self.next(s))
        #expect(Self.text(last) == "y" && last.firstLine == 2 && last.startOffset == 2)
        #expect(last.end.flatMap(FilePosition.init) == FilePosition(offset: 3, line: 3) && last.end?.source == "stdin")
        guard case .end = try s.read(maxBytes: 10, maxLines: 10) else { Issue.record("expected end"); return }
        close(fds[0])
    }

    @Test func specParsing() throws {
        let dir = TemporaryDirectory()
        #expect(SourceSpec(parsing: "-", follow: true) == .standardInput)
        #expect(SourceSpec(parsing: dir.path, follow: true) == .directory(dir.path, follow: true))
        #expect(
            SourceSpec(parsing: dir.path + "/x.jsonl", follow: false) == .file(dir.path + "/x.jsonl", follow: false))
        #expect(throws: LakeError.self) { try SourceSpec.file(dir.path + "/missing", follow: true).open() }
    }

    @Test func checkpointJSONRoundTrips() throws {
        let shards = JSONValue.object([
            JSONMember("shard-1", .string("49590338271490256608559692538361571095921575989136588898"))
        ])
        let cps = [
            FilePosition(offset: 10, line: 3).checkpoint(source: "file", path: "/a \"b\"/c.jsonl"),
            FilePosition(file: "002.jsonl", offset: 0, line: 1).checkpoint(source: "directory", path: "/d"),
            Checkpoint(source: "memory-shards", path: "orders", position: [JSONMember("shards", shards)]),
        ]
        for cp in cps { #expect(try Checkpoint(json: cp.json) == cp) }
        #expect(FilePosition(cps[2]) == nil)
        #expect(throws: LakeError.self) { try Checkpoint(json: #"{"source":"file"}"#) }
        #expect(throws: LakeError.self) { try Checkpoint(json: "nope") }
    }

    /// Checkpoints earlier versions of lake wrote (the file form, member by member) still read:
    /// a table keeps resuming where it was.
    @Test func checkpointsWrittenBeforeStillResume() throws {
        let old = #"{"source":"directory","path":"/in","file":"0003.jsonl","offset":81920,"line":161}"#
        let cp = try Checkpoint(json: old)
        #expect(cp.source == "directory" && cp.path == "/in" && cp.json == old)
        #expect(FilePosition(cp) == FilePosition(file: "0003.jsonl", offset: 81920, line: 161))
        #expect(FilePosition(try Checkpoint(json: #"{"source":"file","path":"/x","offset":-1,"line":1}"#)) == nil)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The fast path of ``CommitWrites``: a bounds-checked byte walk over commit JSON that finds
/// string ends with `memchr`, skips runs of indentation eight bytes at a time, and materialises
/// only the write stats' `fileId`, file name, `fileSizeInBytes` and `numWrites` (and the replaced
/// file ids). It validates structure, not every byte: anything it does not expect — an escape
/// in a key or a needed value, a number it cannot read as an integer, nesting deeper than 64 —
/// makes it give up (`nil`), and the validating ``JSONScanner`` decode runs instead, so for valid
/// JSON the result is the same whichever path produced it (bytes inside values it skips are not
/// validated; `lake check` decodes every commit in full). Every read decodes every active commit
/// file, which is why this exists: it costs a fraction of the validating scan.
struct CommitWritesSkimmer {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private var i = 0

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// The write stats and replaced groups of a commit file, or `nil` to fall back.
    static func skim(_ raw: UnsafeRawBufferPointer) -> (writes: [CommitWrites.Write], replaced: [FileGroupID])? {
        guard let p = raw.baseAddress, raw.count > 0 else { return nil }
        var s = CommitWritesSkimmer(base: p.assumingMemoryBound(to: UInt8.self), count: raw.count)
        return s.document()
    }

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    // MARK: The document

    private mutating func document() -> ([CommitWrites.Write], [FileGroupID])? {
        var writes: [CommitWrites.Write] = [], replaced: [FileGroupID] = []
        guard take(UInt8(ascii: "{")) else { return nil }
        var members = 0
        if !take(UInt8(ascii: "}")) {
            repeat {
                members += 1
                guard let key = plainString(), take(UInt8(ascii: ":")) else { return nil }
                if equals(key, "partitionToWriteStats") {
                    guard writeStats(into: &writes) else { return nil }
                } else if equals(key, "partitionToReplaceFileIds") {
                    guard replacedIds(into: &replaced) else { return nil }
                } else {
                    guard skipValue(depth: 1) else { return nil }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        whitespace()
        guard i == count, members > 0 else { return nil }
        return (writes, replaced)
    }

    private mutating func writeStats(into out: inout [CommitWrites.Write]) -> Bool {
        if literal("null") { return true }
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let p = plainString(), take(UInt8(ascii: ":")) else { return false }
            let partition = text(p)
            if literal("null") { continue }
            guard take(UInt8(ascii: "[")) else { return false }
            if !take(UInt8(ascii: "]")) {
                repeat {
                    guard let w = stat(partition: partition) else { return false }
                    out.append(w)
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "]")) else { return false }
            }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    private mutating func stat(partition: String) -> CommitWrites.Write? {
        var w = CommitWrites.Write(partitionPath: partition, fileId: "", fileName: nil, fileSize: 0, records: 0)
        var sawFileId = false
        guard take(UInt8(ascii: "{")) else { return nil }
        if !take(UInt8(ascii: "}")) {
            repeat {
                guard let key = plainString(), take(UInt8(ascii: ":")) else { return nil }
                if equals(key, "fileId") {
                    guard let v = plainString() else { return nil }
                    w.fileId = text(v)
                    sawFileId = true
                } else if equals(key, "path") {
                    if !literal("null") {
                        guard let v = plainString() else { return nil }
                        var start = v.lowerBound
                        var j = v.upperBound
                        while j > v.lowerBound {
                            j -= 1
                            if base[j] == UInt8(ascii: "/") { start = j + 1; break }
                        }
                        w.fileName = start < v.upperBound ? text(start..<v.upperBound) : nil
                    }
                } else if equals(key, "fileSizeInBytes") {
                    guard let v = integer() else { return nil }
                    w.fileSize = v
                } else if equals(key, "numWrites") {
                    guard let v = integer() else { return nil }
                    w.records = v
                } else {
                    guard skipValue(depth: 4) else { return nil }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        return sawFileId ? w : nil
    }

    private mutating func replacedIds(into out: inout [FileGroupID]) -> Bool {
        if literal("null") { return true }
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let p = plainString(), take(UInt8(ascii: ":")), take(UInt8(ascii: "[")) else { return false }
            let partition = text(p)
            if !take(UInt8(ascii: "]")) {
                repeat {
                    guard let id = plainString() else { return false }
                    out.append(FileGroupID(partitionPath: partition, fileId: text(id)))
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "]")) else { return false }
            }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    // MARK: Tokens

    /// Skips JSON whitespace; runs of spaces (indentation) eight bytes at a time.
    @inline(__always)
    private mutating func whitespace() {
        while i < count {
            let c = base[i]
            if c == 0x20 {
                while i + 8 <= count
                    && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020
                {
                    i += 8
                }
                while i < count && base[i] == 0x20 { i += 1 }
                continue
            }
            guard c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    /// Consumes `byte` after whitespace if it is next.
    @inline(__always)
    private mutating func take(_ byte: UInt8) -> Bool {
        whitespace()
        guard i < count, base[i] == byte else { return false }
        i += 1
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        whitespace()
        let n = word.utf8CodeUnitCount
        guard count - i >= n, memcmp(base + i, word.utf8Start, n) == 0 else { return false }
        i += n
        return true
    }

    /// A string without escapes: the range of its content. `nil` for anything else (the
    /// validating path handles it).
    private mutating func plainString() -> Range<Int>? {
        guard take(Self.quote) else { return nil }
        let start = i
        guard let end = stringEnd(from: start) else { return nil }
        if end > start && memchr(base + start, Int32(Self.backslash), end - start) != nil { return nil }
        i = end + 1
        return start..<end
    }

    /// The offset of the quote that closes a string whose content starts at `start`.
    private func stringEnd(from start: Int) -> Int? {
        var j = start
        while j < count {
            guard let q = memchr(base + j, Int32(Self.quote), count - j) else { return nil }
            let at = base.distance(to: q.assumingMemoryBound(to: UInt8.self))
            var slashes = 0
            while at - slashes - 1 >= start && base[at - slashes - 1] == Self.backslash { slashes += 1 }
            if slashes % 2 == 0 { return at }
            j = at + 1
        }
        return nil
    }

    private mutating func skipValue(depth: Int) -> Bool {
        whitespace()
        guard i < count, depth < 64 else { return false }
        switch base[i] {
        case Self.quote:
            guard let end = stringEnd(from: i + 1) else { return false }
            i = end + 1
            return true
        case UInt8(ascii: "{"):
            i += 1
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                guard take(Self.quote), let end = stringEnd(from: i) else { return false }
                i = end + 1
                guard take(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            i += 1
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            let start = i
            while i < count {
                let c = base[i]
                let digit = c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
                guard
                    digit || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                        || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                else { break }
                i += 1
            }
            return i > start
        }
    }

    /// An integer (or `null`, read as 0), without fraction or exponent and within `Int64`.
    private mutating func integer() -> Int64? {
        if literal("null") { return 0 }
        let negative = i < count && base[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var v: Int64 = 0, digits = 0
        while i < count, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(base[i] - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            v = a
            digits += 1
            i += 1
        }
        let fraction =
            i < count
            && (base[i] == UInt8(ascii: ".") || base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E"))
        guard digits > 0, !fraction else { return nil }
        return negative ? -v : v
    }

    @inline(__always)
    private func equals(_ r: Range<Int>, _ name: StaticString) -> Bool {
        r.count == name.utf8CodeUnitCount && base[r.lowerBound] == name.utf8Start[0]
            && memcmp(base + r.lowerBound, name.utf8Start, r.count) == 0
    }

    private func text(_ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: base + r.lowerBound, count: r.count), as: UTF8.self)
    }
}

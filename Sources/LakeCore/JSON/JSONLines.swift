#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a buffer of JSON lines (one document per line) into line ranges.
///
/// Lines end at `\n`; a `\r` before it is dropped, so `\r\n` files work. Lines holding only
/// whitespace are skipped but still counted, so ``Line/number`` is the 1-based line number a
/// text editor shows (offset by `firstLineNumber - 1` when the buffer is a later chunk of a file).
/// A final line without a terminating newline is yielded too.
public struct JSONLines: Sequence {
    /// One non-blank line.
    public struct Line: Sendable, Hashable {
        /// The 1-based line number.
        public var number: Int
        /// The line's bytes in the buffer, without the line terminator.
        public var range: Range<Int>
    }

    /// The text being split.
    public let buffer: UnsafeRawBufferPointer
    /// The number of the buffer's first line.
    public let firstLineNumber: Int

    /// - Parameters:
    ///   - buffer: the text; it must stay valid while the sequence is iterated.
    ///   - firstLineNumber: the number of the buffer's first line.
    public init(_ buffer: UnsafeRawBufferPointer, firstLineNumber: Int = 1) {
        self.buffer = buffer
        self.firstLineNumber = firstLineNumber
    }

    /// An iterator over the non-blank lines.
    public func makeIterator() -> Iterator { Iterator(buffer: buffer, number: firstLineNumber) }

    /// Yields the non-blank lines in order.
    public struct Iterator: IteratorProtocol {
        let buffer: UnsafeRawBufferPointer
        var position = 0
        var number: Int

        init(buffer: UnsafeRawBufferPointer, number: Int) {
            self.buffer = buffer
            self.number = number
        }

        /// The number the next line read will get (the count of lines consumed so far, plus the first number).
        public var nextLineNumber: Int { number }

        /// The next non-blank line, or `nil` at the end of the buffer.
        public mutating func next() -> Line? {
            while position < buffer.count {
                let start = position
                let newline = JSONLines.indexOfNewline(in: buffer, from: start)
                var end = newline ?? buffer.count
                position = newline.map { $0 + 1 } ?? buffer.count
                let lineNumber = number
                number += 1
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                var k = start
                while k < end, buffer[k] == 0x20 || buffer[k] == 0x09 || buffer[k] == 0x0D { k += 1 }
                if k < end { return Line(number: lineNumber, range: start..<end) }
            }
            return nil
        }
    }

    /// The offset of the first `\n` at or after `from`, or `nil`.
    @inline(__always)
    public static func indexOfNewline(in buffer: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < buffer.count, let base = buffer.baseAddress else { return nil }
        guard let hit = memchr(base + from, 0x0A, buffer.count - from) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    /// The length of the prefix of `buffer` that ends with its last `\n` (0 when there is none):
    /// the part of a chunk read from a stream that holds only complete lines.
    public static func completePrefixLength(of buffer: UnsafeRawBufferPointer) -> Int {
        var i = buffer.count
        while i > 0 {
            i -= 1
            if buffer[i] == 0x0A { return i + 1 }
        }
        return 0
    }

    /// The number of `\n` bytes in `buffer` (to advance line numbers past a chunk).
    public static func newlineCount(in buffer: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var i = 0
        while let nl = indexOfNewline(in: buffer, from: i) {
            count += 1
            i = nl + 1
        }
        return count
    }
}

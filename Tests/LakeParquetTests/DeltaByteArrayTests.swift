import PropertyBased
import Testing

@testable import LakeParquet
import LakeBase

@Suite struct DeltaByteArrayTests {
    private func encode(_ values: ByteArrayValues) -> [UInt8] {
        var out = ByteWriter()
        DeltaByteArray.encode(values, into: &out)
        return out.bytes
    }

    private func decode(_ bytes: [UInt8], count: Int) throws -> ByteArrayValues {
        var values = ByteArrayValues()
        try bytes.withUnsafeBytes { try DeltaByteArray.decode($0, count: count, into: &values) }
        return values
    }

    private func decodeFixed(_ bytes: [UInt8], count: Int, width: Int) throws -> FixedByteArrayValues {
        var values = FixedByteArrayValues(width: width)
        try bytes.withUnsafeBytes { try DeltaByteArray.decode($0, count: count, width: width, into: &values) }
        return values
    }

    @Test func specExample() throws {
        // Encodings.md: "axis", "axle", "babble", "babyhood" → prefix lengths 0 2 0 3,
        // suffixes "axis" "le" "babble" "yhood".
        // Prefix lengths: first 0; deltas 2 -2 3, min -2 (zigzag 3), relative 4 0 5 at width 3.
        let prefixes: [UInt8] =
            [0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 3, 0, 0, 0, 0x44, 0x01] + Array(repeating: 0, count: 10)
        // Suffix lengths 4 2 6 5: first zigzag 8; deltas -2 4 -1, min -2, relative 0 6 1 at width 3.
        let suffixLengths: [UInt8] =
            [0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 3, 0, 0, 0, 0x70, 0x00] + Array(repeating: 0, count: 10)
        let expected = prefixes + suffixLengths + Array("axislebabbleyhood".utf8)
        let values = ByteArrayValues(strings: ["axis", "axle", "babble", "babyhood"])
        #expect(encode(values) == expected)
        #expect(try decode(expected, count: 4) == values)
    }

    @Test func roundTripsSharedPrefixes() async {
        // Sorted strings over a tiny alphabet share long prefixes.
        let strings = Gen.element(of: ["a", "b", "ab", "ba", "aaaa"]).map { $0! }.array(of: 0...12).map { $0.joined() }
            .array(of: 0...200)
        await propertyCheck(count: 200, input: strings, Gen.bool) { strings, sorted throws in
            let values = ByteArrayValues(strings: sorted ? strings.sorted() : strings)
            #expect(try decode(encode(values), count: values.count) == values)
        }
    }

    @Test func longSharedPrefixesAndEmptyValues() throws {
        let stem = String(repeating: "prefix/", count: 500)
        let strings = ["", stem, stem + "a", stem + "ab", stem, "", "", stem + "z", "x"]
        let values = ByteArrayValues(strings: strings)
        let bytes = encode(values)
        // The stem is stored twice (after each empty value), the shared copies cost only their prefix lengths.
        #expect(bytes.count > 2 * stem.utf8.count && bytes.count < 2 * stem.utf8.count + 200)
        #expect(try decode(bytes, count: values.count) == values)
        #expect(try decode(encode(ByteArrayValues()), count: 0) == ByteArrayValues())
    }

    @Test func appendsAfterExistingValuesWithoutSharingTheirPrefix() throws {
        var values = ByteArrayValues(strings: ["zzz"])
        try encode(ByteArrayValues(strings: ["abc", "abd"])).withUnsafeBytes {
            try DeltaByteArray.decode($0, count: 2, into: &values)
        }
        #expect(values == ByteArrayValues(strings: ["zzz", "abc", "abd"]))
    }

    @Test func fixedLengthRoundTrip() async throws {
        await propertyCheck(count: 100, input: Gen.int(in: 1...12), Gen.uint8(in: 0...3).array(of: 0...600)) {
            width, raw throws in
            let count = raw.count / width
            let fixed = FixedByteArrayValues(width: width, bytes: Array(raw[0..<(count * width)]))
            var arrays = ByteArrayValues()
            for i in 0..<count { arrays.append(fixed[i]) }
            #expect(try decodeFixed(encode(arrays), count: count, width: width) == fixed)
        }
    }

    @Test func fixedLengthRejectsValuesOfAnotherWidth() throws {
        let bytes = encode(ByteArrayValues(strings: ["abcd", "abce", "abc"]))
        let error = #expect(throws: ParquetError.self) { try decodeFixed(bytes, count: 3, width: 4) }
        #expect(error?.code == .corrupt)
        #expect(throws: ParquetError.self) {
            var values = FixedByteArrayValues(width: 2)
            try bytes.withUnsafeBytes { try DeltaByteArray.decode($0, count: 3, width: 4, into: &values) }
        }
    }

    /// Prefix block for two values with prefix lengths `first` and `second` (width 0 miniblocks).
    private func prefixBlock(_ first: Int64, _ second: Int64) -> [UInt8] {
        var out = ByteWriter()
        [first, second].withUnsafeBufferPointer { DeltaBinaryPacked.encode($0, into: &out) }
        return out.bytes
    }

    private func suffixBlock(_ strings: [String]) -> [UInt8] {
        var out = ByteWriter()
        DeltaLengthByteArray.encode(ByteArrayValues(strings: strings), into: &out)
        return out.bytes
    }

    @Test func rejectsInvalidPrefixes() {
        // The first value cannot share a prefix.
        let first = #expect(throws: ParquetError.self) {
            try decode(prefixBlock(1, 0) + suffixBlock(["a", "b"]), count: 2)
        }
        #expect(first?.code == .corrupt)
        // A prefix longer than the previous value.
        #expect(throws: ParquetError.self) { try decode(prefixBlock(0, 3) + suffixBlock(["ab", "c"]), count: 2) }
        // A negative prefix.
        #expect(throws: ParquetError.self) { try decode(prefixBlock(0, -1) + suffixBlock(["ab", "c"]), count: 2) }
        // Prefix and suffix counts that differ from the page's.
        #expect(throws: ParquetError.self) { try decode(prefixBlock(0, 1) + suffixBlock(["ab"]), count: 2) }
        #expect(throws: ParquetError.self) { try decode(prefixBlock(0, 1) + suffixBlock(["ab", "c"]), count: 3) }
        // Suffix bytes cut short.
        let truncated = #expect(throws: ParquetError.self) {
            try decode(Array((prefixBlock(0, 1) + suffixBlock(["ab", "cd"])).dropLast()), count: 2)
        }
        #expect(truncated?.code == .truncated)
    }

    @Test func hostileCountsThrow() {
        #expect(throws: ParquetError.self) { try decode(prefixBlock(0, 1), count: Int.max) }
        #expect(throws: ParquetError.self) { try decodeFixed([], count: 1 << 40, width: 16) }
    }
}

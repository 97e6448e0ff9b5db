import Testing
@testable import LakeCore

/// The one size parser and the one duration parser every option and setting uses.
@Suite struct ByteSizeTimeSpanTests {
    static let sizeCases: [(String, Int64)] = [
        ("1048576", 1_048_576), ("0", 0), ("64k", 65_536), ("64KB", 65_536), ("64KiB", 65_536),
        ("256M", 268_435_456), ("256 MiB", 268_435_456), ("1g", 1_073_741_824), ("1.5GiB", 1_610_612_736),
        ("2T", 2_199_023_255_552), ("10b", 10), (" 8 mb ", 8_388_608), (".5K", 512), ("1.0009765625KiB", 1025),
    ]

    @Test(arguments: sizeCases)
    func sizes(text: String, bytes: Int64) throws {
        #expect(try ByteSize(parsing: text).bytes == bytes)
    }

    @Test(arguments: ["", "-5", "x", "5x", "5 PB", "1.2.3M", ".", "99999999999999999999", "9000000T", "1e6"])
    func notSizes(text: String) {
        let e = #expect(throws: LakeError.self) { try ByteSize(parsing: text) }
        #expect(e?.code == .invalidArgument && e?.message.contains("'\(text)'") == true)
    }

    @Test func sizeTexts() throws {
        #expect(ByteSize(bytes: 120 << 20).description == "120.0 MiB")
        #expect(ByteSize(bytes: 512).description == "512 B")
        #expect(ByteSize(bytes: 128 << 20).exactText == "128MiB")
        #expect(ByteSize(bytes: 1000).exactText == "1000")
        for n: Int64 in [0, 1, 1023, 1024, 1 << 20, 3 << 29, 5 << 40] {
            #expect(try ByteSize(parsing: ByteSize(bytes: n).exactText).bytes == n)
        }
    }

    static let durationCases: [(String, Int64)] = [
        ("100s", 100_000), ("250ms", 250), ("2m", 120_000), ("1h", 3_600_000), ("1.5", 1500), ("30", 30_000),
        ("0", 0), ("0s", 0), ("1.5S", 1500), (" 2 m ", 120_000), ("5min", 300_000), ("0.0004s", 0),
    ]

    @Test(arguments: durationCases)
    func durations(text: String, millis: Int64) throws {
        #expect(try TimeSpan(parsing: text).millis == millis)
    }

    @Test(arguments: ["", "-1s", "soon", "5 days", "1e400", "nan", "1.2.3s", "99999999999999h"])
    func notDurations(text: String) {
        let e = #expect(throws: LakeError.self) { try TimeSpan(parsing: text) }
        #expect(e?.code == .invalidArgument)
    }

    @Test func durationTextsRoundTrip() throws {
        for ms: Int64 in [0, 1, 999, 1000, 1500, 60_000, 90_000, 3_600_000, 7_200_000] {
            #expect(try TimeSpan(parsing: TimeSpan(millis: ms).description).millis == ms)
        }
    }
}

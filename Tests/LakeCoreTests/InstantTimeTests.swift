import PropertyBased
import Testing
@testable import LakeCore

@Suite struct InstantTimeTests {
    @Test func digitsValidate() {
        #expect(InstantTime("20240418173213674")?.value == "20240418173213674")
        #expect(InstantTime("20240418173213")?.value == "20240418173213000")
        #expect(InstantTime("20240229000000000") != nil)
        #expect(InstantTime("20230229000000000") == nil)
        #expect(InstantTime("20241301000000000") == nil)
        #expect(InstantTime("20240418243213674") == nil)
        #expect(InstantTime("20240418176013674") == nil)
        #expect(InstantTime("2024041817321367") == nil)
        #expect(InstantTime("2024-04-18T17:32") == nil)
    }

    @Test func epochConversions() {
        #expect(InstantTime(epochMillis: 0).value == "19700101000000000")
        #expect(InstantTime.epoch.value == "19700101000000000")
        // 2024-04-18T22:32:13.674Z
        #expect(InstantTime(epochMillis: 1_713_479_533_674).value == "20240418223213674")
        #expect(InstantTime("20240418223213674")!.epochMillis() == 1_713_479_533_674)
        #expect(InstantTime(epochMillis: 951_782_400_000).value == "20000229000000000")
        #expect(InstantTime(epochMillis: -1).value == "19691231235959999")
    }

    @Test func epochMillisRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...253_402_300_000_000)) { ms in
            let t = InstantTime(epochMillis: Int64(ms))
            #expect(t.value.utf8.count == 17)
            #expect(InstantTime(t.value) == t)
            #expect(t.epochMillis() == Int64(ms))
        }
    }

    @Test func orderIsTimeOrder() async {
        await propertyCheck(
            count: 200, input: zip(Gen.int(in: 0...4_000_000_000_000), Gen.int(in: 0...4_000_000_000_000))
        ) { a, b in
            let ta = InstantTime(epochMillis: Int64(a)), tb = InstantTime(epochMillis: Int64(b))
            #expect((ta < tb) == (a < b))
        }
    }

    @Test(arguments: [
        ("20240418223213674", "20240418223213674"),
        ("20240418223213", "20240418223213000"),
        (" 20240418223213674 ", "20240418223213674"),
        ("1713479533", "20240418223213000"),  // epoch seconds
        ("1713479533674", "20240418223213674"),  // epoch millis
        ("1713479533674999", "20240418223213674"),  // epoch micros
        ("1713479533674999999", "20240418223213674"),  // epoch nanos
        ("0", "19700101000000000"),
        ("2024-04-18T22:32:13.674Z", "20240418223213674"),
        ("2024-04-18T22:32:13.6749Z", "20240418223213674"),
        ("2024-04-18T22:32:13.6Z", "20240418223213600"),
        ("2024-04-18t22:32:13z", "20240418223213000"),
        ("2024-04-18T22:32:13Z", "20240418223213000"),
        ("2024-04-18T17:32:13.674-05:00", "20240418223213674"),
        ("2024-04-19T04:02:13,674+0530", "20240418223213674"),
        ("2024-04-19T00:32:13+02", "20240418223213000"),
        ("2024-04-18 22:32:13", "20240418223213000"),
        ("2024-04-18T22:32", "20240418223200000"),
        ("2024-04-18", "20240418000000000"),
        ("2024-12-31T23:30:00-01:00", "20250101003000000"),
    ])
    func userTimeSpecs(spec: String, expected: String) throws {
        #expect(try InstantTime.parse(spec).value == expected)
    }

    @Test(arguments: [
        "", "yesterday", "2024-13-01", "2024-02-30T00:00:00Z", "2024-04-18T25:00:00Z",
        "2024-04-18T22:32:13.Z", "2024-04-18T22:32:13+25:00", "20241301000000000",
        "99999999999999999999", "2024-04-18T22:32:13Zjunk", "-5", "12.5",
    ])
    func invalidSpecsAreRejected(spec: String) {
        let e = #expect(throws: LakeError.self) { try InstantTime.parse(spec) }
        #expect(e?.code == .invalidArgument)
        #expect(e?.message.contains("'\(spec)'") == true)
    }

    @Test func localZoneRoundTrips() throws {
        // Whatever TZ the test runs in, conversion out of and back into local time is stable
        // away from daylight-saving transitions.
        let ms: Int64 = 1_713_479_533_674
        let local = InstantTime(epochMillis: ms, timezone: .local)
        #expect(local.epochMillis(timezone: .local) == ms)
        #expect(try InstantTime.parse("2024-04-18T22:32:13.674Z", timezone: .local) == local)
        #expect(try InstantTime.parse(local.value, timezone: .local) == local)
    }

    @Test func timezoneProperty() {
        #expect(TimelineTimezone(propertyValue: "utc") == .utc)
        #expect(TimelineTimezone(propertyValue: " LOCAL ") == .local)
        #expect(TimelineTimezone(propertyValue: "Europe/Paris") == nil)
    }
}

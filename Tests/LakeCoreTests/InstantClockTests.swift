import Testing
@testable import LakeCore

/// A settable clock for tests.
final class ManualTime: @unchecked Sendable {
    var millis: Int64
    init(_ m: Int64) { millis = m }
}

@Suite struct InstantClockTests {
    @Test func usesTheCurrentTime() {
        var clock = InstantClock(now: { 1_713_479_533_674 })
        #expect(clock.next().value == "20240418223213674")
    }

    @Test func strictlyIncreasingWithinOneMillisecond() {
        var clock = InstantClock(now: { 1_713_479_533_674 })
        let a = clock.next(), b = clock.next(), c = clock.next()
        #expect(a.value == "20240418223213674")
        #expect(b.value == "20240418223213675")
        #expect(c.value == "20240418223213676")
    }

    @Test func clockGoingBackwardsStillIncreases() {
        let time = ManualTime(1_713_479_533_674)
        var clock = InstantClock(now: { time.millis })
        let a = clock.next()
        time.millis -= 60_000
        let b = clock.next()
        #expect(b > a)
        time.millis += 120_000
        #expect(clock.next().value == "20240418223313674")
    }

    @Test func neverAtOrBelowTheTimeline() {
        var clock = InstantClock(now: { 1_713_479_533_674 })
        #expect(clock.next(after: "20250101000000000").value == "20250101000000001")
        #expect(clock.next(after: "20241231235959999").value == "20250101000000002")
        var fresh = InstantClock(now: { 1_713_479_533_674 })
        #expect(fresh.next(after: "20241231235959999").value == "20250101000000000")
        #expect(fresh.next(after: "20200101000000").value == "20250101000000001")
        var older = InstantClock(now: { 1_713_479_533_674 })
        #expect(older.next(after: "20200101000000000").value == "20240418223213674")
        #expect(older.next(after: "garbage").value == "20240418223213675")
    }
}

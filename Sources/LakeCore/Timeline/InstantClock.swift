/// Generates instant times for new writes: strictly increasing, never at or below an instant
/// already on the timeline.
///
/// Each call returns the current time as a 17-digit instant, bumped by whole milliseconds when
/// needed: past the previous value this clock returned (two writes in one millisecond get
/// distinct instants) and past the latest instant on the timeline (a clock that went backwards,
/// or a table written from a machine whose clock runs ahead, cannot produce an older instant).
///
/// The clock is a value owned by one writer; inject `now` for deterministic tests.
public struct InstantClock: Sendable {
    /// The time source, milliseconds since the epoch.
    public var now: @Sendable () -> Int64
    /// The zone instants are written in (the table's `hoodie.table.timeline.timezone`).
    public var timezone: TimelineTimezone
    /// The last instant this clock returned.
    public private(set) var last: InstantTime?

    /// - Parameters:
    ///   - timezone: the table's timeline zone; `.utc` for tables lake creates.
    ///   - now: the time source; defaults to the system real-time clock.
    public init(
        timezone: TimelineTimezone = .utc, now: @escaping @Sendable () -> Int64 = { InstantTime.systemNowMillis() }
    ) {
        self.now = now
        self.timezone = timezone
    }

    /// The next instant: the current time, or the instant one millisecond after the greater of
    /// the previous result and `latestOnTimeline` if the current time is not past both.
    /// The comparison is on the digits, which is what readers compare, so it also holds across
    /// a daylight-saving fall-back in a `LOCAL` timeline zone.
    /// - Parameter latestOnTimeline: the greatest instant time already present on the timeline,
    ///   in any state and of any action (``Timeline/latestTimestamp``). 14-digit values are
    ///   read as `…000`; values that do not parse are ignored.
    public mutating func next(after latestOnTimeline: String? = nil) -> InstantTime {
        var result = InstantTime(epochMillis: now(), timezone: timezone)
        var floor = last
        if let latest = latestOnTimeline, let instant = InstantTime(latest), floor.map({ instant > $0 }) ?? true {
            floor = instant
        }
        if let floor, result <= floor {
            // The digit successor: the same wall-clock digits plus one millisecond.
            result = InstantTime(epochMillis: floor.epochMillis(timezone: .utc) + 1, timezone: .utc)
        }
        last = result
        return result
    }
}

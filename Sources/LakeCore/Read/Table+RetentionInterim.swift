extension Table {
    /// The earliest instant a time-travel, incremental or change-feed read may reach.
    ///
    /// INTERIM: until the cleaner's `Maintenance/Table+Retention.swift` lands, this is the
    /// earliest completed commit on the timeline (nothing is cleaned yet). Delete this file when
    /// that one defines the real function.
    /// - Returns: `nil` if the table has no completed commit.
    public func earliestReadableInstant() throws(LakeError) -> String? {
        timeline.completedCommits.first?.timestamp
    }
}
